package io.herald.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldClient;
import io.herald.support.HeraldApp.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While Herald starts, its HTTP server listens before the routes are on it: requests then are answered 503 with
 * Retry-After in the dialect's format, not 404 (which a client would take for a missing endpoint). Only the very
 * first moment after the server listens, before Camel starts its routes, is not covered (see StartingUp).
 */
class StartingUpTest {
    private record Seen(int status, String body, String retryAfter) {
    }

    @Test
    void requestsDuringStartAreToldToComeBackNeverNotFound(@TempDir Path dir) throws Exception {
        int port = HeraldApp.freePort();
        CompletableFuture<HeraldApp> starting = CompletableFuture.supplyAsync(() -> HeraldApp.start(dir, port, Map.of()));
        HeraldClient client = new HeraldClient(port);
        List<Seen> cosender = new ArrayList<>();
        List<Seen> cosmos = new ArrayList<>();
        while (!starting.isDone()) {
            poll(client, "/v1/messages", cosender);
            poll(client, "/v1.0/sms/", cosmos);
        }
        try (HeraldApp app = starting.get()) {
            // once started, the same requests reach their routes: no credentials is 401 in each dialect
            assertThat(app.send("POST", "/v1/messages", "application/json", "{}", Map.of()).status()).isEqualTo(401);
            assertThat(app.send("POST", "/v1.0/sms/", "application/json", "{}", Map.of()).json().get("status").asText())
                    .isEqualTo("unauthorized");
        }
        // The guard is on the server's router from the moment Camel starts its routes; the server itself listens a
        // moment earlier (it is a service, started first), and a request in that moment still meets the bare router.
        // From the guard's first answer on, there is no 404 at all.
        assertThat(afterGuard(cosender)).extracting(Seen::status).allMatch(s -> s == 503 || s == 401);
        assertThat(afterGuard(cosmos)).extracting(Seen::status).allMatch(s -> s == 503 || s == 401);
        assertThat(cosender.stream().filter(s -> s.status() == 503)).as("the guard answered while starting").isNotEmpty();
        for (Seen s : cosender) {
            if (s.status() == 503) {
                JsonNode error = HeraldApp.JSON.readTree(s.body());
                assertThat(error.get("code").asInt()).isEqualTo(1000);
                assertThat(s.retryAfter()).isEqualTo("1");
            }
        }
        for (Seen s : cosmos) {
            if (s.status() == 503) {
                assertThat(HeraldApp.JSON.readTree(s.body()).get("status").asText()).isEqualTo("internal_error");
            }
        }
        System.out.printf("during start: CO-SENDER %d answers %s (%d before the guard), COSMOS %d answers %s%n", cosender.size(),
                cosender.stream().map(Seen::status).distinct().toList(), cosender.size() - afterGuard(cosender).size(), cosmos.size(), cosmos.stream().map(Seen::status).distinct().toList());
    }

    /** The answers from the guard's first one (503) or the first routed one on. */
    private static List<Seen> afterGuard(List<Seen> seen) {
        int first = 0;
        while (first < seen.size() && seen.get(first).status() == 404) {
            first++;
        }
        return seen.subList(first, seen.size());
    }

    private static void poll(HeraldClient client, String path, List<Seen> seen) throws InterruptedException {
        try {
            Response r = client.request("POST", path, Map.of("Content-Type", "application/json"),
                    "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            seen.add(new Seen(r.status(), r.body(), r.header("Retry-After")));
        } catch (UncheckedIOException e) {
            Thread.sleep(5); // not listening yet
        }
    }
}
