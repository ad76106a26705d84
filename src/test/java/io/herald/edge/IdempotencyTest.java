package io.herald.edge;

import io.herald.support.Await;
import io.herald.support.CoSender;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.herald.support.CoSender.assertError;
import static io.herald.support.CoSender.body;
import static io.herald.support.CoSender.emailCode;
import static io.herald.support.CoSender.messageIds;
import static io.herald.support.CoSender.messagesSent;
import static io.herald.support.CoSender.sandboxDeliveries;
import static io.herald.support.CoSender.send;
import static io.herald.support.CoSender.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on {@code POST /v1/messages} (SPEC §3, issue 6): the same key and body replay the first
 * answer and send nothing again (also while the first call runs, and across a restart); another body is 409 / 1005;
 * keys belong to the account.
 */
class IdempotencyTest {
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of());

    static String key() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void theSameKeyAndBodyReplayTheFirstAnswerAndSendNothingAgain() {
        Tenant t = app.newTenant("{\"name\":\"Replay\"}", true);
        String code = emailCode(app, t);
        String body = body(code, "ann@example.com", "bob@example.com");
        String key = key();

        Response first = send(app, t, body, key).expect(200);
        List<String> ids = messageIds(first);
        assertThat(ids).hasSize(2).doesNotContainNull();
        assertThat(first.header("Idempotent-Replayed")).isNull();
        ids.forEach(id -> app.awaitStatus(t, id, "DELIVERED"));
        assertThat(messagesSent(app, t)).isEqualTo(2);
        assertThat(sandboxDeliveries(app, t)).isEqualTo(2);

        for (int i = 0; i < 3; i++) {
            Response replay = send(app, t, body, key).expect(200);
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(messageIds(replay)).isEqualTo(ids);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.header("Content-Type")).startsWith("application/json");
        }
        assertThat(messagesSent(app, t)).isEqualTo(2);
        assertThat(storedMessages(app, t)).isEqualTo(2);

        // a later send, delivered after anything the replays could have queued: exactly one more sandbox delivery
        String later = messageIds(send(app, t, body(code, "later@example.com"), null)).get(0);
        app.awaitStatus(t, later, "DELIVERED");
        assertThat(sandboxDeliveries(app, t)).isEqualTo(3);
        assertThat(messagesSent(app, t)).isEqualTo(3);
    }

    @Test
    void aRetryToThePathWithATrailingSlashIsTheSameRequest() {
        Tenant t = app.newTenant("{\"name\":\"Slash\"}", true);
        String body = body(emailCode(app, t), "ann@example.com");
        String key = key();
        List<String> ids = messageIds(send(app, t, body, key));

        Response retry = app.send("POST", "/v1/messages/", "application/json", body,
                Map.of("Authorization", HeraldApp.basic(t.apiKey()), "Idempotency-Key", key)).expect(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(messageIds(retry)).isEqualTo(ids);
        assertThat(storedMessages(app, t)).isEqualTo(1);
    }

    @Test
    void withoutAKeyTheSameRequestSendsAgain() {
        Tenant t = app.newTenant("{\"name\":\"No key\"}", true);
        String body = body(emailCode(app, t), "ann@example.com");
        assertThat(messageIds(send(app, t, body, null))).isNotEqualTo(messageIds(send(app, t, body, null)));
        assertThat(storedMessages(app, t)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        Tenant t = app.newTenant("{\"name\":\"Conflict\"}", true);
        String code = emailCode(app, t);
        String key = key();
        List<String> ids = messageIds(send(app, t, body(code, "ann@example.com"), key));

        assertError(send(app, t, body(code, "eve@example.com"), key), 409, 1005);
        assertError(send(app, t, body(code, "ann@example.com", "eve@example.com"), key), 409, 1005);
        assertError(send(app, t, body(code, "ann@example.com") + " ", key), 409, 1005);
        assertThat(storedMessages(app, t)).isEqualTo(1);
        assertThat(messagesSent(app, t)).isEqualTo(1);

        // the conflict changed nothing: the first request still replays
        assertThat(messageIds(send(app, t, body(code, "ann@example.com"), key))).isEqualTo(ids);
    }

    @Test
    void keysBelongToTheAccount() {
        Tenant a = app.newTenant("{\"name\":\"Scope A\"}", true);
        Tenant b = app.newTenant("{\"name\":\"Scope B\"}", true);
        String codeA = emailCode(app, a);
        String codeB = emailCode(app, b);
        String key = key();

        List<String> idsA = messageIds(send(app, a, body(codeA, "ann@example.com"), key));
        List<String> idsB = messageIds(send(app, b, body(codeB, "ann@example.com"), key));
        assertThat(idsB).doesNotContainAnyElementsOf(idsA);

        // B with A's very request and key gets no replay of A's answer: A's campaign is not B's
        assertError(send(app, b, body(codeA, "ann@example.com"), key), 409, 1005);
        String freshKey = key();
        assertThat(messageIds(send(app, a, body(codeA, "zed@example.com"), freshKey))).hasSize(1);
        assertError(send(app, b, body(codeA, "zed@example.com"), freshKey), 404, 2005);

        assertThat(messageIds(send(app, a, body(codeA, "ann@example.com"), key))).isEqualTo(idsA);
        assertThat(messageIds(send(app, b, body(codeB, "ann@example.com"), key))).isEqualTo(idsB);
        assertThat(storedMessages(app, a)).isEqualTo(2);
        assertThat(storedMessages(app, b)).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithTheSameKeyCreateOneSetOfMessages() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Concurrent\"}", true);
        app.admin("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", "{\"requestsPerSecond\":100000}").expect(200);
        String body = body(emailCode(app, t), "ann@example.com", "bob@example.com", "cid@example.com");
        String key = key();
        int threads = 8;
        int requests = 200;

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return send(app, t, body, key);
                }));
            }
            start.countDown();
            Set<List<String>> idSets = new HashSet<>();
            for (Future<Response> answer : answers) {
                idSets.add(messageIds(answer.get(60, TimeUnit.SECONDS)));
            }
            assertThat(idSets).hasSize(1);
            assertThat(idSets.iterator().next()).hasSize(3).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedMessages(app, t)).isEqualTo(3);
        assertThat(messagesSent(app, t)).isEqualTo(3);
    }

    @Test
    void aFirstAnswerThatWasAnErrorIsReplayedToo() {
        Tenant t = app.newTenant("{\"name\":\"Error replay\"}", true);
        String code = emailCode(app, t);
        app.tenant("POST", "/v1/campaigns/" + code + "/deactivate", t.apiKey(), null).expect(200);
        String body = body(code, "ann@example.com");
        String key = key();

        Response first = assertError(send(app, t, body, key), 400, 2101);
        app.tenant("POST", "/v1/campaigns/" + code + "/activate", t.apiKey(), null).expect(200);

        Response replay = assertError(send(app, t, body, key), 400, 2101);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(storedMessages(app, t)).isZero();

        // the campaign does send now: the 2101 above was the replay, not a new answer
        assertThat(messageIds(send(app, t, body, key()))).hasSize(1);
    }

    @Test
    void theKeyIsOneTo255PrintableAsciiCharacters() {
        Tenant t = app.newTenant("{\"name\":\"Key syntax\"}", true);
        String code = emailCode(app, t);
        String body = body(code, "ann@example.com");

        assertError(send(app, t, body, ""), 400, 2001);
        assertError(send(app, t, body, "k".repeat(256)), 400, 2001);
        assertError(send(app, t, body, "tab\tinside"), 400, 2001);
        // bytes over 0x7e, written raw (java.net.http sends them as '?'); a DEL or other control byte never gets past
        // the HTTP server, which answers such a header with a bare 400 itself
        for (String bad : List.of("caf\u00e9", "\u00ff", "nbsp\u00a0key")) {
            Response r = CoSender.raw(app, "POST", "/v1/messages", Map.of("Authorization", HeraldApp.basic(t.apiKey()),
                    "Content-Type", "application/json", "Idempotency-Key", bad), body.getBytes(StandardCharsets.UTF_8));
            assertError(r, 400, 2001);
        }
        assertThat(storedMessages(app, t)).isZero();

        String printable = new StringBuilder().appendCodePoint('!').append(" ").append(allPrintableAscii()).toString();
        for (String good : List.of("x", "k".repeat(255), printable.substring(0, Math.min(255, printable.length())))) {
            assertThat(messageIds(send(app, t, body(code, "ok" + good.length() + "@example.com"), good))).hasSize(1);
        }
        assertThat(storedMessages(app, t)).isEqualTo(3);
    }

    private static String allPrintableAscii() {
        StringBuilder s = new StringBuilder();
        for (char c = 0x21; c <= 0x7e; c++) {
            s.append(c);
        }
        return s.toString();
    }

    @Test
    void theReplaySurvivesARestart(@TempDir Path restartData) {
        HeraldApp first = HeraldApp.start(restartData, Map.of());
        Tenant t;
        String body;
        String key = key();
        List<String> ids;
        try {
            t = first.newTenant("{\"name\":\"Restart\"}", true);
            body = body(emailCode(first, t), "ann@example.com");
            ids = messageIds(send(first, t, body, key));
        } finally {
            first.close();
        }

        HeraldApp second = HeraldApp.start(restartData, Map.of());
        try {
            Response replay = send(second, t, body, key).expect(200);
            assertThat(messageIds(replay)).isEqualTo(ids);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertError(send(second, t, body.replace("ann@", "eve@"), key), 409, 1005);
            assertThat(storedMessages(second, t)).isEqualTo(1);
            assertThat(messagesSent(second, t)).isEqualTo(1);
        } finally {
            second.close();
        }
    }

    @Test
    void afterTheRetentionTheKeySendsAgain(@TempDir Path shortData) {
        HeraldApp shortLived = HeraldApp.start(shortData, Map.of("herald.idempotency.retention", "PT1S"));
        try {
            Tenant t = shortLived.newTenant("{\"name\":\"Retention\"}", true);
            String body = body(emailCode(shortLived, t), "ann@example.com");
            String key = key();
            List<String> ids = messageIds(send(shortLived, t, body, key));

            // replays until the record is a second old, then the same key and body are a new request
            List<String> later = Await.until("the key sends again", Duration.ofSeconds(15), Duration.ofMillis(100),
                    () -> messageIds(send(shortLived, t, body, key)), again -> !again.equals(ids));
            assertThat(later).isNotEqualTo(ids);
            assertThat(storedMessages(shortLived, t)).isEqualTo(2);
        } finally {
            shortLived.close();
        }
    }
}
