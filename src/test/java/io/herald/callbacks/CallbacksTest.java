package io.herald.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.callbacks.CallbackRepository;
import io.herald.support.Await;
import io.herald.support.CallbackReceiver;
import io.herald.support.CallbackReceiver.Received;
import io.herald.support.Cosmos;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.herald.support.Cosmos.request;
import static io.herald.support.Cosmos.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery-status callbacks against the real application, a real HTTP SMS provider (posting delivery reports back)
 * and a real HTTP callback receiver on 127.0.0.1 (so private callback addresses are allowed here).
 */
class CallbacksTest {
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final AtomicInteger PATHS = new AtomicInteger();

    @RegisterExtension
    static final SmsProviderStub provider = SmsProviderStub.perClass();
    @RegisterExtension
    static final CallbackReceiver receiver = CallbackReceiver.perClass();
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(port -> Map.of(
            "herald.sms.provider.url", provider.url(),
            "herald.sms.provider.api-key", "k",
            "herald.sms.provider.api-secret", "s",
            "herald.public-url", "http://localhost:" + port,
            "herald.sms.price.by-prefix", "0333:0.02",
            "herald.callbacks.allow-private", "true",
            "herald.callbacks.poll-interval-ms", "200"));
    static Tenant tenant;
    static String secret;

    @BeforeAll
    static void start() throws Exception {
        tenant = app.newTenant("{\"name\":\"Called back\"}", false);
        secret = app.tenant("POST", "/v1/webhook/signing-secret", tenant.apiKey(), null).expect(200).json()
                .get("signingSecret").asText();
    }

    @BeforeEach
    void defaultProvider() {
        provider.reportStatus("delivered");
        provider.sendReports(true);
    }

    static String path() {
        return "/cb/" + PATHS.incrementAndGet();
    }

    static String cosmos(String to, String text, String callbackPath) {
        ObjectNode body = request(tenant, to, text);
        body.put("callback", receiver.url(callbackPath) + "?param1=value1");
        return sendOk(app, body);
    }

