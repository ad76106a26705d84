package io.herald.sms.smpp;

import io.herald.status.StatusReport;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Body;
import org.apache.camel.Header;

import java.util.List;

/**
 * A delivery receipt for one part into the message's one logical status (SPEC §6): the part takes the receipt's
 * state; the message is NOT_DELIVERED as soon as one part failed for good, DELIVERED when every part is delivered,
 * unchanged otherwise. The report goes the way of the provider's reports ({@code direct:record-status}), whose
 * conditional update from SENT gives one final status and one callback, whatever receipts come after.
 */
public class SmppReceipts {
    private final SmppParts parts;
    private final MessageRepository messages;

    public SmppReceipts(SmppParts parts, MessageRepository messages) {
        this.parts = parts;
        this.messages = messages;
    }

    /** The message's report, or null when this receipt decides nothing (yet). */
    public StatusReport report(@Body Receipt receipt, @Header(SmppDeliveries.UPSTREAM) String upstream) {
        SmppParts.Part part = parts.find(upstream, receipt.smscMessageId())
                .orElseThrow(() -> new NotRecordedYet("no part " + receipt.smscMessageId() + " of upstream " + upstream));
        parts.state(part, receipt.stat());
        StoredMessage message = messages.find(part.messageId()).orElse(null);
        if (message == null || message.status().isFinal()) {
            return null;
        }
        List<SmppParts.Part> all = parts.of(part.messageId());
        boolean failed = all.stream().anyMatch(p -> Receipt.FAILED.contains(p.state()));
        boolean delivered = all.size() == part.count() && all.stream().allMatch(p -> Receipt.DELIVERED.equals(p.state()));
        if (!failed && !delivered) {
            return null;
        }
        if (message.status() != MessageStatus.SENT) {
            throw new NotRecordedYet("message " + message.id() + " is not recorded SENT yet");
        }
        String detail = "SMPP receipt from " + upstream + ": part " + part.index() + "/" + part.count() + " "
                + receipt.stat() + (receipt.err() == null ? "" : " err:" + receipt.err());
        return new StatusReport(message.id(), failed ? MessageStatus.NOT_DELIVERED : MessageStatus.DELIVERED, detail);
    }

    /** The receipt came before its part or its message's SENT was recorded: tried again shortly. */
    public static class NotRecordedYet extends RuntimeException {
        NotRecordedYet(String message) {
            super(message);
        }
    }
}
