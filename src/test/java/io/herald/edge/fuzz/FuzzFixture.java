package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One running Herald for the whole fuzz run, the accounts, keys, campaigns and messages the generators refer to,
 * and the bookkeeping that proves afterwards that malformed requests changed nothing: the messages in the database
 * are exactly those of the requests sent valid on purpose, and accounts, keys and campaigns are as they were.
 */
public final class FuzzFixture implements AutoCloseable {
    public static final String COUNT_PROPERTY = "herald.fuzz.count";
    public static final String SEED_PROPERTY = "herald.fuzz.seed";
    public static final String TIMEOUT_PROPERTY = "herald.fuzz.timeout-ms";
    public static final int DEFAULT_COUNT = 10_000;

    private final Path dataDir;
    public final HeraldApp app;
    public final DataSource dataSource;
    private final Duration timeout;

    /** The account the fuzz requests authenticate as (sandbox key, rate limit high enough not to matter). */
    public final Tenant tenant;
    /** Another account: its things must stay out of reach of the tenant's key. */
    public final Tenant other;
    public final String revokedKey;
    public final long otherKeyId;
    public final long missingAccountId;
    public final int bodyLimit;

    public final String emailCode;
    public final String smsCode;
    public final String inactiveCode;
    public final String draftCode;
    public final String otherCode;
    public final String otherInactiveCode;

    public final String ownMessageId;
    public final String otherMessageId;
    /** Used once by a valid send; any other request with it is a conflict. */
    public final String usedIdempotencyKey = "fuzz-used-key";
    public final String usedIdempotencyBody;
    /** A COSMOS send of the tenant: it also creates the account's hidden COSMOS campaign before the baseline. */
    public final String cosmosMessageId;

    private final Set<String> expectedMessageIds = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> baseline;

    private FuzzFixture(Path dataDir) {
        this.dataDir = dataDir;
        app = HeraldApp.start(dataDir, Map.of());
        dataSource = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        timeout = Duration.ofMillis(Long.getLong(TIMEOUT_PROPERTY, 15_000));
        bodyLimit = Integer.parseInt(app.context().resolvePropertyPlaceholders("{{herald.http.body-limit.cosender}}"));

        tenant = app.newTenant("{\"name\":\"Fuzz\"}", true);
        app.admin("PUT", "/admin/accounts/" + tenant.accountId() + "/rate-limit", "{\"requestsPerSecond\":1000000}").expect(200);
        other = app.newTenant("{\"name\":\"Other\"}", true);
        otherKeyId = other.keyId();
        JsonNode revoked = app.admin("POST", "/admin/accounts/" + tenant.accountId() + "/keys", "{\"sandbox\":true}").expect(201).json();
        revokedKey = revoked.get("apiKey").asText();
        app.admin("DELETE", "/admin/accounts/" + tenant.accountId() + "/keys/" + revoked.get("id").asLong(), null).expect(204);
        missingAccountId = other.accountId() + 1000;

        emailCode = code(app.activeCampaign(tenant, EMAIL_CAMPAIGN));
        smsCode = code(app.activeCampaign(tenant, SMS_CAMPAIGN));
        inactiveCode = code(app.activeCampaign(tenant, EMAIL_CAMPAIGN));
        app.tenant("POST", "/v1/campaigns/" + inactiveCode + "/deactivate", tenant.apiKey(), null).expect(200);
        draftCode = code(app.tenant("POST", "/v1/campaigns", tenant.apiKey(), "{\"name\":\"draft\",\"channel\":\"SMS\"}").expect(201).json());
        otherCode = code(app.activeCampaign(other, EMAIL_CAMPAIGN));
        otherInactiveCode = code(app.activeCampaign(other, SMS_CAMPAIGN));
        app.tenant("POST", "/v1/campaigns/" + otherInactiveCode + "/deactivate", other.apiKey(), null).expect(200);

        ownMessageId = sendValid(tenant, emailCode, "own@example.com", null);
        otherMessageId = sendValid(other, otherCode, "other@example.com", null);
        usedIdempotencyBody = sendBody(emailCode, "once@example.com");
        sendValid(tenant, emailCode, "once@example.com", usedIdempotencyKey);
        cosmosMessageId = sendValidCosmos();
        baseline = snapshot();
    }

