package io.herald.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp.Response;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Speaks the Messaging API (seed 002) to a running {@link HeraldApp}, and reads what it stored. */
public final class MessagingApi {
    public static final String ERROR_TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000";
    /** The dispatch's times: UTC without offset, milliseconds with trailing zeros dropped (seed 002 sample). */
    public static final String DISPATCH_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?";
    public static final List<String> SEND_FIELDS = List.of("dispatch", "totalRecipients", "totalRecipientsSent", "invalidRecipients",
            "sendDate", "invalidEmails", "invalidMobiles");
    public static final List<String> DISPATCH_FIELDS = List.of("dispatchId", "campaignMessageId", "scheduleId", "createdAt",
            "startedQueuingAt", "finishedQueuingAt", "messageTypeId", "isTest", "isInitialized", "hasStartedQueuing",
            "hasFinishedQueuing", "totalRecipients", "sendStatusId", "errorMessage", "lastUpdate", "queueAt", "sendAt",
            "legacyCode1", "gatewayId", "gatewayId1", "creationDate", "modifiedDate");

    private MessagingApi() {
    }

    public static Response send(HeraldApp app, String apiKey, String json) {
        return app.tenant("POST", "/api/SendMessages", apiKey, json);
    }

    /** A call answered 200 with the seed's fields, once its messages are stored (see {@link #awaitStored}). */
    public static JsonNode sendOk(HeraldApp app, String apiKey, String json) {
        JsonNode answer = send(app, apiKey, json).expect(200).json();
        assertThat(fieldNames(answer)).as(answer.toString()).containsExactlyElementsOf(SEND_FIELDS);
        awaitStored(app, answer.get("dispatch").asLong());
        return answer;
    }

    /**
     * Waits until every message of the dispatch is stored as a message: the call is answered once they are spooled,
     * and they become message rows just after (accept-pipeline.camel.yaml, the spool routes).
     */
    public static void awaitStored(HeraldApp app, long dispatchId) {
        app.awaitSpoolDrained(dispatchId);
    }

    public static Response dispatch(HeraldApp app, String apiKey, long dispatchId) {
        return app.tenant("GET", "/api/Dispatches/" + dispatchId, apiKey, null);
    }

    /** Polls GET /api/Dispatches/{id} until the predicate holds. */
    public static JsonNode awaitDispatch(HeraldApp app, String apiKey, long dispatchId, Predicate<JsonNode> condition) {
        return Await.until("dispatch " + dispatchId + " reaches the expected state", Duration.ofSeconds(20),
                () -> dispatch(app, apiKey, dispatchId).expect(200).json(), condition);
    }

    /** A request body: {"templateId", "scheduleDate"?, "recipients"}. */
    public static ObjectNode request(long templateId, String scheduleDate, ArrayNode recipients) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("templateId", templateId);
        if (scheduleDate != null) {
            body.put("scheduleDate", scheduleDate);
        }
        body.set("recipients", recipients);
        return body;
    }

    public static ObjectNode recipient(ArrayNode recipients, String uniqueId, String email, String mobile) {
        ObjectNode r = recipients.addObject();
        if (uniqueId != null) {
            r.put("uniqueId", uniqueId);
        }
        if (email != null) {
            r.put("email", email);
        }
        if (mobile != null) {
            r.put("mobilePhone", mobile);
        }
        return r;
    }

    public static ArrayNode recipients() {
        return HeraldApp.JSON.createArrayNode();
    }

    /** The message ids of a dispatch, by recipient (E.164 or normalised email). */
    public static Map<String, String> messagesByRecipient(HeraldApp app, long dispatchId) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (List<Object> row : query(app, "SELECT recipient, id FROM message WHERE dispatch_id = ? ORDER BY created_at, recipient",
                dispatchId)) {
            ids.put((String) row.get(0), (String) row.get(1));
        }
        return ids;
    }

    public static List<List<Object>> query(HeraldApp app, String sql, Object... params) {
        return app.query(sql, params);
    }

    public static long count(HeraldApp app, String sql, Object... params) {
        return app.count(sql, params);
    }

    /** Polls a count query until it reaches {@code expected}. */
    public static void awaitCount(HeraldApp app, long expected, String sql, Object... params) {
        Await.until("a count of " + expected + ": " + sql, Duration.ofSeconds(30), () -> count(app, sql, params), n -> n == expected);
    }

    public static Instant dispatchTime(JsonNode node) {
        assertThat(node.asText()).matches(DISPATCH_TIME);
        return LocalDateTime.parse(node.asText()).toInstant(ZoneOffset.UTC);
    }

    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** Asserts the seed-001 error object, exactly its six fields, and answers it. */
    public static JsonNode assertError(Response r, int httpStatus, int code) {
        assertThat(r.status()).as(r.body()).isEqualTo(httpStatus);
        assertThat(r.header("Content-Type")).as("Content-Type").startsWith("application/json");
        JsonNode e = r.json();
        assertThat(fieldNames(e)).as(r.body()).containsExactlyInAnyOrder("type", "code", "status", "timestamp", "error", "message");
        assertThat(e.get("type").asText()).as(r.body()).isEqualTo(httpStatus >= 500 ? "SYSTEM" : "CLIENT");
        assertThat(e.get("code").asInt()).as(r.body()).isEqualTo(code);
        assertThat(e.get("status").asInt()).as(r.body()).isEqualTo(httpStatus);
        assertThat(e.get("timestamp").asText()).as(r.body()).matches(ERROR_TIMESTAMP);
        assertThat(e.get("message").asText()).as(r.body()).isNotBlank();
        return e;
    }

    /** Waits until the given instant has passed (a schedule time, not an outcome). */
    public static void until(Instant instant) {
        Await.past(instant);
    }
}
