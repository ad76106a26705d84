package io.herald.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While Herald starts, its HTTP server listens before the routes are on it: requests in that moment are answered 503
 * with Retry-After in the dialect's format, never 404 (which a client would take for a missing endpoint).
 */
class StartingUpTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    private record Seen(int status, String body, String retryAfter) {
    }

    @Test
    void requestsDuringStartAreToldToComeBackNeverNotFound(@TempDir Path dir) throws Exception {
        int port = HeraldApp.freePort();
        CompletableFuture<HeraldApp> starting = CompletableFuture.supplyAsync(() -> HeraldApp.start(dir, port, Map.of()));
        List<Seen> cosender = new ArrayList<>();
        List<Seen> cosmos = new ArrayList<>();
        while (!starting.isDone()) {
            poll(port, "/v1/messages", cosender);
            poll(port, "/v1.0/sms/", cosmos);
        }
        try (HeraldApp app = starting.get()) {
            // once started, the same requests reach their routes: no credentials is 401 in each dialect
            assertThat(app.send("POST", "/v1/messages", "application/json", "{}", Map.of()).status()).isEqualTo(401);
            assertThat(app.send("POST", "/v1.0/sms/", "application/json", "{}", Map.of()).json().get("status").asText())
                    .isEqualTo("unauthorized");
        }
        assertThat(cosender).extracting(Seen::status).allMatch(s -> s == 503 || s == 401);
        assertThat(cosmos).extracting(Seen::status).allMatch(s -> s == 503 || s == 401);
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
        System.out.printf("during start: CO-SENDER %d answers %s, COSMOS %d answers %s%n", cosender.size(),
                cosender.stream().map(Seen::status).distinct().toList(), cosmos.size(), cosmos.stream().map(Seen::status).distinct().toList());
    }

    private static void poll(int port, String path, List<Seen> seen) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            seen.add(new Seen(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null)));
        } catch (ConnectException e) {
            Thread.sleep(5); // not listening yet
        } catch (IOException e) {
            Thread.sleep(5);
        }
    }
}
