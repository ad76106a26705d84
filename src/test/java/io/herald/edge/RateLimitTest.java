package io.herald.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.herald.support.CoSender.assertError;
import static io.herald.support.CoSender.body;
import static io.herald.support.CoSender.emailCode;
import static io.herald.support.CoSender.messageIds;
import static io.herald.support.CoSender.send;
import static io.herald.support.CoSender.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-API-key request rates (issue 6): over the limit is 429 with {@code Retry-After} and error 1004, other keys are
 * unaffected. Bursts are sent all at once from several threads, and the assertions only ask for "some 429 in a burst
 * several times the limit" and "no 429 for a key far under its limit", so that a slow machine cannot flip them.
 */
class RateLimitTest {
    static final int DEFAULT_LIMIT = 5;

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.rate-limit.requests-per-second", String.valueOf(DEFAULT_LIMIT)));

    static Response putLimit(long accountId, String requestsPerSecond) {
        return app.admin("PUT", "/admin/accounts/" + accountId + "/rate-limit", "{\"requestsPerSecond\":" + requestsPerSecond + "}");
    }

    /** Sends the requests all at once from 8 threads; answers in the order of the requests. */
    static List<Response> burst(List<Supplier<Response>> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (Supplier<Response> request : requests) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.get();
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Supplier<Response>> times(int count, Supplier<Response> request) {
        return Collections.nCopies(count, request);
    }

    /** Every answer is 200 or a well-formed 429; at least one is a 429. */
    static void assertSomeThrottled(List<Response> answers) {
        assertThat(answers).extracting(Response::status).allMatch(s -> s == 200 || s == 429).contains(429);
        answers.stream().filter(r -> r.status() == 429).forEach(r -> {
            assertError(r, 429, 1004);
            assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
        });
    }

    static Response getCampaign(Tenant t, String apiKey, String code) {
        return app.tenant("GET", "/v1/campaigns/" + code, apiKey, null);
    }

    @Test
    void anAccountOverrideLimitsItsKeyWhileAnotherAccountsKeyIsServed() throws Exception {
        Tenant limited = app.newTenant("{\"name\":\"Limited\"}", true);
        Tenant other = app.newTenant("{\"name\":\"Other\"}", true);
        String limitedCode = emailCode(app, limited);
        String otherCode = emailCode(app, other);
        JsonNode override = putLimit(limited.accountId(), "3").expect(200).json();
        assertThat(override.get("requestsPerSecond").asInt()).isEqualTo(3);
        assertThat(override.get("override").asBoolean()).isTrue();
        putLimit(other.accountId(), "100000").expect(200);

        List<Supplier<Response>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(() -> send(app, limited, body(limitedCode, "a@example.com"), null));
            requests.add(() -> send(app, other, body(otherCode, "b@example.com"), null));
        }
        List<Response> answers = burst(requests);
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
    void withoutAnOverrideTheDefaultLimitApplies() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Default\"}", true);
        String code = emailCode(app, t);
        JsonNode limit = putLimit(t.accountId(), "null").expect(200).json();
        assertThat(limit.get("requestsPerSecond").asInt()).isEqualTo(DEFAULT_LIMIT);
        assertThat(limit.get("override").asBoolean()).isFalse();

        assertSomeThrottled(burst(times(30, () -> getCampaign(t, t.apiKey(), code))));
    }

    @Test
    void theLimitIsPerKeyAndAThrottledKeyRecovers() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Two keys\"}", true);
        String code = emailCode(app, t);
        String secondKey = app.admin("POST", "/admin/accounts/" + t.accountId() + "/keys", "{\"sandbox\":true}").expect(201)
                .json().get("apiKey").asText();
        putLimit(t.accountId(), "2").expect(200);

        assertSomeThrottled(burst(times(20, () -> getCampaign(t, t.apiKey(), code))));
        getCampaign(t, secondKey, code).expect(200);

        Response r = Await.until("an answer other than 429", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> getCampaign(t, t.apiKey(), code), a -> a.status() != 429);
        r.expect(200);
    }

    @Test
    void aKeyUnderItsLimitIsNeverThrottled() {
        Tenant t = app.newTenant("{\"name\":\"Calm\"}", true);
        String code = emailCode(app, t);
        putLimit(t.accountId(), "100").expect(200);
        for (int i = 0; i < 20; i++) {
            getCampaign(t, t.apiKey(), code).expect(200);
        }
    }

    @Test
    void aThrottledRequestDoesNotUseUpItsIdempotencyKey() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Throttled key\"}", true);
        String body = body(emailCode(app, t), "ann@example.com");
        putLimit(t.accountId(), "1").expect(200);

        List<Response> answers = burst(times(10, () -> send(app, t, body, "retry-me")));
        assertSomeThrottled(answers);
        Response r = Await.until("an answer other than 429", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> send(app, t, body, "retry-me"), a -> a.status() != 429);
        answers.add(r.expect(200));

        Set<List<String>> idSets = new HashSet<>();
        answers.stream().filter(a -> a.status() == 200).forEach(a -> idSets.add(messageIds(a)));
        assertThat(idSets).hasSize(1);
        assertThat(storedMessages(app, t)).isEqualTo(1);
    }

    @Test
    void theOverrideIsValidated() {
        Tenant t = app.newTenant("{\"name\":\"Validated\"}", true);
        assertError(putLimit(t.accountId(), "0"), 400, 2001);
        assertError(putLimit(t.accountId(), "-5"), 400, 2001);
        assertError(putLimit(t.accountId(), "1000001"), 400, 2001);
        assertError(putLimit(t.accountId(), "\"5\""), 400, 1001);
        assertError(putLimit(t.accountId(), "2.5"), 400, 1001);
        assertError(putLimit(9_999_999, "5"), 404, 1003);
        assertError(app.send("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", "application/json",
                "{\"requestsPerSecond\":5}", Map.of()), 401, 1002);
        assertError(app.tenant("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", t.apiKey(),
                "{\"requestsPerSecond\":5}"), 401, 1002);
    }
}
