package io.herald.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.CallbackReceiver;
import io.herald.support.Cosmos;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.herald.support.Cosmos.request;
import static io.herald.support.Cosmos.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SMS provider's webhooks with {@code herald.sms.provider.webhook-token} set, on the real application with a real
 * provider stub and callback receiver: a post without the token (or with it anywhere but {@code ?token=} and
 * {@code Authorization: Bearer}) is 401 and changes nothing; the provider's own posts work.
 */
class WebhookTokenTest {
    /** Characters that must be URL-encoded in the callback URL's query string. */
    private static final String TOKEN = "wh+Token/with=odd&chars%41-0123456789";
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Pattern PROVIDER_ID = Pattern.compile("accepted by SMS provider as ([A-Za-z0-9_-]+)");
    private static final AtomicInteger PATHS = new AtomicInteger();

    @RegisterExtension
    static final SmsProviderStub provider = SmsProviderStub.perClass();
    @RegisterExtension
    static final CallbackReceiver receiver = CallbackReceiver.perClass();
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(port -> Map.of(
            "herald.sms.provider.url", provider.url(),
            "herald.sms.provider.api-key", "k",
            "herald.sms.provider.api-secret", "s",
            "herald.sms.provider.webhook-token", TOKEN,
            "herald.public-url", "http://localhost:" + port,
            "herald.callbacks.allow-private", "true",
            "herald.callbacks.poll-interval-ms", "200"));
    static Tenant tenant;
    static String publicUrl;

    @BeforeAll
    static void start() throws Exception {
        publicUrl = app.url("");
        tenant = app.newTenant("{\"name\":\"Webhooks\"}", false);
    }

    @BeforeEach
    void reportsOn() {
        provider.sendReports(true);
    }

