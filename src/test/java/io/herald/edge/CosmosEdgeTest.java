package io.herald.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.Await;
import io.herald.support.CoSender;
import io.herald.support.Cosmos;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.herald.support.CoSender.count;
import static io.herald.support.CoSender.messagesSent;
import static io.herald.support.CoSender.sandboxDeliveries;
import static io.herald.support.CoSender.storedMessages;
import static io.herald.support.Cosmos.expectStatus;
import static io.herald.support.Cosmos.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Safety at the edge for COSMOS {@code POST /v1.0/sms/} (issue 6): {@code Idempotency-Key} (replay, conflict,
 * account scope, concurrent duplicates, restart), the per-key rate limit (429 {@code too_many_requests} with
 * {@code Retry-After}) and the 4096-byte body limit, every refusal as {@code {"status": word}}.
 */
class CosmosEdgeTest {
    static final int DEFAULT_LIMIT = 5;
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.rate-limit.requests-per-second", String.valueOf(DEFAULT_LIMIT)));

    /** A sandbox tenant whose key is not held back by the rate limit (the tests of the limit set their own). */
    static Tenant tenant(HeraldApp on, String name) {
        Tenant t = on.newTenant("{\"name\":\"" + name + "\"}", true);
        on.admin("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", "{\"requestsPerSecond\":1000000}").expect(200);
        return t;
    }

    static String number() {
        return String.format("0777%011d", NUMBERS.incrementAndGet());
    }

    static String key() {
        return "cosmos-" + UUID.randomUUID();
    }

    static Response send(HeraldApp on, String body, String idempotencyKey) {
        return send(on, "/v1.0/sms/", body, idempotencyKey);
    }

    static Response send(HeraldApp on, String path, String body, String idempotencyKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return on.send("POST", path, "application/json", body, headers);
    }

    static String messageId(Response r) {
        r.expect(200);
        assertThat(r.json().get("status").asText()).as(r.body()).isEqualTo("ok");
        return r.json().get("message_id").asText();
    }

    // --- Idempotency-Key ------------------------------------------------------------------------------------------

    @Test
    void theSameKeyAndBodyReplayTheFirstAnswerAndSendNothingAgain() {
        Tenant t = tenant(app, "Cosmos replay");
        String body = request(t, number(), "Hello once").toString();
        String key = key();

        Response first = send(app, body, key);
        String id = messageId(first);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        app.awaitStatus(t, id, "DELIVERED");
        assertThat(sandboxDeliveries(app, t)).isEqualTo(1);

        for (String path : List.of("/v1.0/sms/", "/v1.0/sms", "/v1.0/sms/")) {
            Response replay = send(app, path, body, key);
            assertThat(replay.status()).as(replay.body()).isEqualTo(200);
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(messageId(replay)).isEqualTo(id);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.header("Content-Type")).startsWith("application/json");
        }
        assertThat(storedMessages(app, t)).isEqualTo(1);
        assertThat(messagesSent(app, t)).isEqualTo(1);

