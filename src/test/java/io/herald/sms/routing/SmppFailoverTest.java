package io.herald.sms.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import io.herald.tools.SmppSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover from an smpp upstream whose SMSC refuses binds to an http upstream, and back once it binds again, with the
 * upstreams' state on /observe/health: the real application, the routing table of its file, the SMPP simulator as SMSC
 * A and a real HTTP provider as B.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmppFailoverTest {
    @TempDir
    static Path data;
    static SmppSimulator smsc;
    static SmsProviderStub b;
    static HeraldApp app;
    static Tenant tenant;
    static String code;
    static String table;

    @BeforeAll
    static void start() throws Exception {
        smsc = new SmppSimulator(HeraldApp.freePort(), 20);
        smsc.refuseBinds(true);
        b = new SmsProviderStub("B_");
        b.sendReports(false);
        table = """
                {"upstreams": [{"name": "a", "kind": "smpp", "host": "127.0.0.1", "port": %d, "systemId": "herald",
                   "password": "secret", "window": 7, "tps": 50},
                  {"name": "b", "kind": "http", "url": "%s", "apiKey": "key-b", "apiSecret": "secret-b"}],
                 "rules": [{"match": {}, "upstreams": ["a", "b"]}]}""".formatted(smsc.port(), b.url());
        Path file = data.resolve("routing.json");
        Files.writeString(file, table);
        int port = HeraldApp.freePort();
        app = HeraldApp.start(data.resolve("db"), port, Map.of(
                "herald.sms.routing-file", file.toString(), "herald.public-url", "http://localhost:" + port,
                // short settings: the circuit opens after 2 failures, and lets a trial through after 2 s
                "herald.sms.failover.minimum-calls", "2", "herald.sms.failover.window", "4",
                "herald.sms.failover.open-for", "PT2S", "herald.sms.failover.half-open-calls", "1",
                "herald.smpp.reconnect-initial-ms", "100", "herald.smpp.reconnect-max-ms", "300",
                "herald.smpp.response-timeout-ms", "3000"));
        tenant = app.newTenant("{\"name\":\"Failover\"}", false);
        code = app.activeCampaign(tenant, "{\"name\":\"c-" + UUID.randomUUID()
                + "\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"%recipient.body%\"}").get("code").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable started : new AutoCloseable[] {app, smsc, b}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    @Order(1)
    void whileTheSmscRefusesBindsBCarriesEachMessageOnceAndWhenItBindsAgainTrafficReturnsToA() {
        JsonNode check = upstreamsCheck(200);
        assertThat(check.get("status").asText()).isEqualTo("UP");
        assertThat(check.at("/data/degraded").asBoolean()).as(check.toString()).isTrue();
        assertThat(check.at("/data/upstream.a.bound").asBoolean(true)).as(check.toString()).isFalse();
        assertThat(check.at("/data/upstream.a.window").asInt()).isEqualTo(7);
        assertThat(check.at("/data/upstream.a.tps").asInt()).isEqualTo(50);
        assertThat(check.at("/data/upstream.a.window-in-use").asInt(-1)).isZero();
        assertThat(check.at("/data/upstream.b").asText()).isEqualTo("CLOSED");

        Map<String, String> during = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            String text = "refused-" + i + " " + UUID.randomUUID();
            during.put(send(text), text);
        }
        during.forEach((id, text) -> assertCarried(id, text, "b"));
        assertThat(smsc.bindsAccepted()).isZero();
        assertThat(upstreamsCheck(200).at("/data/upstream.a").asText()).isEqualTo("OPEN");

        smsc.refuseBinds(false);
        JsonNode bound = awaitCheck(c -> c.at("/data/upstream.a.bound").asBoolean(), Duration.ofSeconds(15));
        assertThat(smsc.bound()).isPositive();
        assertThat(bound.get("status").asText()).isEqualTo("UP");
        HeraldApp.sleep(2_200); // open-for: then a trial message goes to a, and its success closes the circuit
        for (int i = 0; i < 4; i++) {
            String text = "recovered-" + i + " " + UUID.randomUUID();
            assertCarried(send(text), text, "a");
        }
        JsonNode closed = upstreamsCheck(200);
        assertThat(closed.at("/data/upstream.a").asText()).as(closed.toString()).isEqualTo("CLOSED");
        assertThat(closed.at("/data/degraded").isMissingNode()).as(closed.toString()).isTrue();
    }

    @Test
    @Order(2)
    void readinessIsDownOnlyWhenNoUpstreamOfTheTableIsAvailable() {
        int nobody = HeraldApp.freePort();
        app.admin("PUT", "/admin/sms-routing", """
                {"upstreams": [{"name": "unreachable", "kind": "smpp", "host": "127.0.0.1", "port": %d,
                   "systemId": "herald", "password": "x"}],
                 "rules": [{"match": {}, "upstreams": ["unreachable"]}]}""".formatted(nobody)).expect(200);
        JsonNode down = upstreamsCheck(503);
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/data/upstream.unreachable").asText()).isEqualTo("CLOSED");
        assertThat(down.at("/data/upstream.unreachable.bound").asBoolean(true)).isFalse();

        app.admin("PUT", "/admin/sms-routing", table).expect(200);
        JsonNode up = awaitCheck(c -> c.at("/data/upstream.a.bound").asBoolean(), Duration.ofSeconds(15));
        assertThat(up.get("status").asText()).isEqualTo("UP");
        assertThat(app.send("GET", "/observe/health/ready", null, null, Map.of()).status()).isEqualTo(200);
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** The message is SENT or DELIVERED by this upstream, and was taken exactly once by it and never by the other. */
    private static void assertCarried(String id, String text, String upstream) {
        JsonNode message = app.awaitMessage(tenant, id, m -> m.has("upstream")
                && java.util.Set.of("SENT", "DELIVERED").contains(m.get("status").asText()), Duration.ofSeconds(20));
        assertThat(message.get("upstream").asText()).as(message.toString()).isEqualTo(upstream);
        long atSmsc = smsc.answered().stream().filter(s -> s.text().equals(text)).count();
        long atB = b.acceptedWithText(text);
        assertThat(upstream.equals("a") ? new long[] {atSmsc, atB} : new long[] {atB, atSmsc}).as(text)
                .containsExactly(1, 0);
    }

    private static String send(String text) {
        ObjectNode body = HeraldApp.JSON.createObjectNode().put("code", code);
        ObjectNode message = body.putArray("messages").addObject().put("recipient", "+306936862301");
        message.putObject("parameters").put("body", text);
        JsonNode answer = app.tenant("POST", "/v1/messages", tenant.apiKey(), body.toString()).expect(200).json();
        assertThat(answer.at("/messages/0/status").asText()).as(answer.toString()).isEqualTo("OK");
        return answer.at("/messages/0/messageId").asText();
    }

    /** The sms-upstreams check as GET /observe/health/ready shows it with its details (Camel's data=true). */
    private static JsonNode upstreamsCheck(int status) {
        HeraldApp.Response r = ready();
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return upstreams(r);
    }

    private static JsonNode awaitCheck(Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode check = upstreams(ready());
        while (!condition.test(check) && System.nanoTime() < deadline) {
            HeraldApp.sleep(50);
            check = upstreams(ready());
        }
        assertThat(condition.test(check)).as(check.toString()).isTrue();
        return check;
    }

    private static HeraldApp.Response ready() {
        return app.send("GET", "/observe/health/ready?exposureLevel=full&data=true", null, null, Map.of());
    }

    private static JsonNode upstreams(HeraldApp.Response r) {
        for (JsonNode check : r.json().path("checks")) {
            if ("sms-upstreams".equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no sms-upstreams check in " + r.body());
    }
}
