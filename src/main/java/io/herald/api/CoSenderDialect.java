package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.pipeline.AcceptResult;
import io.herald.pipeline.Recipient;
import io.herald.pipeline.SendRequest;
import io.herald.security.Principal;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CO-SENDER {@code POST /v1/messages} (docs/contract.md#co-sender): request to canonical form, canonical result to
 * answer.
 */
public class CoSenderDialect {
    public static final String NAME = "CO-SENDER";
    static final int MAX_MESSAGES = 10;

    public SendRequest toSendRequest(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ObjectNode body = RequestJson.requestObject(exchange);
        String code = RequestJson.requiredText(body, "code");
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw ApiError.INVALID_FIELD.exception("messages is required");
        }
        if (!messages.isArray()) {
            throw ApiError.wrongType("messages", "an array");
        }
        if (messages.isEmpty()) {
            throw ApiError.INVALID_FIELD.exception("messages must contain at least one message");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw ApiError.TOO_MANY_MESSAGES.exception("No more than 10 messages are allowed in one request");
        }
        List<Recipient> recipients = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw ApiError.wrongType("messages[" + i + "]", "an object");
            }
            String recipient = RequestJson.text(message, "recipient");
            if (recipient == null || recipient.isBlank()) {
                throw ApiError.INVALID_FIELD.exception("messages[" + i + "].recipient is required");
            }
            recipients.add(Recipient.of(recipient, RequestJson.stringMap(message, "parameters")));
        }
        return SendRequest.byCode(principal, NAME, code, recipients);
    }

    /** 200 with one entry per message; when every message was rejected, 400 with the first rejection instead. */
    public Map<String, Object> toResponse(AcceptResult result) {
        if (result.allRejected()) {
            AcceptResult.Entry first = result.entries().get(0);
            throw ApiError.ofCode(first.code()).exception(first.message());
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (AcceptResult.Entry entry : result.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messageId", entry.messageId());
            m.put("recipient", entry.recipient().address());
            m.put("status", entry.status().name());
            m.put("message", entry.message());
            messages.add(m);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", result.campaign().code());
        answer.put("messages", messages);
        return answer;
    }
}
