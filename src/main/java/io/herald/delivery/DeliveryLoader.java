package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;

import java.time.OffsetDateTime;

/**
 * Turns a queued message id into the stored message and picks its transport. The message is claimed first
 * ({@link DeliveryClaims}): a message that another attempt holds, that waits for a retry, or that has already left
 * the queue (sent, final, or unknown) gives a null body, so redelivered or duplicate queue entries send nothing twice,
 * in one instance or across several.
 */
public class DeliveryLoader {
    public static final String MESSAGE = "heraldMessage";
    public static final String TRANSPORT = "heraldTransport";
    public static final String FIRST_ATTEMPT = "heraldFirstAttemptAt";

    private final MessageRepository messages;
    private final DeliveryClaims claims;
    private final boolean smtpConfigured;
    private final boolean smsProviderConfigured;

    public DeliveryLoader(MessageRepository messages, DeliveryClaims claims, String smtpHost, String smsProviderUrl) {
        this.messages = messages;
        this.claims = claims;
        this.smtpConfigured = smtpHost != null && !smtpHost.isBlank();
        this.smsProviderConfigured = smsProviderUrl != null && !smsProviderUrl.isBlank();
    }

    /** A message id from the delivery queue: claimed here, then loaded. */
    public StoredMessage load(String messageId, Exchange exchange) {
        if (messageId == null) {
            return null;
        }
        OffsetDateTime firstAttempt = claims.claim(messageId);
        return firstAttempt == null ? null : loadClaimed(messageId, firstAttempt, exchange);
    }

    /** A message id this instance has already claimed ({@link DeliveryClaims#claimDue()}): only loaded. */
    public StoredMessage loadClaimed(String messageId, Exchange exchange) {
        return messageId == null ? null : loadClaimed(messageId, null, exchange);
    }

    private StoredMessage loadClaimed(String messageId, OffsetDateTime firstAttempt, Exchange exchange) {
        StoredMessage message = messages.find(messageId).orElse(null);
        if (message == null || (message.status() != MessageStatus.ACCEPTED && message.status() != MessageStatus.QUEUED)) {
            return null;
        }
        exchange.setProperty(StatusRecorder.MESSAGE_ID, messageId);
        exchange.setProperty(MESSAGE, message);
        exchange.setProperty(FIRST_ATTEMPT, firstAttempt == null ? message.firstAttemptAt() : firstAttempt);
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
