package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.status.StatusReport;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;

/**
 * The built-in transport for sandbox keys and for channels without a configured relay or provider: it records
 * the message and produces a synthetic delivery report.
 */
public class SandboxTransport {
    private final MessageRepository messages;
    private final StatusRecorder statusRecorder;

    public SandboxTransport(MessageRepository messages, StatusRecorder statusRecorder) {
        this.messages = messages;
        this.statusRecorder = statusRecorder;
    }

    public StatusReport deliver(StoredMessage message) {
        messages.recordSandboxDelivery(message);
        statusRecorder.sent(message, "sandbox-" + message.id(), "recorded by the sandbox transport");
        return new StatusReport(message.id(), MessageStatus.DELIVERED, "synthetic delivery report (sandbox)");
    }
}
