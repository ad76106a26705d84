package io.herald.status;

import io.herald.delivery.DeliveryLoader;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.herald.store.MessageStatus.ACCEPTED;
import static io.herald.store.MessageStatus.QUEUED;
import static io.herald.store.MessageStatus.SENT;

/**
 * Applies status changes to messages: the one place where SENT, DELIVERED, NOT_DELIVERED and FAILED are written.
 * {@link StatusListener}s hear of each of these changes after it is stored (the delivery-status callbacks'
 * status events). A repeated report of the final state a message already has is told again: listeners take repeats,
 * and one that lost the first telling gets another chance.
 */
public class StatusRecorder {
    public static final String MESSAGE_ID = "heraldMessageId";

    /** Told of a status a message reached, after it is stored. */
    @FunctionalInterface
    public interface StatusListener {
        void statusChanged(StoredMessage message, MessageStatus status, String detail);
    }

    private final MessageRepository messages;
    private final MessageMetrics metrics;
    private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();

    public StatusRecorder(MessageRepository messages, MessageMetrics metrics) {
        this.messages = messages;
        this.metrics = metrics;
    }

    public void addListener(StatusListener listener) {
        listeners.add(listener);
    }

    private void tell(StoredMessage message, MessageStatus status, String detail) {
        for (StatusListener listener : listeners) {
            listener.statusChanged(message, status, detail);
        }
    }

    public void sent(StoredMessage message, String providerMessageId, String detail) {
        messages.recordSent(message.id(), providerMessageId, detail);
        metrics.sent(message.channel());
        tell(message, MessageStatus.SENT, detail);
    }

    /**
     * The SMTP relay took the message. Email has no later delivery report, so the relay's acceptance is the last
     * thing Herald can know: the message is recorded SENT and then DELIVERED, with that said in the detail.
     */
    public void emailAccepted(@ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message) {
        sent(message, null, "accepted by the SMTP relay");
        report(new StatusReport(message.id(), MessageStatus.DELIVERED, "SMTP relay accepted the message (no later report for email)"));
    }

    public boolean report(StatusReport report) {
        StoredMessage message = messages.find(report.messageId()).orElse(null);
        if (message == null) {
            return false;
        }
        if (messages.transition(report.messageId(), List.of(SENT), report.status(), report.detail())) {
            if (report.status() == MessageStatus.DELIVERED) {
                metrics.delivered(message.channel());
            } else {
                metrics.notDelivered(message.channel());
            }
            tell(message, report.status(), report.detail());
        } else if (message.status() == report.status()) {
            tell(message, report.status(), report.detail());
        }
        return true;
    }

    /** Marks the exchange's message FAILED with the reason of the exception that ended its delivery. */
    public void failed(Exchange exchange, @ExchangeProperty(MESSAGE_ID) String messageId) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "delivery failed" : describe(cause);
        messages.find(messageId).ifPresent(message -> {
            if (messages.transition(messageId, List.of(ACCEPTED, QUEUED, SENT), MessageStatus.FAILED, reason)) {
                metrics.failed(message.channel());
                tell(message, MessageStatus.FAILED, reason);
            }
        });
    }

    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
