package io.herald.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.Herald;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Starts the real Herald application (its Main class, application.properties and routes/) on a free port
 * with an H2 file database in the given directory, and speaks HTTP to it.
 */
public final class HeraldApp implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final int port;

    private HeraldApp(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    public static HeraldApp start(Path dataDir, Map<String, String> overrides) {
        return start(dataDir, freePort(), overrides);
    }

    public static HeraldApp start(Path dataDir, int port, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("camel.main.profile", "test");
        props.put("herald.http.port", String.valueOf(port));
        props.put("herald.db.url", "jdbc:h2:file:" + dataDir.resolve("herald").toAbsolutePath());
        props.put("herald.admin.token", ADMIN_TOKEN);
        props.put("herald.demo.enabled", "false");
        props.put("herald.retry.initial-delay-ms", "100");
        props.put("herald.retry.max-delay-ms", "400");
        props.put("camel.main.shutdown-timeout", "5");
        props.putAll(overrides);
        Main main = new Main(Herald.class);
        props.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("Herald did not start", e);
        }
        return new HeraldApp(main, port);
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }

    // --- HTTP ---------------------------------------------------------------------------

    public Response send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response tenant(String method, String path, String apiKey, String json) {
        return send(method, path, json == null ? null : "application/json", json, Map.of("Authorization", basic(apiKey)));
    }

    public Response admin(String method, String path, String json) {
        return send(method, path, json == null ? null : "application/json", json,
                Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
    }

    public static String basic(String apiKey) {
        return "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
    }

    // --- fixtures ---------------------------------------------------------------------

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

    /** Polls GET /v1/messages/{id} until the predicate holds; fails with the last answer after the timeout. */
    public JsonNode awaitMessage(Tenant tenant, String messageId, Predicate<JsonNode> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = tenant("GET", "/v1/messages/" + messageId, tenant.apiKey(), null).expect(200).json();
            if (condition.test(last)) {
                return last;
            }
            sleep(50);
        }
        throw new AssertionError("message " + messageId + " did not reach the expected state; last seen: " + last);
    }

    public JsonNode awaitStatus(Tenant tenant, String messageId, String status) {
        return awaitMessage(tenant, messageId, m -> status.equals(m.get("status").asText()), Duration.ofSeconds(20));
    }

    /**
     * Waits until the Messaging API spool holds no batch of this dispatch (of any dispatch when null): a SendMessages
     * call is answered once its messages are spooled, and they become message rows just after (the spool routes).
     */
    public void awaitSpoolDrained(Long dispatchId) {
        DataSource ds = context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        String sql = "SELECT COUNT(*) FROM message_spool" + (dispatchId == null ? "" : " WHERE dispatch_id = " + dispatchId);
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still spooled after 30 s: " + sql);
            }
            sleep(20);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Tenant(long accountId, long keyId, String apiKey, String apiSecret) {
    }

    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }
}
