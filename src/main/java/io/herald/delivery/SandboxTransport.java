package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;

/**
 * The built-in transport for sandbox keys and for channels without a configured relay or provider: it records
 * the message and produces a synthetic delivery report (recorded, SENT and DELIVERED in one write).
 */
public class SandboxTransport {
    private final StatusRecorder statusRecorder;

    public SandboxTransport(StatusRecorder statusRecorder) {
        this.statusRecorder = statusRecorder;
    }

    public void deliver(StoredMessage message, Exchange exchange) {
        statusRecorder.sandboxDelivered(message, exchange);
    }
}
