package io.herald.api;

import io.herald.api.cosmos.CosmosStatus;

/**
 * The error format a request path answers in, decided here once for the handlers that answer before or outside the
 * routes (server failures, form bodies, unmatched paths). The COSMOS dialect ({@code /v1.0/}) and the provider
 * webhooks ({@code /callbacks/}), which speak the COSMOS wire format, answer {@code {"status":"<word>"}}; every other
 * path answers the CO-SENDER error object ({@link ErrorObject}), which the Messaging API and the operator API share.
 */
public enum ErrorFormat {
    STATUS_WORD,
    ERROR_OBJECT;

    public static ErrorFormat of(String path) {
        return path != null && (path.startsWith("/v1.0/") || path.startsWith("/callbacks/")) ? STATUS_WORD : ERROR_OBJECT;
    }

    /**
     * The body of an answer with this HTTP status: the status word for it, or the error object with {@code error} and
     * {@code message}.
     */
    public String body(int status, ApiError error, String message) {
        return this == STATUS_WORD ? CosmosStatus.ofHttpFailure(status).body()
                : Json.write(ErrorObject.body(error, status, message));
    }
}
