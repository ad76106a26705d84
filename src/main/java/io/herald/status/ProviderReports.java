package io.herald.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.Json;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * Reads the SMS provider's delivery report (docs/contract.md#the-upstream-sms-provider) into a {@link StatusReport}.
 */
public class ProviderReports {
    private final MessageRepository messages;

    public ProviderReports(MessageRepository messages) {
        this.messages = messages;
    }

    public StatusReport read(Exchange exchange) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        } catch (Exception e) {
            throw new InvalidReportException("invalid_json");
        }
        String providerId = body == null ? null : body.path("message_id").asText(null);
        String status = body == null ? null : body.path("status").asText(null);
        MessageStatus mapped = "delivered".equals(status) ? MessageStatus.DELIVERED
                : "not_delivered".equals(status) ? MessageStatus.NOT_DELIVERED : null;
        if (providerId == null || mapped == null) {
            throw new InvalidReportException("invalid_report");
        }
        StoredMessage message = messages.findByProviderId(providerId)
                .orElseThrow(() -> new UnknownMessageException(providerId));
        String at = body.path("message_timestamp").asText("");
        return new StatusReport(message.id(), mapped, "provider report " + status + (at.isEmpty() ? "" : " at " + at));
    }

    public static Map<String, String> answer(String status) {
        return Map.of("status", status);
    }

    public static class InvalidReportException extends RuntimeException {
        public InvalidReportException(String status) {
            super(status);
        }
    }

    /** The report names a message id Herald has not (yet) recorded; the provider is asked to retry. */
    public static class UnknownMessageException extends RuntimeException {
        public UnknownMessageException(String providerId) {
            super("unknown message_id " + providerId);
        }
    }
}
