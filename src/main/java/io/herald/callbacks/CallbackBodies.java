package io.herald.callbacks;

import io.herald.api.Json;
import io.herald.sms.PriceList;
import io.herald.store.MessageStatus;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bodies Herald posts: the COSMOS delivery-status object (docs/contract.md#delivery-status-callbacks), and the
 * webhook's dispatch summary.
 */
public final class CallbackBodies {
    public static final String MESSAGE_EVENT = "message_status";
    public static final String DISPATCH_EVENT = "dispatch_completed";
    /** {@code message_timestamp}: {@code YYYY-MM-DD HH:MM:SS}, UTC. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CallbackBodies() {
    }

    /** {@code delivered}, or {@code not_delivered} for every other final state. */
    public static String word(MessageStatus status) {
        return status == MessageStatus.DELIVERED ? "delivered" : "not_delivered";
    }

    public static String message(MessageStatus status, String to, String messageId, BigDecimal price, OffsetDateTime at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", word(status));
        body.put("to", to);
        body.put("message_id", messageId);
        body.put("price", PriceList.asJson(price));
        body.put("message_timestamp", timestamp(at));
        return Json.write(body);
    }

    public static String dispatch(long dispatchId, Map<MessageStatus, Long> counts, OffsetDateTime at) {
        Map<String, Object> byStatus = new LinkedHashMap<>();
        long total = 0;
        for (MessageStatus status : MessageStatus.FINAL) {
            long n = counts.getOrDefault(status, 0L);
            byStatus.put(status.name().toLowerCase(java.util.Locale.ROOT), n);
            total += n;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", DISPATCH_EVENT);
        body.put("dispatch_id", dispatchId);
        body.put("messages", total);
        body.put("counts", byStatus);
        body.put("message_timestamp", timestamp(at));
        return Json.write(body);
    }

    public static String timestamp(OffsetDateTime at) {
        return TIMESTAMP.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
