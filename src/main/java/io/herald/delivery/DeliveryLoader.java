package io.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.api.Json;
import io.herald.observe.DeliveryLogContext;
import io.herald.status.StatusRecorder;
import io.herald.store.Channel;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;

import io.herald.pipeline.MessageStore;
import org.apache.camel.ExchangeProperty;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

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
    private final boolean entriesAsText;
    private final Duration margin;

    /** A message claimed for this instance's delivery with its insert, until then (see {@link MessageStore.ClaimOnInsert}). */
    public record Claimed(StoredMessage message, OffsetDateTime until) {
    }

    /** {@code entriesAsText}: the queue takes text only (Kafka), so a queue entry is the message as JSON. */
    public DeliveryLoader(MessageRepository messages, DeliveryClaims claims, String smtpHost, boolean entriesAsText,
                          Duration margin) {
        this.messages = messages;
        this.margin = margin;
        this.entriesAsText = entriesAsText;
        this.claims = claims;
        this.smtpConfigured = smtpHost != null && !smtpHost.isBlank();
    }

    /** The delivery queue's entries for the messages a request stored QUEUED (the hand-over route). */
    public List<Object> entries(@ExchangeProperty(MessageStore.HAND_OVER) List<StoredMessage> handed,
                                @ExchangeProperty(MessageStore.CLAIMED_UNTIL) OffsetDateTime claimedUntil) {
        List<Object> entries = new ArrayList<>(handed.size());
        for (StoredMessage message : handed) {
            entries.add(claimedUntil != null ? new Claimed(message, claimedUntil) : entry(message));
        }
        return entries;
    }

    /**
     * The delivery queue's entry for a message just stored QUEUED: the message itself, so that delivery need not read
     * it again (as JSON when the queue takes text only).
     */
    private Object entry(StoredMessage message) {
        if (!entriesAsText) {
            return message;
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", message.id()).put("accountId", message.accountId()).put("dispatchId", message.dispatchId())
                .put("campaignId", message.campaignId()).put("channel", message.channel().name())
                .put("recipient", message.recipient()).put("from", message.from()).put("replyTo", message.replyTo())
                .put("subject", message.subject()).put("text", message.text()).put("html", message.html())
                .put("unsubscribeUrl", message.unsubscribeUrl()).put("sandbox", message.sandbox());
        return Json.write(json);
    }

    /**
     * An entry from the delivery queue: a message carried whole ({@link #entry}) and never attempted is claimed in a
     * group commit and delivered as carried; any other entry (a message id, as a start or the feeder hands over, or a
     * message attempted before) is claimed here, then loaded.
     */
    public StoredMessage load(Object entry, Exchange exchange) {
        DeliveryLogContext.clear();
        if (entry instanceof Claimed claimed) {
            // claimed with its insert: delivered now while the claim has at least the margin left (an attempt's
            // time); else left to the deliver-due route, which takes it once the claim has run out
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            return now.plus(margin).isBefore(claimed.until()) ? deliver(claimed.message(), claimed.message().firstAttemptAt(),
                    exchange) : null;
        }
        StoredMessage carried = carried(entry);
        if (carried != null) {
            OffsetDateTime first = claims.claimFresh(carried.id());
            if (first != null) {
                return deliver(carried.firstAttempt(first), first, exchange);
            }
        }
        String messageId = carried != null ? carried.id() : entry == null ? null : entry.toString();
        if (messageId == null) {
            return null;
        }
        OffsetDateTime firstAttempt = claims.claim(messageId);
        return firstAttempt == null ? null : loadClaimed(messageId, firstAttempt, exchange);
    }

    private static StoredMessage carried(Object entry) {
        if (entry instanceof StoredMessage message) {
            return message;
        }
        if (!(entry instanceof String text) || !text.startsWith("{")) {
            return null;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a delivery queue entry", e);
        }
        return new StoredMessage(json.path("id").asText(), json.path("accountId").asLong(), json.path("dispatchId").asLong(),
                json.path("campaignId").asLong(), Channel.valueOf(json.path("channel").asText()), json.path("recipient").asText(),
                json.path("from").textValue(), json.path("replyTo").textValue(), json.path("subject").textValue(),
                json.path("text").textValue(), json.path("html").textValue(), json.path("unsubscribeUrl").textValue(),
                json.path("sandbox").asBoolean(), MessageStatus.QUEUED, 0, null, null);
    }

    /** A message id this instance has already claimed ({@link DeliveryClaims#claimDue()}): only loaded. */
    public StoredMessage loadClaimed(String messageId, Exchange exchange) {
        DeliveryLogContext.clear();
        return messageId == null ? null : loadClaimed(messageId, null, exchange);
    }

    private StoredMessage loadClaimed(String messageId, OffsetDateTime firstAttempt, Exchange exchange) {
        StoredMessage message = messages.find(messageId).orElse(null);
        if (message == null || (message.status() != MessageStatus.ACCEPTED && message.status() != MessageStatus.QUEUED)) {
            return null;
        }
        return deliver(message, firstAttempt == null ? message.firstAttemptAt() : firstAttempt, exchange);
    }

    private StoredMessage deliver(StoredMessage message, OffsetDateTime firstAttempt, Exchange exchange) {
        DeliveryLogContext.enter(exchange, message.id(), message.accountId());
        exchange.setProperty(StatusRecorder.MESSAGE_ID, message.id());
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
            // the routing table picks its upstream (io.herald.sms.routing.SmsRouter): without a table, the provider
            // of herald.sms.provider.url or, when that is unset, the sandbox
            case SMS -> "sms";
        };
    }
}
