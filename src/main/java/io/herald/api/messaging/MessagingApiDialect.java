package io.herald.api.messaging;

import io.herald.api.ApiError;
import io.herald.pipeline.AcceptResult;
import io.herald.pipeline.SendRequest;
import io.herald.security.Principal;
import io.herald.store.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Messaging API {@code POST /api/SendMessages} (docs/contract.md#messaging-api): request to the canonical form,
 * canonical result to the answer. The request becomes a tracked dispatch whose recipients are read lazily (see
 * {@link SendMessagesReader}).
 * <p>
 * Every recipient that will not receive the message is counted in {@code invalidRecipients} and listed in the list
 * of the template's channel: {@code invalidEmails} (the address as given, "" when missing) for an email template,
 * {@code invalidMobiles} ({@code uniqueId}, {@code mobile}) for an SMS template, whatever the reason: an invalid or
 * missing address, a missing or repeated uniqueId, personalised content too long (2001), or the account's message
 * limit reached part-way (2102). So {@code totalRecipients = totalRecipientsSent + invalidRecipients}. When the limit
 * left no message at all, the call answers 2102 instead.
 */
public class MessagingApiDialect {
    public static final String NAME = "MESSAGING-API";

    public SendRequest toSendRequest(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        Message message = exchange.getMessage();
        requireJson(message);
        Supplier<InputStream> body = body(exchange, message);
        SendMessagesReader.Header header = SendMessagesReader.scan(body);
        if (header.templateId() == null) {
            throw ApiError.INVALID_FIELD.exception("templateId is required");
        }
        if (header.recipients() < 0) {
            throw ApiError.INVALID_FIELD.exception("recipients is required");
        }
        if (header.recipients() == 0) {
            throw ApiError.INVALID_FIELD.exception("recipients must contain at least one recipient");
        }
        OffsetDateTime scheduleAt = MessagingDates.parseSchedule(header.scheduleDate());
        if (scheduleAt != null && scheduleAt.isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusYears(1))) {
            throw ApiError.INVALID_FIELD.exception("scheduleDate must be at most one year ahead");
        }
        return SendRequest.trackedDispatch(principal, NAME, header.templateId(), scheduleAt, SendMessagesReader.recipients(body));
    }

    public Map<String, Object> toResponse(AcceptResult result) {
        int sent = result.acceptedCount();
        if (sent == 0 && result.entries().stream().anyMatch(e -> e.code() == ApiError.MESSAGE_LIMIT.code())) {
            throw ApiError.MESSAGE_LIMIT.exception();
        }
        boolean email = result.campaign().channel() == Channel.EMAIL;
        List<String> invalidEmails = new ArrayList<>();
        List<Map<String, Object>> invalidMobiles = new ArrayList<>();
        for (AcceptResult.Entry entry : result.entries()) {
            if (entry.status() != AcceptResult.Status.ERROR) {
                continue;
            }
            if (email) {
                invalidEmails.add(orEmpty(entry.recipient().email()));
            } else {
                Map<String, Object> mobile = new LinkedHashMap<>();
                mobile.put("uniqueId", orEmpty(entry.recipient().uniqueId()));
                mobile.put("mobile", orEmpty(entry.recipient().mobile()));
                invalidMobiles.add(mobile);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dispatch", result.dispatchId());
        answer.put("totalRecipients", result.entries().size());
        answer.put("totalRecipientsSent", sent);
        answer.put("invalidRecipients", result.entries().size() - sent);
        answer.put("sendDate", MessagingDates.withOffset(result.sendAt()));
        answer.put("invalidEmails", invalidEmails);
        answer.put("invalidMobiles", invalidMobiles);
        return answer;
    }

    private static void requireJson(Message message) {
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw ApiError.GENERAL.exception("Content-Type must be application/json");
        }
    }

    /**
     * The request body, readable again and again (one reader at a time) without another copy of it: a cached stream
     * (what the HTTP server's body is, with stream caching on) is reset and read again; a body held otherwise in
     * memory (bytes, text) is converted to a fresh stream on each read; any other stream is read into bytes once.
     */
    private static Supplier<InputStream> body(Exchange exchange, Message message) {
        Object body = message.getBody();
        if (body == null) {
            throw ApiError.GENERAL.exception("Request body is missing");
        }
        if (body instanceof StreamCache cache && body instanceof InputStream in) {
            return () -> {
                cache.reset();
                return new FilterInputStream(in) {
                    @Override
                    public void close() {
                        // the cache is read again by the next reader
                    }
                };
            };
        }
        if (body instanceof InputStream || body instanceof StreamCache) {
            byte[] bytes = message.getBody(byte[].class);
            return () -> new ByteArrayInputStream(bytes);
        }
        return () -> exchange.getContext().getTypeConverter().convertTo(InputStream.class, exchange, body);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
