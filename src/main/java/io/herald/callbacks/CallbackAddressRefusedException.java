package io.herald.callbacks;

import java.net.UnknownHostException;

/** The callback host is, or resolves to, an address the policy refuses: the callback is parked at once. */
public class CallbackAddressRefusedException extends UnknownHostException {
    public CallbackAddressRefusedException(String message) {
        super(message);
    }
}
