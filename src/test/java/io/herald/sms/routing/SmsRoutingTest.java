package io.herald.sms.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * (Over 250 lines: the routing, validation and failover tests share one application and three providers, as a start
 * of the application costs about 30 s on the shared test box.)
 * <p>
 * SMS upstreams and routing (SPEC §6) end to end: the real application with three real HTTP providers (SPEC §4), a
 * routing table read from its file at start, then tables put through the operator API.
 */
class SmsRoutingTest {
    @TempDir
    static Path data;
    static SmsProviderStub a;
    static SmsProviderStub b;
    static SmsProviderStub c;
    static HeraldApp app;
    static Tenant tenant;
    static Tenant other;
    static String herald;
    static String otherSender;
    /** What the app had before any test put a table: the table GET answered, two messages sent under it. */
    static JsonNode fileTable;
    static String toCyprus;
    static String toGreece;

    @BeforeAll
    static void start() throws Exception {
        a = new SmsProviderStub("A_");
        b = new SmsProviderStub("B_");
        c = new SmsProviderStub("C_");
        Path file = data.resolve("routing.json");
        Files.writeString(file, """
                {"upstreams": [
                   {"name": "a", "kind": "http", "url": "%s", "apiKey": "key-a", "apiSecret": "secret-a"},
                   {"name": "b", "kind": "http", "url": "%s", "apiKey": "key-b", "apiSecret": "secret-b"}],
                 "rules": [{"match": {"prefix": "357"}, "upstreams": ["b"]}, {"match": {}, "upstreams": ["a"]}]}
                """.formatted(a.url(), b.url()));
        int port = HeraldApp.freePort();
        app = HeraldApp.start(data.resolve("db"), port, Map.of(
                "herald.sms.routing-file", file.toString(),
                "herald.public-url", "http://localhost:" + port,
                "herald.sms.failover.minimum-calls", "2",
                "herald.sms.failover.window", "4",
                "herald.sms.failover.open-for", "PT5S",
                "herald.sms.failover.half-open-calls", "1",
                "herald.retry.initial-delay-ms", "200",
                "herald.retry.max-delay-ms", "1000"));
        tenant = app.newTenant("{\"name\":\"Router\"}", false);
        other = app.newTenant("{\"name\":\"Other\"}", false);
        herald = campaign(tenant, "Herald");
        otherSender = campaign(tenant, "Other");
        fileTable = app.admin("GET", "/admin/sms-routing", null).expect(200).json();
        toCyprus = send(tenant, herald, "+35799123456", "file-cy");
        toGreece = send(tenant, herald, "+306936862201", "file-gr");
        // carried under the file's table before any test puts another one (a table applies to messages not yet sent)
        for (String id : new String[] {toCyprus, toGreece}) {
            app.awaitMessage(tenant, id, SmsRoutingTest::sent, Duration.ofSeconds(20));
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        for (SmsProviderStub stub : new SmsProviderStub[] {a, b, c}) {
            if (stub != null) {
                stub.close();
            }
        }
    }

    @BeforeEach
    void providersUp() {
        for (SmsProviderStub stub : new SmsProviderStub[] {a, b, c}) {
            stub.recover();
            stub.sendReports(false);
        }
    }

    @Test
    void theTableOfTheFileIsInForceFromTheStart() {
        assertThat(fileTable.at("/upstreams/0/url").asText()).isEqualTo(a.url());
        assertThat(fileTable.at("/upstreams/1/name").asText()).isEqualTo("b");
        assertThat(fileTable.at("/rules/0/match/prefix").asText()).isEqualTo("357");
        assertCarriedBy(toCyprus, "b", b);
        assertCarriedBy(toGreece, "a", a);
        assertThat(a.requests().stream().filter(r -> texts.get(toGreece).equals(r.path("text").asText())).findFirst()
                .orElseThrow().path("api_secret").asText()).isEqualTo("secret-a");
    }

    @Test
    void prefixCountryAccountSenderAndEncodingRulesChooseTheUpstream() {
        put("""
                {"upstreams": [%s, %s, %s],
                 "rules": [
                   {"match": {"prefix": "357"}, "upstreams": ["b"]},
                   {"match": {"country": "DE"}, "upstreams": ["c"]},
                   {"match": {"account": %d}, "upstreams": ["c"]},
                   {"match": {"sender": "Other"}, "upstreams": ["b"]},
                   {"match": {"encoding": "UCS2"}, "upstreams": ["c"]},
                   {"match": {}, "upstreams": ["a"]}]}
                """.formatted(http("a", a), http("b", b), http("c", c), other.accountId()));
        assertCarriedBy(send(tenant, herald, "+35799123456", "prefix"), "b", b);
        assertCarriedBy(send(tenant, herald, "+491701234567", "country"), "c", c);
        assertCarriedBy(send(other, campaign(other, "Herald"), "+306936862201", "account"), "c", c);
        assertCarriedBy(send(tenant, otherSender, "+306936862201", "sender"), "b", b);
        assertCarriedBy(send(tenant, herald, "+306936862201", "Καλημέρα"), "c", c);
        assertCarriedBy(send(tenant, herald, "+306936862201", "catch-all"), "a", a);
    }

    @Test
    void theCheapestUpstreamOfTheRuleGoesFirstByItsLongestPrefix() {
        put("""
                {"upstreams": [%s, %s, %s],
                 "rules": [{"match": {}, "upstreams": ["c", "a", "b"]}]}
                """.formatted(http("a", a, "\"price\": {\"30\": 0.05, \"\": 0.20}"),
                http("b", b, "\"price\": {\"3069\": 0.09, \"\": 0.01}"), http("c", c)));
        // 3069...: a 0.05 (prefix 30) beats b 0.09 (prefix 3069, the longer one, not its 0.01); c has no price: last
        assertCarriedBy(send(tenant, herald, "+306936862201", "cheap-gr"), "a", a);
        // 357...: b 0.01 beats a 0.20
        assertCarriedBy(send(tenant, herald, "+35799123456", "cheap-cy"), "b", b);
    }

    @Test
    void aBadTableIsRefusedNamingItsFaultAndTheOldOneStays() {
        put("""
                {"upstreams": [%s], "rules": [{"match": {}, "upstreams": ["a"]}]}""".formatted(http("a", a)));
        String before = app.admin("GET", "/admin/sms-routing", null).expect(200).body();
        String ok = http("a", a);
        Map<String, String> faults = new java.util.LinkedHashMap<>();
        faults.put("{\"upstreams\": [%s, %s], \"rules\": [{\"match\": {}, \"upstreams\": [\"a\"]}]}".formatted(ok, ok),
                "upstreams[1].name: 'a' is named twice");
        faults.put("{\"upstreams\": [{\"name\": \"x\", \"kind\": \"smtp\"}], \"rules\": [{\"match\": {}, \"upstreams\": [\"x\"]}]}",
                "upstreams[0] (x).kind: 'smtp' is not one of smpp, http, sandbox");
        faults.put("{\"upstreams\": [%s], \"rules\": [{\"match\": {}, \"upstreams\": [\"zz\"]}]}".formatted(ok),
                "rules[0].upstreams[0]: no upstream is named 'zz'");
        faults.put("{\"upstreams\": [%s], \"rules\": [{\"match\": {\"prefix\": \"30\"}, \"upstreams\": [\"a\"]}]}".formatted(ok),
                "rules[0].match: the last rule must have an empty match");
        faults.put("{\"upstreams\": [%s], \"rules\": [{\"match\": {\"country\": \"XX\"}, \"upstreams\": [\"a\"]}, {\"upstreams\": [\"a\"]}]}".formatted(ok),
                "rules[0].match.country: 'XX' is not an ISO 3166 alpha-2 country code");
        faults.put("{\"upstreams\": [%s], \"rules\": [{\"match\": {\"encoding\": \"UTF8\"}, \"upstreams\": [\"a\"]}, {\"upstreams\": [\"a\"]}]}".formatted(ok),
                "rules[0].match.encoding: 'UTF8' is not one of GSM7, UCS2");
        faults.put("{\"upstreams\": [%s], \"rules\": [{\"match\": {\"prefix\": \"+30\"}, \"upstreams\": [\"a\"]}, {\"upstreams\": [\"a\"]}]}".formatted(ok),
                "rules[0].match.prefix: '+30' is not 1 to 15 digits");
        faults.put("{\"upstreams\": [%s], \"rules\": [{\"match\": {}, \"upstreams\": [\"a\"]}]}".formatted(http("a", a, "\"price\": {\"30\": -1}")),
                "upstreams[0] (a).price.30: must be a number of at least 0");
        faults.put("{\"upstreams\": [{\"name\": \"s\", \"kind\": \"smpp\", \"systemId\": \"h\"}], \"rules\": [{\"match\": {}, \"upstreams\": [\"s\"]}]}",
                "upstreams[0] (s).host: is required");
        faults.put("{\"upstreams\": [{\"name\": \"h\", \"kind\": \"http\", \"url\": \"http://x\", \"window\": 5}], \"rules\": [{\"match\": {}, \"upstreams\": [\"h\"]}]}",
                "upstreams[0] (h).window: not a field of an upstream for kind http");
        faults.put("{\"upstreams\": [%s], \"rules\": []}".formatted(ok), "rules: must be a non-empty array");
        faults.forEach((table, fault) -> {
            JsonNode error = app.admin("PUT", "/admin/sms-routing", table).expect(400).json();
            assertThat(error.get("code").asInt()).as(table).isEqualTo(2001);
            assertThat(error.get("message").asText()).as(table).contains(fault);
        });
        assertThat(app.admin("GET", "/admin/sms-routing", null).expect(200).body()).isEqualTo(before);
    }

    @Test
    void getMasksTheSecretsAndPuttingThemBackKeepsThem() {
        put("""
                {"upstreams": [
                   {"name": "smsc", "kind": "smpp", "host": "127.0.0.1", "systemId": "herald", "password": "pw-smpp"},
                   %s],
                 "rules": [{"match": {}, "upstreams": ["masked"]}]}""".formatted(http("masked", c)));
        HeraldApp.Response got = app.admin("GET", "/admin/sms-routing", null).expect(200);
        String shown = got.body();
        assertThat(shown).doesNotContain("pw-smpp").doesNotContain("secret-masked");
        JsonNode table = got.json();
        assertThat(table.at("/upstreams/0/password").asText()).isEqualTo("***");
        assertThat(table.at("/upstreams/1/apiSecret").asText()).isEqualTo("***");
        // the defaults of SPEC §6, spelled out
        assertThat(table.at("/upstreams/0/port").asInt()).isEqualTo(2775);
        assertThat(table.at("/upstreams/0/bind").asText()).isEqualTo("transceiver");
        assertThat(table.at("/upstreams/0/window").asInt()).isEqualTo(10);
        assertThat(table.at("/upstreams/0/longMessages").asText()).isEqualTo("udh");

        put(shown); // as read: "***" keeps the secrets in force
        String id = send(tenant, herald, "+306936862201", "masked");
        assertCarriedBy(id, "masked", c);
        assertThat(c.requests().stream().filter(r -> texts.get(id).equals(r.path("text").asText())).findFirst()
                .orElseThrow().path("api_secret").asText()).isEqualTo("secret-masked");
    }

    @Test
    void whenTheFirstUpstreamIsDownTrafficMovesToTheNextAndReturnsWhenItRecovers() {
        put("""
                {"upstreams": [%s, %s], "rules": [{"match": {}, "upstreams": ["first", "second"]}]}
                """.formatted(http("first", a), http("second", b)));
        a.down(503);
        java.util.List<String> during = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            during.add(send(tenant, herald, "+306936862201", "during-" + i));
        }
        for (String id : during) {
            assertCarriedBy(id, "second", b);
            assertThat(a.acceptedWithText(texts.get(id))).isZero();
        }
        // the circuit opened after minimum-calls (2) failures: first was not asked for every message
        long askedFirst = during.stream().filter(id -> a.requestsWithText(texts.get(id)) > 0).count();
        assertThat(askedFirst).isGreaterThanOrEqualTo(2).isLessThan(during.size());
        org.apache.camel.health.HealthCheck.Result upstreams = org.apache.camel.health.HealthCheckRegistry.get(app.context())
                .getCheck("sms-upstreams").orElseThrow().call();
        assertThat(upstreams.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
        assertThat(upstreams.getDetails()).containsEntry("degraded", true).containsEntry("upstream.first", "OPEN")
                .containsEntry("upstream.second", "CLOSED");
        assertThat(app.send("GET", "/observe/health/ready", null, null, Map.of()).status()).isEqualTo(200);
        String metrics = app.send("GET", "/observe/metrics", null, null, Map.of()).body();
        assertThat(metrics).contains("herald_sms_upstream_circuit{upstream=\"first\"} 2.0")
                .contains("herald_sms_upstream_failed_total{upstream=\"first\"}")
                .contains("herald_sms_upstream_sent_total{upstream=\"second\"}");

        a.recover();
        HeraldApp.sleep(5_500); // open-for: then a trial message goes to first, and its success closes the circuit
        java.util.List<String> after = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = send(tenant, herald, "+306936862201", "after-" + i);
            app.awaitMessage(tenant, id, SmsRoutingTest::sent, Duration.ofSeconds(20));
            after.add(id);
        }
        for (String id : after) {
            assertCarriedBy(id, "first", a);
            assertThat(b.requestsWithText(texts.get(id))).isZero();
        }
        assertThat(app.send("GET", "/observe/metrics", null, null, Map.of()).body())
                .contains("herald_sms_upstream_circuit{upstream=\"first\"} 0.0");
    }