        // a later send, delivered after anything the replays could have queued: exactly one more sandbox delivery
        String later = messageId(send(app, request(t, number(), "Later").toString(), null));
        app.awaitStatus(t, later, "DELIVERED");
        assertThat(sandboxDeliveries(app, t)).isEqualTo(2);
        assertThat(storedMessages(app, t)).isEqualTo(2);
    }

    @Test
    void withoutAKeyTheSameRequestSendsAgain() {
        Tenant t = tenant(app, "Cosmos no key");
        String body = request(t, number(), "Twice").toString();
        assertThat(messageId(send(app, body, null))).isNotEqualTo(messageId(send(app, body, null)));
        assertThat(storedMessages(app, t)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        Tenant t = tenant(app, "Cosmos conflict");
        String to = number();
        ObjectNode original = request(t, to, "Original");
        String key = key();
        String id = messageId(send(app, original.toString(), key));

        expectStatus(send(app, request(t, number(), "Original").toString(), key), 409, "idempotency_conflict");
        expectStatus(send(app, request(t, to, "Changed").toString(), key), 409, "idempotency_conflict");
        expectStatus(send(app, original.toString() + " ", key), 409, "idempotency_conflict");
        ObjectNode withCallback = original.deepCopy().put("callback", "http://your-site.com/response");
        expectStatus(send(app, withCallback.toString(), key), 409, "idempotency_conflict");
        assertThat(storedMessages(app, t)).isEqualTo(1);
        assertThat(messagesSent(app, t)).isEqualTo(1);

        // the conflicts changed nothing: the first request still replays
        Response replay = send(app, original.toString(), key);
        assertThat(messageId(replay)).isEqualTo(id);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void keysBelongToTheAccount() {
        Tenant a = tenant(app, "Cosmos scope A");
        Tenant b = tenant(app, "Cosmos scope B");
        String to = number();
        String key = key();

        String idA = messageId(send(app, request(a, to, "Same words").toString(), key));
        String idB = messageId(send(app, request(b, to, "Same words").toString(), key));
        assertThat(idB).isNotEqualTo(idA);

        // B's other request with the key A used for something else is B's own first use of it
        String freshKey = key();
        String idA2 = messageId(send(app, request(a, number(), "A only").toString(), freshKey));
        String idB2 = messageId(send(app, request(b, number(), "B only").toString(), freshKey));
        assertThat(idB2).isNotEqualTo(idA2);

        assertThat(messageId(send(app, request(a, to, "Same words").toString(), key))).isEqualTo(idA);
        assertThat(messageId(send(app, request(b, to, "Same words").toString(), key))).isEqualTo(idB);
        expectStatus(send(app, request(b, number(), "A only").toString(), freshKey), 409, "idempotency_conflict");
        assertThat(storedMessages(app, a)).isEqualTo(2);
        assertThat(storedMessages(app, b)).isEqualTo(2);
    }

    @Test
    void concurrentRequestsWithTheSameKeyCreateOneMessage() throws Exception {
        Tenant t = tenant(app, "Cosmos concurrent");
        String body = request(t, number(), "Only once, however often").toString();
        String key = key();

        List<Response> answers = RateLimitTest.burst(RateLimitTest.times(120, () -> send(app, body, key)));
        Set<String> ids = new HashSet<>();
        answers.forEach(r -> ids.add(messageId(r)));
        assertThat(ids).hasSize(1);
        assertThat(answers).filteredOn(r -> r.header("Idempotent-Replayed") == null).as("exactly one first answer").hasSize(1);
        assertThat(storedMessages(app, t)).isEqualTo(1);
        assertThat(messagesSent(app, t)).isEqualTo(1);
        app.awaitStatus(t, ids.iterator().next(), "DELIVERED");
        assertThat(sandboxDeliveries(app, t)).isEqualTo(1);
    }

    @Test
    void aRefusedFirstRequestIsReplayedAsRefused() {
        Tenant t = tenant(app, "Cosmos refused");
        ObjectNode bad = request(t, "12345", "Wrong number");
        String key = key();

        expectStatus(send(app, bad.toString(), key), 400, "invalid_to");
        Response replay = send(app, bad.toString(), key);
        expectStatus(replay, 400, "invalid_to");
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(storedMessages(app, t)).isZero();
    }

    @Test
    void requestsRefusedBeforeTheKeyIsClaimedDoNotUseItUp() {
        Tenant t = tenant(app, "Cosmos unclaimed");
        ObjectNode good = request(t, number(), "Good in the end");
        String key = key();

        ObjectNode wrongSecret = good.deepCopy().put("api_secret", "not-the-secret");
        expectStatus(send(app, wrongSecret.toString(), key), 401, "unauthorized");
        expectStatus(send(app, "{\"api_key\":", key), 400, "invalid_json");
        ObjectNode big = good.deepCopy().put("padding", "p".repeat(4096));
        expectStatus(send(app, big.toString(), key), 413, "large_request");
        assertThat(count(app, "SELECT COUNT(*) FROM idempotency_record WHERE idem_key = ?", key)).isZero();

        Response first = send(app, good.toString(), key);
        messageId(first);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(storedMessages(app, t)).isEqualTo(1);
    }

    @Test
    void theKeyIsOneTo255PrintableAsciiCharacters() {
        Tenant t = tenant(app, "Cosmos key syntax");
        String body = request(t, number(), "Key syntax").toString();

        expectStatus(send(app, body, ""), 400, "invalid_idempotency_key");
        expectStatus(send(app, body, "k".repeat(256)), 400, "invalid_idempotency_key");
        expectStatus(send(app, body, "tab\tinside"), 400, "invalid_idempotency_key");
        Response raw = CoSender.raw(app, "POST", "/v1.0/sms/", Map.of("Content-Type", "application/json",
                "Idempotency-Key", "caf\u00e9"), body.getBytes(StandardCharsets.UTF_8));
        expectStatus(raw, 400, "invalid_idempotency_key");
        assertThat(storedMessages(app, t)).isZero();

        messageId(send(app, body, "k".repeat(255)));
        assertThat(storedMessages(app, t)).isEqualTo(1);
    }

    @Test
    void theReplaySurvivesARestart(@TempDir Path restartData) {
        Tenant t;
        String body;
        String key = key();
        String id;
        HeraldApp first = HeraldApp.start(restartData, Map.of());
        try {
            t = tenant(first, "Cosmos restart");
            body = request(t, number(), "Before the restart").toString();
            id = messageId(send(first, body, key));
        } finally {
            first.close();
        }

        HeraldApp second = HeraldApp.start(restartData, Map.of());
        try {
            Response replay = send(second, body, key);
            assertThat(messageId(replay)).isEqualTo(id);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            expectStatus(send(second, body.replace("Before", "After"), key), 409, "idempotency_conflict");
            assertThat(storedMessages(second, t)).isEqualTo(1);
            assertThat(messagesSent(second, t)).isEqualTo(1);
        } finally {
            second.close();
        }
    }

    // --- rate limit -----------------------------------------------------------------------------------------------

    /** Every answer is 200 ok or 429 too_many_requests with a positive Retry-After; at least one is a 429. */
    static void assertSomeThrottled(List<Response> answers) {
        assertThat(answers).extracting(Response::status).allMatch(s -> s == 200 || s == 429).contains(429);
        answers.stream().filter(r -> r.status() == 429).forEach(r -> {
            expectStatus(r, 429, "too_many_requests");
            assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
            assertThat(r.header("Content-Type")).startsWith("application/json");
        });
    }

    @Test
    void anAccountOverrideLimitsItsKeyWhileAnotherAccountsKeyIsServed() throws Exception {
        Tenant limited = app.newTenant("{\"name\":\"Cosmos limited\"}", true);
        Tenant other = tenant(app, "Cosmos other");
        app.admin("PUT", "/admin/accounts/" + limited.accountId() + "/rate-limit", "{\"requestsPerSecond\":3}").expect(200);

        List<Supplier<Response>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String limitedBody = request(limited, number(), "Limited " + i).toString();
            String otherBody = request(other, number(), "Other " + i).toString();
            requests.add(() -> send(app, limitedBody, null));
            requests.add(() -> send(app, otherBody, null));
        }
        List<Response> answers = RateLimitTest.burst(requests);
        List<Response> limitedAnswers = new ArrayList<>();
        List<Response> otherAnswers = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            (i % 2 == 0 ? limitedAnswers : otherAnswers).add(answers.get(i));
        }
        assertSomeThrottled(limitedAnswers);
        assertThat(otherAnswers).extracting(Response::status).as("the other account's key, at the same time").containsOnly(200);

        // a throttled send stores nothing
        assertThat(storedMessages(app, limited)).isEqualTo(limitedAnswers.stream().filter(r -> r.status() == 200).count());
        assertThat(storedMessages(app, other)).isEqualTo(20);
    }

    @Test
    void withoutAnOverrideTheDefaultLimitAppliesAndAnotherKeyOfTheAccountIsServed() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Cosmos default limit\"}", true);
        ExtraKey second = secondKey(t);
        String body = "{\"api_key\":\"" + t.apiKey() + "\",\"api_secret\":\"" + t.apiSecret() + "\",\"to\":\"12\",\"from\":\"X\",\"text\":\"x\"}";

        // refused by a later check (invalid_to), so the burst stores nothing; the limit comes first
        List<Response> answers = RateLimitTest.burst(RateLimitTest.times(30, () -> send(app, body, null)));
        assertThat(answers).extracting(Response::status).allMatch(s -> s == 400 || s == 429).contains(429);
        answers.stream().filter(r -> r.status() == 400).forEach(r -> expectStatus(r, 400, "invalid_to"));
        answers.stream().filter(r -> r.status() == 429).forEach(r -> expectStatus(r, 429, "too_many_requests"));

        // the account's other key has its own budget
        messageId(send(app, request(new Tenant(t.accountId(), second.id(), second.key(), second.secret()), number(), "Other key")
                .toString(), null));
    }

    record ExtraKey(long id, String key, String secret) {
    }

    static ExtraKey secondKey(Tenant t) {
        var k = app.admin("POST", "/admin/accounts/" + t.accountId() + "/keys", "{\"sandbox\":true}").expect(201).json();
        return new ExtraKey(k.get("id").asLong(), k.get("apiKey").asText(), k.get("apiSecret").asText());
    }

    @Test
    void aThrottledRequestDoesNotUseUpItsIdempotencyKeyAndTheKeyRecovers() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Cosmos throttled key\"}", true);
        app.admin("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", "{\"requestsPerSecond\":1}").expect(200);
        String body = request(t, number(), "Retry me").toString();
        String key = key();

        List<Response> answers = RateLimitTest.burst(RateLimitTest.times(10, () -> send(app, body, key)));
        assertSomeThrottled(answers);
        Response r = Await.until("an answer other than 429", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> send(app, body, key), a -> a.status() != 429);
        answers.add(r);
        messageId(r);

        Set<String> ids = new HashSet<>();
        answers.stream().filter(a -> a.status() == 200).forEach(a -> ids.add(messageId(a)));
        assertThat(ids).hasSize(1);
        assertThat(storedMessages(app, t)).isEqualTo(1);
    }

    @Test
    void unauthenticatedRequestsAreNotCountedAgainstTheKey() {
        Tenant t = app.newTenant("{\"name\":\"Cosmos wrong secret\"}", true);
        app.admin("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", "{\"requestsPerSecond\":1}").expect(200);
        ObjectNode wrong = request(t, number(), "Wrong").put("api_secret", "guess");
        for (int i = 0; i < 10; i++) {
            expectStatus(Cosmos.send(app, wrong), 401, "unauthorized");
        }
        messageId(Cosmos.send(app, request(t, number(), "Right")));
    }

    // --- body limit -----------------------------------------------------------------------------------------------

    @Test
    void aBodyOver4096BytesIsALargeRequestWhateverElseIsInIt() {
        Tenant t = tenant(app, "Cosmos large");
        ObjectNode body = request(t, number(), "Big");
        body.put("padding", "");
        int overhead = body.toString().getBytes(StandardCharsets.UTF_8).length;
        body.put("padding", "p".repeat(4097 - overhead));
        assertThat(body.toString().getBytes(StandardCharsets.UTF_8)).hasSize(4097);

        expectStatus(send(app, body.toString(), key()), 413, "large_request");
        expectStatus(send(app, "{" + "\u00e9".repeat(2100), null), 413, "large_request");
        expectStatus(app.send("POST", "/v1.0/sms/", "text/plain", "x".repeat(5000), Map.of()), 413, "large_request");
        assertThat(storedMessages(app, t)).isZero();

        body.put("padding", "p".repeat(4096 - overhead));
        messageId(send(app, body.toString(), key()));
        assertThat(storedMessages(app, t)).isEqualTo(1);
    }
}