    @Test
    void theCallbackUrlHeraldSendsCarriesTheTokenAndTheProvidersReportsWork() {
        String path = path();
        String id = sendOk(app, withCallback(request(tenant, Cosmos.TO, "Reported by the provider"), path));
        app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(receiver.awaitCount(path, 1).get(0).body()).contains("\"delivered\"");

        String callback = lastRequest().get("callback").asText();
        assertThat(callback).isEqualTo(publicUrl + "/callbacks/sms/dlr?token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8));
        assertThat(URI.create(callback).getQuery()).isEqualTo("token=" + TOKEN);
    }

    @Test
    void forgedDeliveryReportsAreRefusedAndChangeNothing() throws Exception {
        provider.sendReports(false);
        String path = path();
        String id = sendOk(app, withCallback(request(tenant, Cosmos.TO, "Not delivered yet"), path));
        JsonNode sent = app.awaitStatus(tenant, id, "SENT");
        String report = report(providerId(sent), "delivered");
        String dlr = "/callbacks/sms/dlr";
        String rightQuery = "?token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);

        List<Response> forged = List.of(
                post(dlr, report, Map.of()),
                post(dlr + "?token=wrong-token", report, Map.of()),
                post(dlr + "?token=", report, Map.of()),
                post(dlr + rightQuery + "x", report, Map.of()),
                post(dlr, report, Map.of("Authorization", "Bearer wrong-token")),
                post(dlr, report, Map.of("Authorization", "Bearer " + TOKEN.substring(1))),
                // the right token in the wrong place
                post(dlr, report, Map.of("token", TOKEN)),
                post(dlr, report, Map.of("X-Webhook-Token", TOKEN)),
                post(dlr, report, Map.of("CamelHttpRawQuery", "token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8))),
                post(dlr, report, Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("provider:" + TOKEN).getBytes(StandardCharsets.UTF_8)))),
                post(dlr, report, Map.of("Authorization", TOKEN)),
                post(dlr, ((ObjectNode) HeraldApp.JSON.readTree(report)).put("token", TOKEN).toString(), Map.of()),
                post(dlr + "?webhook_token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8), report, Map.of()));
        for (Response r : forged) {
            assertUnauthorized(r);
        }

        assertThat(message(id)).as("status and events untouched").isEqualTo(sent);
        receiver.assertNoMoreThan(path, 0, QUIET);
        assertThat(callbackRows(id)).isZero();

        // the provider's own report, to the URL Herald gave it
        Response own = post(relative(lastRequest().get("callback").asText()), report, Map.of());
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(receiver.awaitCount(path, 1).get(0).body()).contains("\"delivered\"");
        receiver.assertNoMoreThan(path, 1, QUIET);
    }

    @Test
    void aDeliveryReportWithTheTokenAsBearerWorks() {
        provider.sendReports(false);
        String path = path();
        String id = sendOk(app, withCallback(request(tenant, Cosmos.TO, "Reported with a bearer token"), path));
        String report = report(providerId(app.awaitStatus(tenant, id, "SENT")), "not_delivered");
        Response r = post("/callbacks/sms/dlr", report, Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        app.awaitStatus(tenant, id, "NOT_DELIVERED");
        assertThat(receiver.awaitCount(path, 1).get(0).body()).contains("\"not_delivered\"");
    }

    @Test
    void aForgedStopIsRefusedAndBlacklistsNothingWhileTheProvidersStopsWork() throws Exception {
        String byQuery = "033300000000501";
        String byBearer = "033300000000502";
        sendOk(app, request(tenant, byQuery, "Hello"));
        sendOk(app, request(tenant, byBearer, "Hello"));
        String stop = HeraldApp.JSON.createObjectNode().put("from", byQuery).put("to", "Company Name 123").put("text", "STOP")
                .toString();
        String inbound = "/callbacks/sms/inbound";

        assertUnauthorized(post(inbound, stop, Map.of()));
        assertUnauthorized(post(inbound + "?token=wrong-token", stop, Map.of()));
        assertUnauthorized(post(inbound, stop, Map.of("Authorization", "Bearer wrong-token")));
        assertUnauthorized(post(inbound, stop, Map.of("token", TOKEN)));
        assertUnauthorized(post(inbound, ((ObjectNode) HeraldApp.JSON.readTree(stop)).put("token", TOKEN).toString(), Map.of()));
        assertThat(blacklist()).isEmpty();
        sendOk(app, request(tenant, byQuery, "Still allowed"));

        post(inbound + "?token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8), stop, Map.of()).expect(200);
        post(inbound, stop.replace(byQuery, byBearer), Map.of("Authorization", "bearer " + TOKEN)).expect(200);
        assertThat(blacklist()).containsExactlyInAnyOrder(byQuery, byBearer);
        Cosmos.expectStatus(Cosmos.send(app, request(tenant, byQuery, "Refused now")), 400, "blacklist");
    }

    @Test
    void rejectionsAreCountedPerEndpoint() {
        double dlr = rejected("dlr");
        double inbound = rejected("inbound");
        assertUnauthorized(post("/callbacks/sms/dlr", report("Az_0", "delivered"), Map.of()));
        assertUnauthorized(post("/callbacks/sms/dlr?token=wrong", report("Az_0", "delivered"), Map.of()));
        assertUnauthorized(post("/callbacks/sms/inbound", "{\"from\":\"1\",\"to\":\"2\",\"text\":\"STOP\"}", Map.of()));
        // accepted posts, and posts refused for other reasons, are not counted
        post("/callbacks/sms/inbound", "{\"from\":\"1\",\"to\":\"2\",\"text\":\"hi\"}", Map.of("Authorization", "Bearer " + TOKEN))
                .expect(200);
        post("/callbacks/sms/dlr", "{not json", Map.of("Authorization", "Bearer " + TOKEN)).expect(400);

        assertThat(rejected("dlr")).isEqualTo(dlr + 2);
        assertThat(rejected("inbound")).isEqualTo(inbound + 1);
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static void assertUnauthorized(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.json().get("status").asText()).isEqualTo("unauthorized");
        assertThat(r.json().get("message").asText()).contains("?token=").contains("Authorization: Bearer");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    private static Response post(String pathAndQuery, String body, Map<String, String> headers) {
        return app.send("POST", pathAndQuery, "application/json", body, headers);
    }

    private static String report(String providerId, String status) {
        return "{\"status\":\"" + status + "\",\"to\":\"" + Cosmos.TO + "\",\"message_id\":\"" + providerId
                + "\",\"price\":0.01,\"message_timestamp\":\"2026-12-06 10:00:00\"}";
    }

    private static String path() {
        return "/hook/" + PATHS.incrementAndGet();
    }

    private static ObjectNode withCallback(ObjectNode body, String path) {
        body.put("callback", receiver.url(path));
        return body;
    }

    private static JsonNode lastRequest() {
        List<JsonNode> requests = provider.requests();
        return requests.get(requests.size() - 1);
    }

    /** The path and query of a URL on this app. */
    private static String relative(String url) {
        assertThat(url).startsWith(publicUrl + "/");
        return url.substring(publicUrl.length());
    }

    private static String providerId(JsonNode message) {
        Matcher m = PROVIDER_ID.matcher(message.toString());
        assertThat(m.find()).as(message.toString()).isTrue();
        return m.group(1);
    }

    private static JsonNode message(String id) {
        return app.tenant("GET", "/v1/messages/" + id, tenant.apiKey(), null).expect(200).json();
    }

    private static List<String> blacklist() {
        JsonNode numbers = app.tenant("GET", "/v1/blacklist", tenant.apiKey(), null).expect(200).json().get("numbers");
        return numbers.findValuesAsText("number");
    }

    private static long callbackRows(String messageId) throws Exception {
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM callback WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** herald_webhook_rejected_total{endpoint} from the Prometheus page; 0 before the first rejection. */
    private static double rejected(String endpoint) {
        String page = app.send("GET", "/observe/metrics", null, null, Map.of()).expect(200).body();
        Matcher m = Pattern.compile("(?m)^herald_webhook_rejected_total\\{[^}]*endpoint=\"" + endpoint + "\"[^}]*} (\\S+)$")
                .matcher(page);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
