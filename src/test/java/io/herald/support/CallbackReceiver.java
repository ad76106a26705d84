package io.herald.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real HTTP server on 127.0.0.1 playing a client's callback endpoint: it records every request with its headers and
 * answers scripted status codes (200 once the script is used up).
 */
public final class CallbackReceiver implements AutoCloseable, AfterAllCallback {
    public record Received(String path, String query, Map<String, List<String>> headers, String body, int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> defaults = new ConcurrentHashMap<>();

    public CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver for {@code @RegisterExtension}: listening from now on, closed after the test class. */
    public static CallbackReceiver perClass() {
        try {
            return new CallbackReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to the path are answered with these codes, in order. */
    public void script(String path, Integer... statuses) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(statuses));
    }

    /** Once its script is used up, requests to the path are answered with this code (200 unless set). */
    public void answerAlways(String path, int status) {
        defaults.put(path, status);
    }

    public List<Received> received() {
        return received;
    }

    public List<Received> receivedAt(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Polls until the requests to a path satisfy the condition; fails with what arrived after the timeout. */
    public List<Received> await(String path, Predicate<List<Received>> condition, Duration timeout) {
        return Await.until("callbacks to " + path + " arrive as expected", timeout, Duration.ofMillis(25),
                () -> receivedAt(path), condition);
    }

    public List<Received> awaitCount(String path, int count) {
        return await(path, r -> r.size() >= count, Duration.ofSeconds(20));
    }

    /**
     * Asserts that no further request to the path arrives within the period: the one place these tests wait for
     * something not to happen, so it cannot poll for it.
     */
    public void assertNoMoreThan(String path, int count, Duration period) {
        Await.during(Instant.now().plus(period), Duration.ofMillis(50), () -> {
            if (receivedAt(path).size() > count) {
                throw new AssertionError("expected " + count + " callbacks to " + path + ", got: " + receivedAt(path));
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Queue<Integer> script = scripts.get(path);
        Integer scripted = script == null ? null : script.poll();
        int status = scripted != null ? scripted : defaults.getOrDefault(path, 200);
        received.add(new Received(path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body, status));
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