    @Test
    void deliveredMessageGetsOneSignedCallbackWithTheSeedObject() throws Exception {
        String path = path();
        String id = cosmos(Cosmos.TO, "Hello world!", path);
        app.awaitStatus(tenant, id, "DELIVERED");

        Received callback = receiver.awaitCount(path, 1).get(0);
        JsonNode body = HeraldApp.JSON.readTree(callback.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("status", "to", "message_id", "price", "message_timestamp");
        assertThat(body.get("status").asText()).isEqualTo("delivered");
        assertThat(body.get("to").asText()).isEqualTo(Cosmos.TO);
        assertThat(body.get("message_id").asText()).isEqualTo(id);
        assertThat(body.get("price").isNumber()).isTrue();
        assertThat(body.get("price").asDouble()).isEqualTo(0.02);
        assertThat(body.get("message_timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        assertThat(callback.query()).isEqualTo("param1=value1");
        assertThat(callback.header("Content-Type")).startsWith("application/json");
        assertThat(callback.header("X-Herald-Event")).isEqualTo("message_status");
        assertThat(callback.header("X-Herald-Signature"))
                .isEqualTo(Cosmos.signature(secret, callback.header("X-Herald-Timestamp"), callback.body()));
        assertThat(Long.parseLong(callback.header("X-Herald-Timestamp")))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));

        receiver.assertNoMoreThan(path, 1, QUIET);
    }

    @Test
    void notDeliveredReportGivesNotDelivered() throws Exception {
        provider.reportStatus("not_delivered");
        String path = path();
        String id = cosmos("033334445566771", "Unlucky", path);
        app.awaitStatus(tenant, id, "NOT_DELIVERED");
        JsonNode body = HeraldApp.JSON.readTree(receiver.awaitCount(path, 1).get(0).body());
        assertThat(body.get("status").asText()).isEqualTo("not_delivered");
        assertThat(body.get("message_id").asText()).isEqualTo(id);
    }

    @Test
    void failedDeliveryGivesNotDelivered() throws Exception {
        provider.script(400);
        String path = path();
        String id = cosmos("033334445566772", "Refused upstream", path);
        app.awaitStatus(tenant, id, "FAILED");
        JsonNode body = HeraldApp.JSON.readTree(receiver.awaitCount(path, 1).get(0).body());
        assertThat(body.get("status").asText()).isEqualTo("not_delivered");
    }

    @Test
    void receiverFailingThreeTimesGetsTheCallbackExactlyOnceMoreAfterRecovering() {
        String path = path();
        receiver.script(path, 500, 500, 500);
        String id = cosmos("033334445566773", "Persistence", path);
        app.awaitStatus(tenant, id, "DELIVERED");

        List<Received> all = receiver.awaitCount(path, 4);
        assertThat(all).extracting(Received::answered).containsExactly(500, 500, 500, 200);
        assertThat(all).extracting(Received::body).containsOnly(all.get(0).body());
        receiver.assertNoMoreThan(path, 4, QUIET);
    }

    @Test
    void postedCallbacksArePurgedAfterTheRetention() {
        String path = path();
        String id = cosmos("033334445566775", "Short-lived record", path);
        receiver.awaitCount(path, 1);
        CallbackRepository callbacks = app.context().getRegistry().lookupByNameAndType("callbackRepository", CallbackRepository.class);
        Await.until("every callback of " + id + " posted", Duration.ofSeconds(10), () -> callbacks.forMessage(id),
                all -> all.stream().allMatch(c -> CallbackRepository.POSTED.equals(c.status())));
        assertThat(callbacks.purgeOlderThan("P1D")).isZero();
        assertThat(callbacks.forMessage(id)).isNotEmpty();
        assertThat(callbacks.purgeOlderThan("PT0S")).isGreaterThanOrEqualTo(1);
        assertThat(callbacks.forMessage(id)).isEmpty();
    }

    @Test
    void messagesWithoutACallbackPostNothing() {
        String id = sendOk(app, request(tenant, "033334445566774", "Quiet"));
        app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(receiver.received()).noneMatch(r -> r.body().contains(id));
    }

    @Test
    void accountWebhookGetsEveryMessageAndOneSummaryPerDispatch() throws Exception {
        Tenant crm = app.newTenant("{\"name\":\"Webhooked\"}", false);
        String hook = path();
        JsonNode set = app.tenant("PUT", "/v1/webhook", crm.apiKey(), "{\"url\":\"" + receiver.url(hook) + "\"}").expect(200).json();
        String hookSecret = set.get("signingSecret").asText();
        assertThat(hookSecret).startsWith("whsec_");
        assertThat(app.tenant("GET", "/v1/webhook", crm.apiKey(), null).expect(200).json().get("url").asText())
                .isEqualTo(receiver.url(hook));

        String code = app.activeCampaign(crm, "{\"name\":\"hooked\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi\"}")
                .get("code").asText();
        provider.script(400);
        ObjectNode send = HeraldApp.JSON.createObjectNode().put("code", code);
        ArrayNode messages = send.putArray("messages");
        for (String number : List.of("+306936862301", "+306936862302", "+306936862303", "not a number")) {
            messages.addObject().put("recipient", number);
        }
        JsonNode answer = app.tenant("POST", "/v1/messages", crm.apiKey(), send.toString()).expect(200).json();
        List<String> ids = new ArrayList<>();
        for (JsonNode m : answer.get("messages")) {
            if (!m.get("messageId").isNull()) {
                ids.add(m.get("messageId").asText());
            }
        }
        assertThat(ids).hasSize(3);
        long dispatchId = app.awaitMessage(crm, ids.get(0), m -> true, Duration.ofSeconds(5)).get("dispatchId").asLong();

        List<Received> all = receiver.awaitCount(hook, 4);
        receiver.assertNoMoreThan(hook, 4, QUIET);
        for (Received r : all) {
            assertThat(r.header("X-Herald-Signature")).isEqualTo(Cosmos.signature(hookSecret, r.header("X-Herald-Timestamp"), r.body()));
        }
        List<JsonNode> perMessage = new ArrayList<>();
        JsonNode summary = null;
        for (Received r : all) {
            if ("dispatch_completed".equals(r.header("X-Herald-Event"))) {
                assertThat(summary).as("one summary").isNull();
                summary = HeraldApp.JSON.readTree(r.body());
            } else {
                assertThat(r.header("X-Herald-Event")).isEqualTo("message_status");
                perMessage.add(HeraldApp.JSON.readTree(r.body()));
            }
        }
        assertThat(perMessage).extracting(m -> m.get("message_id").asText()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(perMessage).extracting(m -> m.get("status").asText())
                .containsExactlyInAnyOrder("delivered", "delivered", "not_delivered");
        assertThat(perMessage).extracting(m -> m.get("to").asText())
                .containsExactlyInAnyOrder("+306936862301", "+306936862302", "+306936862303");

        assertThat(summary).isNotNull();
        assertThat(summary.get("event").asText()).isEqualTo("dispatch_completed");
        assertThat(summary.get("dispatch_id").asLong()).isEqualTo(dispatchId);
        assertThat(summary.get("messages").asInt()).isEqualTo(3);
        assertThat(summary.get("counts")).isEqualTo(HeraldApp.JSON.readTree(
                "{\"delivered\":2,\"not_delivered\":0,\"failed\":1,\"rejected\":0}"));
        assertThat(summary.get("message_timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    }

    @Test
    void webhookCanBeRemovedAndItsSecretRotated() {
        Tenant t = app.newTenant("{\"name\":\"Rotating\"}", false);
        assertThat(app.tenant("GET", "/v1/webhook", t.apiKey(), null).expect(200).json().get("url").isNull()).isTrue();
        app.tenant("DELETE", "/v1/webhook", t.apiKey(), null).expect(404);
        String first = app.tenant("PUT", "/v1/webhook", t.apiKey(), "{\"url\":\"https://example.com/hook\"}").expect(200).json()
                .get("signingSecret").asText();
        JsonNode again = app.tenant("PUT", "/v1/webhook", t.apiKey(), "{\"url\":\"https://example.com/other\"}").expect(200).json();
        assertThat(again.has("signingSecret")).as("the secret is shown only when created").isFalse();
        String rotated = app.tenant("POST", "/v1/webhook/signing-secret", t.apiKey(), null).expect(200).json()
                .get("signingSecret").asText();
        assertThat(rotated).isNotEqualTo(first).startsWith("whsec_");
        app.tenant("DELETE", "/v1/webhook", t.apiKey(), null).expect(204);
        assertThat(app.tenant("GET", "/v1/webhook", t.apiKey(), null).expect(200).json().get("url").isNull()).isTrue();
        app.tenant("PUT", "/v1/webhook", t.apiKey(), "{\"url\":\"ftp://example.com/hook\"}").expect(400);
        app.tenant("PUT", "/v1/webhook", t.apiKey(), "{}").expect(400);
    }

    @Test
    void givenUpCallbacksAreParkedAndAnOperatorCanReplayThem(@TempDir Path otherData) {
        String path = "/parked";
        receiver.answerAlways(path, 503);
        try (HeraldApp shortLived = HeraldApp.start(otherData, Map.of(
                "herald.callbacks.allow-private", "true",
                "herald.callbacks.poll-interval-ms", "200",
                "herald.callbacks.give-up-after", "PT1S"))) {
            Tenant t = shortLived.newTenant("{\"name\":\"Parked\"}", true);
            ObjectNode body = request(t, Cosmos.TO, "Nobody listens");
            body.put("callback", receiver.url(path));
            String id = sendOk(shortLived, body);
            shortLived.awaitStatus(t, id, "DELIVERED");

            JsonNode deadLetter = awaitDeadLetter(shortLived, id);
            int attempts = receiver.receivedAt(path).size();
            assertThat(attempts).isGreaterThanOrEqualTo(2);
            assertThat(deadLetter.get("attempts").asInt()).isEqualTo(attempts);
            assertThat(deadLetter.get("url").asText()).isEqualTo(receiver.url(path));
            assertThat(deadLetter.get("lastError").asText()).contains("503");
            assertThat(deadLetter.get("event").asText()).isEqualTo("message_status");
            receiver.assertNoMoreThan(path, attempts, Duration.ofMillis(800));

            receiver.answerAlways(path, 200);
            shortLived.admin("POST", "/admin/callbacks/dead-letters/" + deadLetter.get("id").asLong() + "/replay", null).expect(202);
            List<Received> after = receiver.awaitCount(path, attempts + 1);
            assertThat(after.get(after.size() - 1).answered()).isEqualTo(200);
            assertThat(after.get(after.size() - 1).body()).isEqualTo(after.get(0).body());
            assertThat(shortLived.admin("GET", "/admin/callbacks/dead-letters", null).expect(200).json().get("deadLetters"))
                    .isEmpty();
            shortLived.admin("POST", "/admin/callbacks/dead-letters/" + deadLetter.get("id").asLong() + "/replay", null).expect(404);
            receiver.assertNoMoreThan(path, attempts + 1, QUIET);
        }
    }

    static JsonNode awaitDeadLetter(HeraldApp target, String messageId) {
        return Await.until("a dead letter for " + messageId, Duration.ofSeconds(20), Duration.ofMillis(100),
                () -> deadLetter(target, messageId), d -> d != null);
    }

    private static JsonNode deadLetter(HeraldApp target, String messageId) {
        for (JsonNode d : target.admin("GET", "/admin/callbacks/dead-letters", null).expect(200).json().get("deadLetters")) {
            if (messageId.equals(d.path("messageId").asText())) {
                return d;
            }
        }
        return null;
    }
}
