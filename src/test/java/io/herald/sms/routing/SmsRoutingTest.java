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
                "herald.sms.failover.open-for", "PT2S",
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

    private static void assertCarriedBy(String messageId, String upstream, SmsProviderStub provider) {
        JsonNode message = app.awaitMessage(tenantOf(messageId), messageId, m -> m.has("upstream"), Duration.ofSeconds(20));
        assertThat(message.get("upstream").asText()).as(message.toString()).isEqualTo(upstream);
        assertThat(message.get("status").asText()).isEqualTo("SENT");
        assertThat(provider.requestsWithText(texts.get(messageId))).isEqualTo(1);
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