    @Test
    void whenEveryUpstreamOfTheRuleIsDownTheMessageIsRetriedAndSentOnceLater() {
        put("""
                {"upstreams": [%s, %s], "rules": [{"match": {}, "upstreams": ["down-1", "down-2"]}]}
                """.formatted(http("down-1", c), http("down-2", b)));
        c.down(503);
        b.down(500);
        String id = send(tenant, herald, "+306936862201", "all-down");
        app.awaitMessage(tenant, id, m -> m.toString().contains("retrying after"), Duration.ofSeconds(20));
        assertThat(app.awaitMessage(tenant, id, m -> true, Duration.ofSeconds(1)).get("status").asText()).isEqualTo("QUEUED");
        b.recover();
        JsonNode message = app.awaitMessage(tenant, id, SmsRoutingTest::sent, Duration.ofSeconds(30));
        assertThat(message.get("upstream").asText()).isEqualTo("down-2");
        assertThat(b.acceptedWithText(texts.get(id))).isEqualTo(1);
        assertThat(c.acceptedWithText(texts.get(id))).isZero();
    }

    private static void assertCarriedBy(String messageId, String upstream, SmsProviderStub provider) {
        JsonNode message = app.awaitMessage(tenantOf(messageId), messageId, SmsRoutingTest::sent, Duration.ofSeconds(20));
        assertThat(message.get("upstream").asText()).as(message.toString()).isEqualTo(upstream);
        assertThat(provider.acceptedWithText(texts.get(messageId))).isEqualTo(1);
    }

