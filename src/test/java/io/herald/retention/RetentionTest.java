package io.herald.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.herald.retention.RetentionRun;
import io.herald.support.Await;
import io.herald.support.Engines;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Data retention against the real application, on H2 and on PostgreSQL, with the default periods (P30D for content,
 * P400D for rows): messages are made old honestly, by moving back the time they became final ({@code updated_at})
 * with SQL, and the retention route runs on demand (direct:retention) and, in one test, on its schedule.
 */
@ExtendWith(Engines.class)
class RetentionTest {
    static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC);

    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void oldFinalMessagesLoseTheirContentThenTheirRowsWhileYoungAndUnfinishedOnesStay(String database) throws Exception {
        HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hooks.start();
        Map<String, String> config = engine(database);
        config.put("herald.retention.batch-size", "2");
        config.put("herald.housekeeping.delay-ms", "3600000");
        config.put("herald.callbacks.allow-private", "true");
        config.put("herald.crm.poll-ms", "100");
        String hook = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook";
        try (HeraldApp app = HeraldApp.start(data, config)) {
            Tenant t = app.newTenant("{\"name\":\"Kept for a while\"}", true);
            app.tenant("PUT", "/v1/webhook", t.apiKey(), "{\"url\":\"" + hook + "\"}").expect(200);
            JsonNode email = app.activeCampaign(t, "{\"name\":\"e\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"Hi %recipient.name%\",\"text\":\"Hello %recipient.name%\",\"html\":\"<p>Hello %recipient.name%</p>\"}");
            JsonNode sms = app.activeCampaign(t, "{\"name\":\"s\",\"channel\":\"SMS\",\"from\":\"Acme\","
                    + "\"text\":\"Your code is %recipient.code% \u0105\"}");

            String emailOld = coSender(app, t, email, "erase.me@example.com", Map.of("name", "Erin"));
            String smsOld = coSender(app, t, sms, "+306936862208", Map.of("code", "1234"));
            String young = coSender(app, t, email, "young@example.com", Map.of("name", "Yann"));
            String cosmosOld = cosmos(app, t, hook);
            long crmOldDispatch = messaging(app, t, email, "gone@example.com", "card-1", null);
            long crmErasedDispatch = messaging(app, t, email, "card.holder@example.com", "card-2", null);
            String scheduledAt = NOW.plusDays(30).truncatedTo(ChronoUnit.SECONDS).toString();
            long scheduledDispatch = messaging(app, t, email, "later@example.com", "card-3", scheduledAt);
            String crmOld = messageOf(app, crmOldDispatch);
            String crmErased = messageOf(app, crmErasedDispatch);
            String scheduled = messageOf(app, scheduledDispatch);

            for (String id : List.of(emailOld, smsOld, young, cosmosOld, crmOld, crmErased)) {
                app.awaitStatus(t, id, "DELIVERED");
            }
            await(app, "SELECT COUNT(*) FROM crm_record WHERE message_id IN ('" + crmOld + "', '" + crmErased + "')", 2);
            // the webhook's summaries of the two dispatches, stored once their messages are final
            await(app, "SELECT COUNT(*) FROM callback WHERE message_id IS NULL AND dispatch_id IN (" + crmOldDispatch + ", "
                    + crmErasedDispatch + ")", 2);
            Map<String, JsonNode> before = new HashMap<>();
            for (String id : List.of(emailOld, smsOld, young, crmErased, scheduled)) {
                before.put(id, get(app, t, id).expect(200).json());
            }
            assertThat(count(app, "SELECT COUNT(*) FROM callback WHERE message_id = ?", emailOld)).isEqualTo(1);
            assertThat(count(app, "SELECT COUNT(*) FROM sandbox_delivery WHERE message_id = ?", emailOld)).isEqualTo(1);
            assertThat(count(app, "SELECT COUNT(*) FROM cosmos_message WHERE message_id = ?", cosmosOld)).isEqualTo(1);

            // nothing is old yet: a run changes nothing
            RetentionRun idle = run(app);
            assertThat(idle.batches()).isZero();
            assertThat(snapshot(app, t, before)).isEqualTo(before);

            // final 31 days ago: the content goes; 401 days ago: the rows go; a SCHEDULED (not final) message stays
            backDate(app, "UPDATE message SET updated_at = ? WHERE id IN (?, ?, ?)", NOW.minusDays(31), emailOld, smsOld, crmErased);
            backDate(app, "UPDATE message SET updated_at = ? WHERE id IN (?, ?)", NOW.minusDays(401), cosmosOld, crmOld);
            backDate(app, "UPDATE dispatch SET created_at = ? WHERE id = ?", NOW.minusDays(401), crmOldDispatch);
            backDate(app, "UPDATE message SET updated_at = ?, created_at = ? WHERE id = ?", NOW.minusDays(500),
                    NOW.minusDays(500), scheduled);
            backDate(app, "UPDATE dispatch SET created_at = ? WHERE id = ?", NOW.minusDays(500), scheduledDispatch);

            RetentionRun done = run(app);
            assertThat(done.deletedMessages()).isEqualTo(2);
            assertThat(done.deletedDispatches()).isEqualTo(1);
            assertThat(done.erasedMessages()).isEqualTo(3);
            // batches of 2: one delete, one dispatch, two erase (2 + 1)
            assertThat(done.batches()).isEqualTo(4);

            // erased: status, channel, dispatch, events' statuses and times stay; recipient and details are absent
            for (String id : List.of(emailOld, smsOld, crmErased)) {
                JsonNode was = before.get(id);
                JsonNode now = get(app, t, id).expect(200).json();
                assertThat(now.has("recipient")).as(now.toString()).isFalse();
                assertThat(now.get("contentErasedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
                assertThat(now.get("status").asText()).isEqualTo("DELIVERED");
                assertThat(now.get("channel")).isEqualTo(was.get("channel"));
                assertThat(now.get("dispatchId")).isEqualTo(was.get("dispatchId"));
                assertThat(now.get("events")).hasSameSizeAs(was.get("events"));
                for (int i = 0; i < was.get("events").size(); i++) {
                    JsonNode event = now.get("events").get(i);
                    assertThat(fields(event)).containsExactly("status", "at");
                    assertThat(event.get("status")).isEqualTo(was.get("events").get(i).get("status"));
                    assertThat(event.get("at")).isEqualTo(was.get("events").get(i).get("at"));
                }
                List<Object> row = row(app, "SELECT recipient, subject, body_text, body_html, unsubscribe_url, last_error, status,"
                        + " attempts FROM message WHERE id = ?", id);
                assertThat(row.subList(0, 6)).containsOnlyNulls();
                assertThat(row.get(6)).isEqualTo("DELIVERED");
                assertThat(((Number) row.get(7)).intValue()).isEqualTo(1);
                assertThat(count(app, "SELECT COUNT(*) FROM message_event WHERE message_id = ? AND detail IS NOT NULL", id)).isZero();
                for (String table : List.of("sandbox_delivery", "callback", "crm_record", "crm_outbox")) {
                    assertThat(count(app, "SELECT COUNT(*) FROM " + table + " WHERE message_id = ?", id)).as(table).isZero();
                }
            }
            JsonNode erasedSms = get(app, t, smsOld).json();
            assertThat(erasedSms.get("encoding").asText()).isEqualTo("UCS-2").isEqualTo(before.get(smsOld).get("encoding").asText());
            assertThat(erasedSms.get("segments")).isEqualTo(before.get(smsOld).get("segments"));
            assertThat(get(app, t, emailOld).json().has("encoding")).isFalse();

            // deleted: the message and all that refers to it; the dispatch it emptied too, an emptied young one stays
            for (String id : List.of(cosmosOld, crmOld)) {
                get(app, t, id).expect(404);
                for (String sql : List.of("SELECT COUNT(*) FROM message WHERE id = ?", "SELECT COUNT(*) FROM message_event WHERE message_id = ?",
                        "SELECT COUNT(*) FROM cosmos_message WHERE message_id = ?", "SELECT COUNT(*) FROM callback WHERE message_id = ?",
                        "SELECT COUNT(*) FROM crm_record WHERE message_id = ?", "SELECT COUNT(*) FROM sandbox_delivery WHERE message_id = ?")) {
                    assertThat(count(app, sql, id)).as(sql).isZero();
                }
            }
            app.tenant("GET", "/api/Dispatches/" + crmOldDispatch, t.apiKey(), null).expect(404);
            assertThat(count(app, "SELECT COUNT(*) FROM callback WHERE dispatch_id = ?", crmOldDispatch)).isZero();
            assertThat(count(app, "SELECT COUNT(*) FROM callback WHERE message_id IS NULL AND dispatch_id = ?", crmErasedDispatch))
                    .isEqualTo(1);
            app.tenant("GET", "/api/Dispatches/" + crmErasedDispatch, t.apiKey(), null).expect(200);
            app.tenant("GET", "/api/Dispatches/" + scheduledDispatch, t.apiKey(), null).expect(200);

            // young and unfinished messages are untouched, with their records
            assertThat(get(app, t, young).json()).isEqualTo(before.get(young));
            assertThat(get(app, t, scheduled).json()).isEqualTo(before.get(scheduled));
            assertThat(get(app, t, scheduled).json().get("recipient").asText()).isEqualTo("later@example.com");
            assertThat(count(app, "SELECT COUNT(*) FROM sandbox_delivery WHERE message_id = ?", young)).isEqualTo(1);
            assertThat(count(app, "SELECT COUNT(*) FROM callback WHERE message_id = ?", young)).isEqualTo(1);
            assertThat(count(app, "SELECT COUNT(*) FROM crm_outbox WHERE message_id = ?", scheduled)
                    + count(app, "SELECT COUNT(*) FROM crm_record WHERE message_id = ?", scheduled)).isEqualTo(1);
            assertThat(row(app, "SELECT body_text FROM message WHERE id = ?", young).get(0)).isEqualTo("Hello Yann");

            // a second run finds nothing left to do
            RetentionRun again = run(app);
            assertThat(again.batches()).isZero();
            assertThat(again.erasedMessages() + again.deletedMessages() + again.deletedDispatches()).isZero();
        } finally {
            hooks.stop(0);
        }
    }

    @Test
    void theScheduleErasesWithoutBeingAsked() throws Exception {
        Map<String, String> config = engine("h2");
        config.put("herald.housekeeping.delay-ms", "100");
        config.put("herald.housekeeping.period-ms", "200");
        try (HeraldApp app = HeraldApp.start(data, config)) {
            Tenant t = app.newTenant("{\"name\":\"Scheduled\"}", true);
            JsonNode email = app.activeCampaign(t, "{\"name\":\"e\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"Hi\",\"text\":\"Hello\"}");
            String id = coSender(app, t, email, "scheduled@example.com", Map.of());
            app.awaitStatus(t, id, "DELIVERED");
            backDate(app, "UPDATE message SET updated_at = ? WHERE id = ?", NOW.minusDays(30).minusMinutes(1), id);
            JsonNode erased = app.awaitMessage(t, id, m -> !m.has("recipient"), Duration.ofSeconds(20));
            assertThat(erased.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(erased.has("contentErasedAt")).isTrue();
        }
    }

    @Test
    void settingsThatWouldLoseCallbacksOrKeepRowsShorterThanContentStopTheStart() {
        Map<String, String> config = engine("h2");
        config.put("herald.retention.message-content", "PT1H");
        assertThatThrownBy(() -> HeraldApp.start(data.resolve("1"), config)).hasStackTraceContaining(
                "herald.retention.message-content (PT1H) must be longer than herald.callbacks.give-up-after (PT24H)");
        config.put("herald.retention.message-content", "P30D");
        config.put("herald.retention.messages", "P7D");
        assertThatThrownBy(() -> HeraldApp.start(data.resolve("2"), config)).hasStackTraceContaining(
                "herald.retention.messages (P7D) must not be shorter than herald.retention.message-content (P30D)");
        config.put("herald.retention.messages", "400 days");
        assertThatThrownBy(() -> HeraldApp.start(data.resolve("3"), config)).hasStackTraceContaining(
                "herald.retention.messages must be an ISO-8601 duration such as P30D, not 400 days");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static Map<String, String> engine(String database) {
        Map<String, String> config = new HashMap<>();
        if ("postgresql".equals(database)) {
            config.put("herald.db.url", Engines.newDatabase("retention"));
            config.put("herald.db.user", "postgres");
            config.put("herald.db.password", "postgres");
        }
        return config;
    }

    private static RetentionRun run(HeraldApp app) {
        return app.context().createProducerTemplate().requestBody("direct:retention", null, RetentionRun.class);
    }

    private static HeraldApp.Response get(HeraldApp app, Tenant t, String id) {
        return app.tenant("GET", "/v1/messages/" + id, t.apiKey(), null);
    }

    private static Map<String, JsonNode> snapshot(HeraldApp app, Tenant t, Map<String, JsonNode> ids) {
        Map<String, JsonNode> now = new HashMap<>();
        ids.keySet().forEach(id -> now.put(id, get(app, t, id).expect(200).json()));
        return now;
    }

    private static String coSender(HeraldApp app, Tenant t, JsonNode campaign, String recipient, Map<String, String> parameters) {
        ObjectNode body = HeraldApp.JSON.createObjectNode().put("code", campaign.get("code").asText());
        ObjectNode message = body.putArray("messages").addObject().put("recipient", recipient);
        ObjectNode params = message.putObject("parameters");
        parameters.forEach(params::put);
        JsonNode entry = app.tenant("POST", "/v1/messages", t.apiKey(), body.toString()).expect(200).json().at("/messages/0");
        assertThat(entry.get("status").asText()).as(entry.toString()).isEqualTo("OK");
        return entry.get("messageId").asText();
    }

    private static String cosmos(HeraldApp app, Tenant t, String callback) {
        ObjectNode body = HeraldApp.JSON.createObjectNode().put("api_key", t.apiKey()).put("api_secret", t.apiSecret())
                .put("to", "033334445566770").put("from", "Company").put("text", "Hello from COSMOS")
                .put("callback", callback);
        JsonNode answer = app.send("POST", "/v1.0/sms/", "application/json", body.toString(), Map.of()).expect(200).json();
        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("ok");
        return answer.get("message_id").asText();
    }

    /** A Messaging API dispatch to one recipient with a card number; answers its id once its message is stored. */
    private static long messaging(HeraldApp app, Tenant t, JsonNode campaign, String email, String card, String scheduleDate) {
        ObjectNode body = HeraldApp.JSON.createObjectNode().put("templateId", campaign.get("id").asLong());
        if (scheduleDate != null) {
            body.put("scheduleDate", scheduleDate);
        }
        ArrayNode recipients = body.putArray("recipients");
        recipients.addObject().put("uniqueId", card + "-holder").put("email", email).put("cardNumber", card)
                .putObject("parameters").put("name", "Card");
        long dispatch = app.tenant("POST", "/api/SendMessages", t.apiKey(), body.toString()).expect(200).json().get("dispatch").asLong();
        app.awaitSpoolDrained(dispatch);
        return dispatch;
    }

    private static String messageOf(HeraldApp app, long dispatchId) throws Exception {
        return (String) row(app, "SELECT id FROM message WHERE dispatch_id = ?", dispatchId).get(0);
    }

    private static void backDate(HeraldApp app, String sql, Object... params) throws Exception {
        try (Connection c = dataSource(app).getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            assertThat(ps.executeUpdate()).as(sql).isPositive();
        }
    }

    private static long count(HeraldApp app, String sql, Object... params) throws Exception {
        return ((Number) row(app, sql, params).get(0)).longValue();
    }

    private static void await(HeraldApp app, String sql, long expected) {
        Await.until(sql + " is " + expected, Duration.ofSeconds(20), () -> app.count(sql), n -> n == expected);
    }

    private static List<Object> row(HeraldApp app, String sql, Object... params) throws Exception {
        try (Connection c = dataSource(app).getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                return row;
            }
        }
    }

    private static DataSource dataSource(HeraldApp app) {
        return app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
