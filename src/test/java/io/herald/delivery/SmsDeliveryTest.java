package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMS delivery end to end: the real application calls a real HTTP server playing the upstream provider of
 * SPEC §4, which answers as scripted and posts delivery reports back to the application's callback URL.
 */
class SmsDeliveryTest {
    static final String PROVIDER_KEY = "provider-key-123";
    static final String PROVIDER_SECRET = "provider-secret-456";

    @RegisterExtension
    static final SmsProviderStub provider = SmsProviderStub.perClass();
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(port -> Map.of(
            "herald.sms.provider.url", provider.url(),
            "herald.sms.provider.api-key", PROVIDER_KEY,
            "herald.sms.provider.api-secret", PROVIDER_SECRET,
            "herald.public-url", "http://localhost:" + port));
    static Tenant tenant;

    @BeforeAll
    static void start() throws Exception {
        tenant = app.newTenant("{\"name\":\"Texter\"}", false);
    }

    @BeforeEach
    void defaultProvider() {
        provider.reportStatus("delivered");
        provider.sendReports(true);
    }

    @Test
    void providerReceivesTheCosmosRequestAndItsReportMakesTheMessageDelivered() {
        String code = campaign("Herald", "Hi %recipient.name%, your code is %recipient.code%");
        String id = send(code, "+30 693 686 2201", Map.of("name", "Maria", "code", "4711"));

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(EmailDeliveryTest.statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(message.get("recipient").asText()).isEqualTo("+306936862201");

        List<JsonNode> requests = requestsTo("306936862201");
        assertThat(requests).hasSize(1);
        JsonNode request = requests.get(0);
        List<String> fields = new ArrayList<>();
        request.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("api_key", "api_secret", "to", "from", "text", "callback");
        assertThat(request.get("api_key").asText()).isEqualTo(PROVIDER_KEY);
        assertThat(request.get("api_secret").asText()).isEqualTo(PROVIDER_SECRET);
        assertThat(request.get("to").asText()).isEqualTo("306936862201");
        assertThat(request.get("from").asText()).isEqualTo("Herald");
        assertThat(request.get("text").asText()).isEqualTo("Hi Maria, your code is 4711");
        assertThat(request.get("callback").asText()).isEqualTo("http://localhost:" + app.port() + "/callbacks/sms/dlr");
    }

    @Test
    void notDeliveredReportMakesTheMessageNotDelivered() {
        provider.reportStatus("not_delivered");
        String code = campaign("Herald", "Unlucky");
        String id = send(code, "+306936862202", Map.of());

        JsonNode message = app.awaitStatus(tenant, id, "NOT_DELIVERED");
        assertThat(EmailDeliveryTest.statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "NOT_DELIVERED");
        assertThat(requestsTo("306936862202")).hasSize(1);
    }

    @Test
    void providerUnavailableTwiceIsRetriedAndThenDelivered() {
        provider.script(503, 503);
        String code = campaign("Herald", "Third time lucky");
        String id = send(code, "+306936862203", Map.of());

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(requestsTo("306936862203")).hasSize(3);
        assertThat(EmailDeliveryTest.retryEvents(message)).isEqualTo(2);
        assertThat(retryDetails(message)).allSatisfy(d -> assertThat(d).contains("503"));
        List<String> statuses = EmailDeliveryTest.statuses(message);
        assertThat(statuses).containsExactly("ACCEPTED", "QUEUED", "QUEUED", "QUEUED", "SENT", "DELIVERED");
    }

    @Test
    void providerRefusalIsPermanentAndNotRetried() {
        provider.script(400);
        String code = campaign("Herald", "Refused");
        String id = send(code, "+306936862204", Map.of());

        JsonNode message = app.awaitStatus(tenant, id, "FAILED");
        assertThat(requestsTo("306936862204")).hasSize(1);
        assertThat(EmailDeliveryTest.retryEvents(message)).isZero();
        JsonNode failed = last(message);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("detail").asText()).contains("400").contains("invalid_to");
        assertThat(EmailDeliveryTest.statuses(message)).containsExactly("ACCEPTED", "QUEUED", "FAILED");
    }