    public static FuzzFixture start() {
        try {
            return new FuzzFixture(Files.createTempDirectory("herald-fuzz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String EMAIL_CAMPAIGN = "{\"name\":\"fuzz email\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
            + "\"subject\":\"Hi %recipient.name%\",\"text\":\"Hello %recipient.name%, code %recipient.code%\","
            + "\"html\":\"<p>Hello %recipient.name%</p>${unsubscribe}\",\"unsubscribeUrl\":\"https://acme.com/u\"}";
    static final String SMS_CAMPAIGN = "{\"name\":\"fuzz sms\",\"channel\":\"SMS\",\"from\":\"Acme\","
            + "\"text\":\"Code %recipient.code% for %recipient.name%\"}";

    private static String code(JsonNode campaign) {
        return campaign.get("code").asText();
    }

    private static String sendBody(String code, String recipient) {
        return "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"" + recipient + "\",\"parameters\":{\"name\":\"N\"}}]}";
    }

    private String sendValid(Tenant sender, String code, String recipient, String idempotencyKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", HeraldApp.basic(sender.apiKey()));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        String id = app.send("POST", "/v1/messages", "application/json", sendBody(code, recipient), headers).expect(200)
                .json().get("messages").get(0).get("messageId").asText();
        expectedMessageIds.add(id);
        return id;
    }

    private String sendValidCosmos() {
        String body = "{\"api_key\":\"" + tenant.apiKey() + "\",\"api_secret\":\"" + tenant.apiSecret()
                + "\",\"to\":\"033334445566770\",\"from\":\"Fuzz\",\"text\":\"Before the run\"}";
        String id = app.send("POST", "/v1.0/sms/", "application/json", body, Map.of()).expect(200).json().get("message_id").asText();
        expectedMessageIds.add(id);
        return id;
    }

    /** Sends one request of a dialect, checks the answer and keeps the count. */
    public void run(Dialect dialect, Tally tally, FuzzRequest request) {
        long started = System.nanoTime();
        FuzzAnswer answer;
        try {
            answer = send(request);
        } catch (RuntimeException e) {
            tally.failed();
            throw e;
        }
        Dialect.Outcome outcome;
        try {
            if (!request.valid() && request.expectedStatus() != 0 && answer.status() != request.expectedStatus()) {
                throw new AssertionError("expected HTTP " + request.expectedStatus() + " but got " + answer + "\nto " + request);
            }
            outcome = dialect.verify(request, answer);
            for (String secret : List.of(tenant.apiKey(), tenant.apiSecret(), other.apiKey(), HeraldApp.ADMIN_TOKEN)) {
                assertThat(answer.body()).as("an answer never shows a key, secret or token: " + answer + "\nto " + request)
                        .doesNotContain(secret);
            }
        } catch (AssertionError e) {
            tally.failed();
            throw e;
        }
        expectedMessageIds.addAll(outcome.messageIds());
        tally.count(request, outcome, System.nanoTime() - started);
    }

    /** Sends over real HTTP/1.1 with the per-request timeout: no answer in time is a hang, and fails. */
    private FuzzAnswer send(FuzzRequest request) {
        try {
            Response r = app.client().request(request.method(), request.path(), request.headers(), request.body(), timeout);
            return new FuzzAnswer(r.status(), r.headers(), r.body());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new AssertionError("no answer within " + timeout.toMillis() + " ms (a hang) to " + request, e);
            }
            throw new AssertionError("the connection failed (" + e.getCause() + ") for " + request, e);
        }
    }

    /**
     * Every message in the database was requested validly, every valid request's messages are there, each account's
     * {@code messagesSent} matches its messages, and no account, key or campaign was created, changed or revoked.
     */
    public void assertNothingHappenedUnasked() {
        Set<String> stored = new HashSet<>(query("SELECT id FROM message"));
        Set<String> unasked = new TreeSet<>(stored);
        unasked.removeAll(expectedMessageIds);
        Set<String> missing = new TreeSet<>(expectedMessageIds);
        missing.removeAll(stored);
        assertThat(unasked).as("messages nobody validly requested").isEmpty();
        assertThat(missing).as("messages of valid requests that are not stored").isEmpty();
        assertThat(query("SELECT a.id || ':' || a.messages_sent || ':' || (SELECT COUNT(*) FROM message m WHERE m.account_id = a.id)"
                + " FROM account a")).as("messagesSent of each account equals its stored messages")
                .allSatisfy(row -> assertThat(row.split(":")[1]).isEqualTo(row.split(":")[2]));
        assertThat(snapshot()).as("accounts, keys and campaigns are as before the fuzz run").isEqualTo(baseline);
    }

    public int expectedMessageCount() {
        return expectedMessageIds.size();
    }

    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        tables.put("account", rows("SELECT id, name, message_limit, allowed_countries, demo, rate_limit, disabled_at FROM account ORDER BY id"));
        tables.put("api_key", rows("SELECT id, account_id, key_hash, secret_hash, sandbox, revoked_at FROM api_key ORDER BY id"));
        tables.put("campaign", rows("SELECT * FROM campaign ORDER BY id"));
        return tables;
    }

    private List<String> query(String sql) {
        return rows(sql).stream().map(r -> r.substring(1, r.length() - 1)).toList();
    }

    private List<String> rows(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