    /** SENT (or DELIVERED: the provider of the file's table reports), naming its upstream. */
    static boolean sent(JsonNode message) {
        return message.has("upstream") && java.util.Set.of("SENT", "DELIVERED").contains(message.get("status").asText());
    }

    // --- fixtures -----------------------------------------------------------------------------------------------

    static final Map<String, String> texts = new java.util.concurrent.ConcurrentHashMap<>();
    static final Map<String, Tenant> senders = new java.util.concurrent.ConcurrentHashMap<>();

    static Tenant tenantOf(String messageId) {
        return senders.get(messageId);
    }

    static String http(String name, SmsProviderStub stub, String... more) {
        return "{\"name\": \"" + name + "\", \"kind\": \"http\", \"url\": \"" + stub.url() + "\", \"apiKey\": \"key-" + name
                + "\", \"apiSecret\": \"secret-" + name + "\"" + (more.length == 0 ? "" : ", " + String.join(", ", more)) + "}";
    }

    static JsonNode put(String table) {
        return app.admin("PUT", "/admin/sms-routing", table).expect(200).json();
    }

    static String campaign(Tenant t, String from) {
        return app.activeCampaign(t, "{\"name\":\"c-" + UUID.randomUUID() + "\",\"channel\":\"SMS\",\"from\":\"" + from
                + "\",\"text\":\"%recipient.body%\"}").get("code").asText();
    }

    /** Sends one SMS whose text is {@code text} plus a unique tag; answers its message id. */
    static String send(Tenant t, String code, String recipient, String text) {
        String unique = text + " " + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        ObjectNode message = body.putArray("messages").addObject();
        message.put("recipient", recipient);
        message.putObject("parameters").put("body", unique);
        JsonNode answer = app.tenant("POST", "/v1/messages", t.apiKey(), body.toString()).expect(200).json();
        assertThat(answer.at("/messages/0/status").asText()).as(answer.toString()).isEqualTo("OK");
        String id = answer.at("/messages/0/messageId").asText();
        texts.put(id, unique);
        senders.put(id, t);
        return id;
    }
}
