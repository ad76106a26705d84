package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;

import java.time.OffsetDateTime;

/**
 * Turns a queued message id into the stored message and picks its transport. A message that has already
 * left the queue (sent, final, or unknown) gives a null body, so redelivered queue entries send nothing twice.
 */
public class DeliveryLoader {
    public static final String MESSAGE = "heraldMessage";
    public static final String TRANSPORT = "heraldTransport";
    public static final String FIRST_ATTEMPT = "heraldFirstAttemptAt";

    private final MessageRepository messages;
    private final boolean smtpConfigured;
    private final boolean smsProviderConfigured;

    public DeliveryLoader(MessageRepository messages, String smtpHost, String smsProviderUrl) {
        this.messages = messages;
        this.smtpConfigured = smtpHost != null && !smtpHost.isBlank();
        this.smsProviderConfigured = smsProviderUrl != null && !smsProviderUrl.isBlank();
    }

    public StoredMessage load(String messageId, Exchange exchange) {
        StoredMessage message = messages.find(messageId).orElse(null);
        if (message == null || (message.status() != MessageStatus.ACCEPTED && message.status() != MessageStatus.QUEUED)) {
            return null;
        }
        OffsetDateTime firstAttempt = messages.beginAttempt(messageId);
        exchange.setProperty(StatusRecorder.MESSAGE_ID, messageId);
        exchange.setProperty(MESSAGE, message);
        exchange.setProperty(FIRST_ATTEMPT, firstAttempt);
        exchange.setProperty(TRANSPORT, transportFor(message));
        return message;
    }

    private String transportFor(StoredMessage message) {
        if (message.sandbox()) {
            return "sandbox";
        }
        return switch (message.channel()) {
            case EMAIL -> smtpConfigured ? "smtp" : "sandbox";
            case SMS -> smsProviderConfigured ? "sms-provider" : "sandbox";
        };
    }
}
