package io.herald.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.support.HeraldApp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMS provider (SPEC §4) on a real socket that takes a fixed time to answer each request, as a real one does, and
 * serves requests in parallel: it keeps Herald's deliveries going long enough for a test to crash or stop an instance
 * in the middle of them. Answers 200 ok with a message id; posts no delivery reports.
 */
final class SlowSmsProvider implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final long latencyMillis;

    SlowSmsProvider(long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(workers);
        server.createContext("/sms", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    List<JsonNode> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = HeraldApp.JSON.readTree(exchange.getRequestBody().readAllBytes());
        HeraldApp.sleep(latencyMillis);
        requests.add(request);
        byte[] body = ("{\"status\":\"ok\",\"message_id\":\"slow-" + ids.incrementAndGet() + "\",\"price\":0.01}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
