package io.herald.delivery;

/** The transport refused the message for good (provider 4xx): FAILED at once, never retried. */
public class PermanentDeliveryException extends RuntimeException {
    public PermanentDeliveryException(String message) {
        super(message);
    }
}