    @Test
    void providerNotListeningFailsAfterTheRetryPeriod(@TempDir Path otherData) {
        int closedPort = HeraldApp.freePort();
        int appPort = HeraldApp.freePort();
        try (HeraldApp unreachable = HeraldApp.start(otherData, appPort, Map.of(
                "herald.sms.provider.url", "http://127.0.0.1:" + closedPort + "/sms",
                "herald.sms.provider.api-key", PROVIDER_KEY,
                "herald.sms.provider.api-secret", PROVIDER_SECRET,
                "herald.public-url", "http://localhost:" + appPort,
                "herald.retry.give-up-after", "PT1S"))) {
            Tenant t = unreachable.newTenant("{\"name\":\"Nowhere\"}", false);
            String code = unreachable.activeCampaign(t, "{\"name\":\"n\",\"channel\":\"SMS\",\"from\":\"Herald\","
                    + "\"text\":\"Into the void\"}").get("code").asText();
            String id = send(unreachable, t, code, "+306936862205", Map.of());

            JsonNode message = unreachable.awaitStatus(t, id, "FAILED");
            assertThat(EmailDeliveryTest.retryEvents(message)).isGreaterThanOrEqualTo(1);
            List<String> statuses = EmailDeliveryTest.statuses(message);
            assertThat(statuses).doesNotContain("SENT", "DELIVERED");
            assertThat(statuses.get(statuses.size() - 1)).isEqualTo("FAILED");
            assertThat(last(message).get("detail").asText()).isNotBlank();
            // the time limit counts from the first attempt
            assertThat(java.time.OffsetDateTime.parse(last(message).get("at").asText(),
                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")))
                    .isAfterOrEqualTo(java.time.OffsetDateTime.parse(message.at("/events/0/at").asText(),
                            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).plusSeconds(1));
        }
    }

    // --- the delivery-report callback ------------------------------------------------------------------

    @Test
    void garbageDeliveryReportIsRefusedAsInvalidJson() {
        Response r = app.send("POST", "/callbacks/sms/dlr", "application/json", "this is {not json", Map.of());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(HeraldApp.JSON.createObjectNode().put("status", "invalid_json"));
    }

    @Test
    void deliveryReportForAnUnknownMessageIsNotFound() {
        String report = "{\"status\":\"delivered\",\"to\":\"306936862209\",\"message_id\":\"never-" + UUID.randomUUID()
                + "\",\"price\":0.01,\"message_timestamp\":\"2026-11-23 10:00:00\"}";
        Response r = app.send("POST", "/callbacks/sms/dlr", "application/json", report, Map.of());
        assertThat(r.status()).isEqualTo(404);
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static String campaign(String from, String text) {
        ObjectNode json = HeraldApp.JSON.createObjectNode();
        json.put("name", "sms-" + UUID.randomUUID());
        json.put("channel", "SMS");
        json.put("from", from);
        json.put("text", text);
        return app.activeCampaign(tenant, json.toString()).get("code").asText();
    }

    private static String send(String code, String recipient, Map<String, String> parameters) {
        return send(app, tenant, code, recipient, parameters);
    }

    private static String send(HeraldApp target, Tenant t, String code, String recipient, Map<String, String> parameters) {
        return EmailDeliveryTest.send(target, t, code, recipient, parameters);
    }

    private static List<JsonNode> requestsTo(String to) {
        return provider.requests().stream().filter(r -> to.equals(r.path("to").asText())).toList();
    }

    static List<String> retryDetails(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.get("events").forEach(e -> {
            if (e.path("detail").asText("").startsWith("retrying")) {
                out.add(e.get("detail").asText());
            }
        });
        return out;
    }

    private static JsonNode last(JsonNode message) {
        JsonNode events = message.get("events");
        return events.get(events.size() - 1);
    }
}
