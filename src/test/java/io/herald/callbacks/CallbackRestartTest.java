package io.herald.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.CallbackReceiver;
import io.herald.support.CallbackReceiver.Received;
import io.herald.support.Cosmos;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.herald.support.Cosmos.request;
import static io.herald.support.Cosmos.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/** Restarts of the real application at each point of a callback's way: nothing is lost, nothing is posted twice. */
class CallbackRestartTest {
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Pattern PROVIDER_ID = Pattern.compile("accepted by SMS provider as ([A-Za-z0-9_-]+)");

    @TempDir
    Path data;
    SmsProviderStub provider;
    CallbackReceiver receiver;
    int port;
    Map<String, String> config;

    @BeforeEach
    void start() throws Exception {
        provider = new SmsProviderStub();
        receiver = new CallbackReceiver();
        port = HeraldApp.freePort();
        config = new HashMap<>(Map.of(
                "herald.sms.provider.url", provider.url(),
                "herald.sms.provider.api-key", "k",
                "herald.sms.provider.api-secret", "s",
                "herald.public-url", "http://localhost:" + port,
                "herald.callbacks.allow-private", "true",
                "herald.callbacks.poll-interval-ms", "200"));
    }

    @AfterEach
    void stop() {
        provider.close();
        receiver.close();
    }

    @Test
    void restartBetweenTheDeliveryReportAndTheCallbackStillDeliversTheCallbackOnce() {
        String path = "/after-report";
        receiver.answerAlways(path, 503);
        Tenant tenant;
        String id;
        try (HeraldApp first = HeraldApp.start(data, port, config)) {
            tenant = first.newTenant("{\"name\":\"Restarted\"}", false);
            id = sendOk(first, withCallback(request(tenant, Cosmos.TO, "Survive a restart"), path));
            first.awaitStatus(tenant, id, "DELIVERED");
            receiver.awaitCount(path, 1);
        }
        receiver.answerAlways(path, 200);
        int failedBefore = receiver.receivedAt(path).size();

        try (HeraldApp second = HeraldApp.start(data, port, config)) {
            List<Received> all = receiver.await(path, r -> r.stream().anyMatch(x -> x.answered() == 200), Duration.ofSeconds(20));
            receiver.assertNoMoreThan(path, all.size(), QUIET);
            List<Received> posted = receiver.receivedAt(path).stream().filter(r -> r.answered() == 200).toList();
            assertThat(posted).hasSize(1);
            assertThat(receiver.receivedAt(path)).hasSizeGreaterThan(failedBefore);
            JsonNode body = json(posted.get(0).body());
            assertThat(body.get("message_id").asText()).isEqualTo(id);
            assertThat(body.get("status").asText()).isEqualTo("delivered");
            assertThat(receiver.receivedAt(path)).extracting(Received::body).containsOnly(posted.get(0).body());
        }
    }

    @Test
    void restartBetweenSentAndTheDeliveryReportStillGivesOneCallback() throws Exception {
        provider.sendReports(false);
        String path = "/after-sent";
        Tenant tenant;
        String id;
        String providerId;
        try (HeraldApp first = HeraldApp.start(data, port, config)) {
            tenant = first.newTenant("{\"name\":\"Half way\"}", false);
            id = sendOk(first, withCallback(request(tenant, Cosmos.TO, "Report comes later"), path));
            JsonNode sent = first.awaitStatus(tenant, id, "SENT");
            Matcher m = PROVIDER_ID.matcher(sent.toString());
            assertThat(m.find()).isTrue();
            providerId = m.group(1);
        }
        assertThat(callbackRows(id)).as("SENT gives no callback; the message's row is all that waits for the report").isZero();

        try (HeraldApp second = HeraldApp.start(data, port, config)) {
            String report = "{\"status\":\"delivered\",\"to\":\"" + Cosmos.TO + "\",\"message_id\":\"" + providerId
                    + "\",\"price\":0.01,\"message_timestamp\":\"2026-11-23 10:00:00\"}";
            second.send("POST", "/callbacks/sms/dlr", "application/json", report, Map.of()).expect(200);
            second.awaitStatus(tenant, id, "DELIVERED");
            Received callback = receiver.awaitCount(path, 1).get(0);
            assertThat(json(callback.body()).get("status").asText()).isEqualTo("delivered");
            assertThat(json(callback.body()).get("message_id").asText()).isEqualTo(id);
            receiver.assertNoMoreThan(path, 1, QUIET);
            assertThat(callbackRows(id)).isEqualTo(1);
        }
    }

    @Test
    void aFinalStateWhoseCallbacksWereNeverPlannedIsToldAgainAtStart() throws Exception {
        String path = "/lost-event";
        Tenant tenant;
        String id;
        try (HeraldApp first = HeraldApp.start(data, port, config)) {
            tenant = first.newTenant("{\"name\":\"Lost\"}", false);
            id = sendOk(first, withCallback(request(tenant, Cosmos.TO, "Told twice?"), path));
            first.awaitStatus(tenant, id, "DELIVERED");
            receiver.awaitCount(path, 1);
        }
        // as if the status event had been lost in the in-memory queue before its callbacks were stored
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement("DELETE FROM callback WHERE message_id = ?")) {
            ps.setString(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (HeraldApp second = HeraldApp.start(data, port, config)) {
            receiver.awaitCount(path, 2);
            receiver.assertNoMoreThan(path, 2, QUIET);
        }
    }

    private long callbackRows(String messageId) throws Exception {
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM callback WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.resolve("herald").toAbsolutePath(), "herald", "herald");
    }

    private ObjectNode withCallback(ObjectNode body, String path) {
        body.put("callback", receiver.url(path));
        return body;
    }

    private static JsonNode json(String body) {
        try {
            return HeraldApp.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
