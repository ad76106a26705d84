package io.herald.callbacks;

/** The callback URL answered, but not with 2xx: retried with backoff. */
public class CallbackFailedException extends RuntimeException {
    public CallbackFailedException(String message) {
        super(message);
    }
}
