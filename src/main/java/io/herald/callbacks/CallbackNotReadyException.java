package io.herald.callbacks;

/** A COSMOS message became final before its request finished recording its callback URL: planned again shortly. */
public class CallbackNotReadyException extends RuntimeException {
    public CallbackNotReadyException(String messageId) {
        super("COSMOS details of message " + messageId + " are not recorded yet");
    }
}
