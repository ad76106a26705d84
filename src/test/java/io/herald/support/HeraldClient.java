package io.herald.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one HTTP client of the tests: speaks HTTP/1.1 to a Herald on a port, whether it runs in this JVM
 * ({@link HeraldApp}) or as a separate process ({@code io.herald.production.HeraldProcess}). Every request of every
 * test goes through {@link #request}, or through {@link #raw} for bytes java.net.http will not send.
 * A connection that fails (or an answer that does not come within the timeout) is an {@link UncheckedIOException}.
 */
public final class HeraldClient {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public HeraldClient(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** One request; the headers are sent as given (Content-Type among them, if any). */
    public Response request(String method, String path, Map<String, String> headers, byte[] body, Duration timeout) {
        return exchange(method, path, headers, timeout,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** One request whose body is sent chunked, without a Content-Length. */
    public Response chunked(String method, String path, Map<String, String> headers, byte[] body) {
        return exchange(method, path, headers, TIMEOUT, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    private Response exchange(String method, String path, Map<String, String> headers, Duration timeout,
                              HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(timeout);
        headers.forEach(b::header);
        b.method(method, body);
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response send(String method, String path, String contentType, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (contentType != null) {
            all.put("Content-Type", contentType);
        }
        return request(method, path, all, body == null ? null : body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    /** A tenant call (HTTP Basic with the API key); a JSON body when given. */
    public Response tenant(String method, String path, String apiKey, String json) {
        return send(method, path, json == null ? null : "application/json", json, Map.of("Authorization", basic(apiKey)));
    }

    /** An operator call (the admin bearer token); a JSON body when given. */
    public Response admin(String method, String path, String json) {
        return send(method, path, json == null ? null : "application/json", json,
                Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN));
    }

    public static String basic(String apiKey) {
        return "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
    }

    /** Answers 200 on GET /observe/health/ready; false when not listening or not ready. */
    public boolean ready() {
        try {
            return request("GET", "/observe/health/ready", Map.of(), null, Duration.ofSeconds(2)).status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    // --- operator and CO-SENDER conveniences ----------------------------------------------------

    /** Creates an account and a key through the operator API. */
    public Tenant newTenant(String accountJson, boolean sandbox) {
        Response account = admin("POST", "/admin/accounts", accountJson).expect(201);
        long accountId = account.json().get("id").asLong();
        Response key = admin("POST", "/admin/accounts/" + accountId + "/keys", "{\"sandbox\":" + sandbox + "}").expect(201);
        return new Tenant(accountId, key.json().get("id").asLong(), key.json().get("apiKey").asText(),
                key.json().get("apiSecret").asText());
    }

    /** Creates and activates a campaign; answers its JSON. */
    public JsonNode activeCampaign(Tenant tenant, String campaignJson) {
        Response created = tenant("POST", "/v1/campaigns", tenant.apiKey(), campaignJson).expect(201);
        String code = created.json().get("code").asText();
        return tenant("POST", "/v1/campaigns/" + code + "/activate", tenant.apiKey(), null).expect(200).json();
    }

    /** Sends one CO-SENDER call for these recipients; answers message id by recipient (every one must be OK). */
    public Map<String, String> sendBatch(Tenant tenant, String code, List<String> recipients) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        ArrayNode messages = body.putArray("messages");
        for (String recipient : recipients) {
            messages.addObject().put("recipient", recipient).putObject("parameters").put("name", recipient);
        }
        JsonNode answer = tenant("POST", "/v1/messages", tenant.apiKey(), body.toString()).expect(200).json();
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode m : answer.get("messages")) {
            if (!"OK".equals(m.get("status").asText())) {
                throw new AssertionError("not accepted: " + m);
            }
            ids.put(m.get("recipient").asText(), m.get("messageId").asText());
        }
        return ids;
    }

    // --- raw bytes ----------------------------------------------------------------------------------

    /**
     * One HTTP/1.1 request written byte for byte (for header bytes java.net.http will not send), answered as a
     * {@link Response}; the connection is closed after it.
     */
    public Response raw(String method, String path, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(split + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            StringBuilder joined = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                joined.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            body = joined.toString();
        }
        return new Response(status, body, headers);
    }
}
