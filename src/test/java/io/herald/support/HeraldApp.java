package io.herald.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.Herald;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The test fixture: the real Herald application (its Main class, application.properties and routes/) in this JVM on a
 * free port, with an H2 file database in a directory of its own. Its HTTP calls go through the one {@link HeraldClient}.
 * <p>
 * Per test class: {@code @RegisterExtension static final HeraldApp app = HeraldApp.perClass(Map.of(...));} starts it
 * before the class's {@code @BeforeAll} methods (in a temporary directory) and stops it after the class. For a
 * start inside a test (restarts, a second instance): {@code try (HeraldApp app = HeraldApp.start(dir, Map.of()))}.
 */
public final class HeraldApp implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final HeraldClient client;
    private final IntFunction<Map<String, String>> perClassSettings;
    private Main main;
    private Path perClassDir;

    private HeraldApp(int port, IntFunction<Map<String, String>> perClassSettings) {
        this.port = port;
        this.client = new HeraldClient(port);
        this.perClassSettings = perClassSettings;
    }

    public static HeraldApp start(Path dataDir, Map<String, String> overrides) {
        return start(dataDir, freePort(), overrides);
    }

    public static HeraldApp start(Path dataDir, int port, Map<String, String> overrides) {
        HeraldApp app = new HeraldApp(port, null);
        app.run(dataDir, overrides);
        return app;
    }

    /** A fixture for {@code @RegisterExtension}: started before the class's tests with these settings, stopped after. */
    public static HeraldApp perClass(Map<String, String> overrides) {
        return perClass(port -> overrides);
    }

    /** As {@link #perClass(Map)}, with settings that name the port (read when the class starts). */
    public static HeraldApp perClass(IntFunction<Map<String, String>> overrides) {
        return new HeraldApp(freePort(), overrides);
    }

    private void run(Path dataDir, Map<String, String> overrides) {
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
        Main started = new Main(Herald.class);
        props.forEach(started::addOverrideProperty);
        try {
            started.start();
        } catch (Exception e) {
            throw new IllegalStateException("Herald did not start", e);
        }
        main = started;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClassDir = Files.createTempDirectory("herald-" + context.getRequiredTestClass().getSimpleName());
        run(perClassDir, perClassSettings.apply(port));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (main != null) {
                close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(perClassDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return client.url(path);
    }

    public HeraldClient client() {
        return client;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public DataSource dataSource() {
        return context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    @Override
    public void close() {
        main.stop();
    }

    // --- HTTP, through the one client -------------------------------------------------------------

    public Response send(String method, String path, String contentType, String body, Map<String, String> headers) {
        return client.send(method, path, contentType, body, headers);
    }

    public Response tenant(String method, String path, String apiKey, String json) {
        return client.tenant(method, path, apiKey, json);
    }

    public Response admin(String method, String path, String json) {
        return client.admin(method, path, json);
    }

    public static String basic(String apiKey) {
        return HeraldClient.basic(apiKey);
    }

    // --- fixtures ---------------------------------------------------------------------

    /** Creates an account and a key through the operator API. */
    public Tenant newTenant(String accountJson, boolean sandbox) {
        return client.newTenant(accountJson, sandbox);
    }

    /** Creates and activates a campaign; answers its JSON. */
    public JsonNode activeCampaign(Tenant tenant, String campaignJson) {
        return client.activeCampaign(tenant, campaignJson);
    }

    /** Polls GET /v1/messages/{id} until the predicate holds; fails with the last answer after the timeout. */
    public JsonNode awaitMessage(Tenant tenant, String messageId, Predicate<JsonNode> condition, Duration timeout) {
        return Await.until("message " + messageId + " reaches the expected state", timeout,
                () -> tenant("GET", "/v1/messages/" + messageId, tenant.apiKey(), null).expect(200).json(), condition);
    }

    public JsonNode awaitStatus(Tenant tenant, String messageId, String status) {
        return awaitMessage(tenant, messageId, m -> status.equals(m.get("status").asText()), Duration.ofSeconds(20));
    }

    /**
     * Waits until the Messaging API spool holds no batch of this dispatch (of any dispatch when null): a SendMessages
     * call is answered once its messages are spooled, and they become message rows just after (the spool routes).
     */
    public void awaitSpoolDrained(Long dispatchId) {
        String sql = "SELECT COUNT(*) FROM message_spool" + (dispatchId == null ? "" : " WHERE dispatch_id = " + dispatchId);
        Await.until("nothing spooled: " + sql, Duration.ofSeconds(30), Duration.ofMillis(20), () -> count(sql), n -> n == 0);
    }

    // --- the database ---------------------------------------------------------------------

    /** The rows of a query on Herald's database (timestamps as OffsetDateTime on H2 and PostgreSQL alike). */
    public List<List<Object>> query(String sql, Object... params) {
        return Sql.query(dataSource(), sql, params);
    }

    /** The single number a COUNT query answers. */
    public long count(String sql, Object... params) {
        return ((Number) query(sql, params).get(0).get(0)).longValue();
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
            throw new UncheckedIOException(e);
        }
    }

    public record Tenant(long accountId, long keyId, String apiKey, String apiSecret) {
    }

    public record Response(int status, String body, Map<String, List<String>> headers) {
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
