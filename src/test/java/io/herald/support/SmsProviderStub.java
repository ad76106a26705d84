package io.herald.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a socket playing the upstream SMS provider of SPEC §4: it records each request,
 * answers with scripted status codes (200 ok by default), and posts a delivery report to the request's callback.
 * Per test class: {@code @RegisterExtension static final SmsProviderStub provider = SmsProviderStub.perClass();}
 * (listening at once, closed after the class).
 */
public final class SmsProviderStub implements AutoCloseable, AfterAllCallback {
    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final Queue<Integer> scriptedStatuses = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile String deliveryStatus = "delivered";
    private volatile boolean sendReports = true;
    private volatile int downWith;
    private final String idPrefix;

    public SmsProviderStub() throws IOException {
        this("Az_");
    }

    /** {@code idPrefix}: the start of the message ids it hands out (distinct for several providers in one test). */
    public SmsProviderStub(String idPrefix) throws IOException {
        this.idPrefix = idPrefix;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sms", this::handle);
        server.start();
    }

    /** A stub for {@code @RegisterExtension}: listening from now on, closed after the test class. */
    public static SmsProviderStub perClass() {
        try {
            return new SmsProviderStub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    /** The next requests are answered with these HTTP codes, in order; after that, 200 ok. */
    public void script(Integer... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
    }

    /** Until {@link #recover}, every request is answered with this HTTP code (e.g. 503): the provider is down. */
    public void down(int status) {
        downWith = status;
    }

    public void recover() {
        downWith = 0;
    }

    /** How many requests with this text it took (answered 200 ok): more than one is a message sent twice. */
    public long acceptedWithText(String text) {
        return accepted.stream().filter(r -> text.equals(r.path("text").asText())).count();
    }

    /** How many requests carried this text (answered ok or not). */
    public long requestsWithText(String text) {
        return requests.stream().filter(r -> text.equals(r.path("text").asText())).count();
    }

    public void reportStatus(String status) {
        deliveryStatus = status;
    }

    public void sendReports(boolean send) {
        sendReports = send;
    }

    public List<JsonNode> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = HeraldApp.JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(request);
        int down = downWith;
        Integer scripted = down != 0 ? null : scriptedStatuses.poll();
        int status = down != 0 ? down : scripted == null ? 200 : scripted;
        String providerId = idPrefix + ids.incrementAndGet();
        String body = status == 200
                ? "{\"status\":\"ok\",\"message_id\":\"" + providerId + "\",\"price\":0.01}"
                : status == 400 ? "{\"status\":\"invalid_to\"}" : "{\"status\":\"internal_error\"}";
        if (status == 200) {
            accepted.add(request);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        if (status == 200 && sendReports) {
            String callback = request.path("callback").asText();
            String report = "{\"status\":\"" + deliveryStatus + "\",\"to\":\"" + request.path("to").asText()
                    + "\",\"message_id\":\"" + providerId + "\",\"price\":0.01,\"message_timestamp\":\"2026-11-23 10:00:00\"}";
            new Thread(() -> postReport(callback, report), "dlr-post").start();
        }
    }

    private static void postReport(String callback, String report) {
        try {
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(callback))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(report)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not post the delivery report to " + callback, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
