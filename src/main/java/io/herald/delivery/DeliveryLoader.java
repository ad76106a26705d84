package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a queued message id into the stored message and picks its transport. A message that has already
 * left the queue (sent, final, or unknown) gives a null body, so redelivered queue entries send nothing twice.
 * A message id is also claimed for as long as its delivery exchange runs (retries included): a second queue entry
 * for the same message arriving meanwhile (e.g. the start-up resume of unfinished messages racing a fresh enqueue)
 * gives a null body too, instead of a second send.
 */
public class DeliveryLoader {
    public static final String MESSAGE = "heraldMessage";
    public static final String TRANSPORT = "heraldTransport";
    public static final String FIRST_ATTEMPT = "heraldFirstAttemptAt";

    private final MessageRepository messages;
    private final boolean smtpConfigured;
    private final boolean smsProviderConfigured;
    /** message id → id of the exchange delivering it */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();

    public DeliveryLoader(MessageRepository messages, String smtpHost, String smsProviderUrl) {
        this.messages = messages;
        this.smtpConfigured = smtpHost != null && !smtpHost.isBlank();
        this.smsProviderConfigured = smsProviderUrl != null && !smsProviderUrl.isBlank();
    }

    public StoredMessage load(String messageId, Exchange exchange) {
        if (messageId == null) {
            return null;
        }
        String exchangeId = exchange.getExchangeId();
        String owner = inFlight.putIfAbsent(messageId, exchangeId);
        if (owner != null && !owner.equals(exchangeId)) {
            return null; // another exchange is delivering this message right now
        }
        if (owner == null) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    inFlight.remove(messageId, exchangeId);
                }
            });
        }
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
