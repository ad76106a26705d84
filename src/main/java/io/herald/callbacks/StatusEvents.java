package io.herald.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.Json;
import io.herald.status.StatusRecorder;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Status events: each SENT and final state the {@link StatusRecorder} stores becomes a small JSON event
 * {@code {"messageId","status","at"}} on {@code herald.queue.status.out}, for the aggregation route that correlates
 * them per message; only for messages that can give callbacks ({@link CallbackTargets}). At start, final messages
 * that need a callback but have none get their event told again.
 */
public class StatusEvents implements StatusRecorder.StatusListener {
    public static final String MESSAGE_ID = "heraldMessageId";
    public static final String FINAL_STATUS = "heraldFinalStatus";
    private static final Logger LOG = LoggerFactory.getLogger(StatusEvents.class);

    private final CamelContext context;
    private final String endpointUri;
    private final MessageRepository messages;
    private final CallbackRepository callbacks;
    private final CallbackTargets targets;
    private final Duration lookBack;
    private volatile ProducerTemplate producer;

    public StatusEvents(CamelContext context, String endpointUri, MessageRepository messages, CallbackRepository callbacks,
                        CallbackTargets targets, Duration lookBack) {
        this.context = context;
        this.endpointUri = endpointUri;
        this.messages = messages;
        this.callbacks = callbacks;
        this.targets = targets;
        this.lookBack = lookBack;
    }

    /**
     * Never fails the caller: the status is already stored, and a delivery route must not take a failed event for a
     * failed delivery. A final event lost here is told again at the next start ({@link #replayUnplanned()}).
     */
    @Override
    public void statusChanged(StoredMessage message, MessageStatus status, String detail) {
        if (status == MessageStatus.SENT || status.isFinal()) {
            try {
                if (targets.mayHaveCallbacks(message)) {
                    publish(message.id(), status);
                }
            } catch (RuntimeException e) {
                LOG.warn("Status event {} of message {} not published: {}", status, message.id(), e.getMessage());
            }
        }
    }

    private void publish(String messageId, MessageStatus status) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("messageId", messageId);
        event.put("status", status.name());
        event.put("at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        producer().sendBody(endpointUri, Json.write(event));
    }

    /** Copies the event's message id and (if final) status into the headers the aggregation correlates and completes on. */
    public void correlate(Exchange exchange) {
        JsonNode event = read(exchange.getMessage().getBody(String.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(MESSAGE_ID, event.path("messageId").asText());
        MessageStatus status = MessageStatus.valueOf(event.path("status").asText());
        if (status.isFinal()) {
            exchange.getMessage().setHeader(FINAL_STATUS, status.name());
        }
    }

    /**
     * False for a SENT event of a message that is already final (its final event overtook it): it would open an
     * aggregate that no final event completes any more.
     */
    public boolean isCurrent(Exchange exchange) {
        if (exchange.getMessage().getHeader(FINAL_STATUS) != null) {
            return true;
        }
        String messageId = exchange.getMessage().getHeader(MESSAGE_ID, String.class);
        return messages.find(messageId).map(m -> !m.status().isFinal()).orElse(false);
    }

    /** Tells again the final state of messages whose callbacks were never stored (see class comment). */
    public int replayUnplanned() {
        List<String> ids = callbacks.finalMessagesWithoutCallbacks(OffsetDateTime.now(ZoneOffset.UTC).minus(lookBack));
        for (String id : ids) {
            messages.find(id).ifPresent(m -> publish(m.id(), m.status()));
        }
        if (!ids.isEmpty()) {
            LOG.info("Told the final status of {} messages again whose callbacks had not been planned", ids.size());
        }
        return ids.size();
    }

    static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a status event: " + json, e);
        }
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }
}
