package io.herald.delivery;

/** The transport may succeed later (provider 408/429/5xx): retried with exponential backoff. */
public class TransientDeliveryException extends RuntimeException {
    public TransientDeliveryException(String message) {
        super(message);
    }
}
