package io.herald.api;

/** A client-visible failure; each dialect renders it in its own error format. */
public class ApiException extends RuntimeException {
    private final ApiError error;

    public ApiException(ApiError error, String message) {
        super(message);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
