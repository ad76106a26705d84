package io.herald.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.security.Secrets;
import io.herald.support.CoSender;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.herald.support.CoSender.assertError;
import static io.herald.support.CoSender.body;
import static io.herald.support.CoSender.count;
import static io.herald.support.CoSender.emailCode;
import static io.herald.support.CoSender.messageIds;
import static io.herald.support.CoSender.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security at the edge (issue 6): one account's key never reads, sends with or changes another account's things
 * (404, never 403); a revoked key fails at once; keys, secrets and the operator token appear in no log line and in
 * no answer after the one that created them; secrets are compared in constant time.
 */
class SecurityTest {
    @TempDir
    static Path data;
    static HeraldApp app;
    static Tenant a;
    static Tenant b;
    static String aCode;
    static String bCode;
    static String bInactiveCode;
    static String bMessageId;

    /** Every log event of the whole run of this class, formatted with its stack trace, and all console output. */
    static final List<String> logLines = new CopyOnWriteArrayList<>();
    static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    static AbstractAppender capture;
    static PrintStream originalOut;
    static PrintStream originalErr;

    @BeforeAll
    static void start() {
        capture = new AbstractAppender("security-test-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringWriter line = new StringWriter();
                line.append(event.getLevel().name()).append(' ').append(event.getLoggerName()).append(" - ")
                        .append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    event.getThrown().printStackTrace(new PrintWriter(line));
                }
                logLines.add(line.toString());
            }
        };
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().addAppender(capture);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        context.updateLoggers();
        Configurator.setLevel("io.herald", Level.DEBUG);
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));

        app = HeraldApp.start(data, Map.of());
        a = app.newTenant("{\"name\":\"Account A\"}", true);
        b = app.newTenant("{\"name\":\"Account B\"}", true);
        aCode = emailCode(app, a);
        bCode = emailCode(app, b);
        bInactiveCode = emailCode(app, b);
        app.tenant("POST", "/v1/campaigns/" + bInactiveCode + "/deactivate", b.apiKey(), null).expect(200);
        bMessageId = messageIds(app.tenant("POST", "/v1/messages", b.apiKey(), body(bCode, "bee@example.com"))).get(0);
    }

    private static OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int c) {
                original.write(c);
                synchronized (console) {
                    console.write(c);
                }
            }

            @Override
            public void write(byte[] bytes, int off, int len) {
                original.write(bytes, off, len);
                synchronized (console) {
                    console.write(bytes, off, len);
                }
            }
        };
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(capture.getName());
            context.updateLoggers();
            Configurator.setLevel("io.herald", Level.INFO);
            capture.stop();
        }
    }

    // --- one account never reaches another's things --------------------------------------------------------------

    @Test
    void anotherAccountsMessageIsNotFound() {
        Response foreign = assertError(app.tenant("GET", "/v1/messages/" + bMessageId, a.apiKey(), null), 404, 1003);
        Response missing = assertError(app.tenant("GET", "/v1/messages/00000000-0000-0000-0000-000000000000", a.apiKey(), null), 404, 1003);
        assertThat(foreign.json().get("message")).as("no hint that the message exists").isEqualTo(missing.json().get("message"));
        app.tenant("GET", "/v1/messages/" + bMessageId, b.apiKey(), null).expect(200);
    }

    @Test
    void anotherAccountsCampaignCannotBeReadChangedActivatedOrDeactivated() {
        JsonNode before = app.tenant("GET", "/v1/campaigns/" + bCode, b.apiKey(), null).expect(200).json();
        JsonNode inactiveBefore = app.tenant("GET", "/v1/campaigns/" + bInactiveCode, b.apiKey(), null).expect(200).json();

        Response foreign = assertError(app.tenant("GET", "/v1/campaigns/" + bCode, a.apiKey(), null), 404, 1003);
        Response missing = assertError(app.tenant("GET", "/v1/campaigns/zzzzzzzzzzzzz", a.apiKey(), null), 404, 1003);
        assertThat(foreign.json().get("message")).isEqualTo(missing.json().get("message"));
        assertError(app.tenant("PUT", "/v1/campaigns/" + bCode, a.apiKey(), "{\"name\":\"taken\",\"text\":\"pwned\"}"), 404, 1003);
        assertError(app.tenant("POST", "/v1/campaigns/" + bCode + "/deactivate", a.apiKey(), null), 404, 1003);
        assertError(app.tenant("POST", "/v1/campaigns/" + bInactiveCode + "/activate", a.apiKey(), null), 404, 1003);

        assertThat(app.tenant("GET", "/v1/campaigns/" + bCode, b.apiKey(), null).expect(200).json()).isEqualTo(before);
        assertThat(app.tenant("GET", "/v1/campaigns/" + bInactiveCode, b.apiKey(), null).expect(200).json()).isEqualTo(inactiveBefore);
        assertThat(before.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(inactiveBefore.get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void noOneSendsWithAnotherAccountsCampaign() {
        long aBefore = storedMessages(app, a);
        long bBefore = storedMessages(app, b);
        assertError(app.tenant("POST", "/v1/messages", a.apiKey(), body(bCode, "ann@example.com")), 404, 2005);
        assertError(app.tenant("POST", "/v1/messages", a.apiKey(), body(bInactiveCode, "ann@example.com")), 404, 2005);
        assertThat(storedMessages(app, a)).isEqualTo(aBefore);
        assertThat(storedMessages(app, b)).isEqualTo(bBefore);
    }

    @Test
    void aFormBodyCannotRedirectACallToAnotherCampaign() {
        Tenant t = app.newTenant("{\"name\":\"Forms\"}", true);
        String active = emailCode(app, t);
        String draft = app.tenant("POST", "/v1/campaigns", t.apiKey(), CoSender.EMAIL_CAMPAIGN).expect(201).json().get("code").asText();
        Map<String, String> auth = Map.of("Authorization", HeraldApp.basic(t.apiKey()));

        // the HTTP server turns form fields into headers; a field named like a path parameter must not win
        Response r = app.send("POST", "/v1/campaigns/" + draft + "/deactivate", "application/x-www-form-urlencoded",
                "code=" + active, auth);
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
        assertError(r, r.status(), r.json().get("code").asInt());
        assertThat(app.tenant("GET", "/v1/campaigns/" + active, t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("ACTIVE");
        assertThat(app.tenant("GET", "/v1/campaigns/" + draft, t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("DRAFT");
        r = app.send("PUT", "/v1/campaigns/" + draft, "application/x-www-form-urlencoded", "code=" + active + "&name=renamed", auth);
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
        assertThat(app.tenant("GET", "/v1/campaigns/" + active, t.apiKey(), null).expect(200).json().get("name").asText())
                .isEqualTo("edge");
    }

    @Test
    void aFormFieldOrQueryParameterNamedAuthorizationDoesNotAuthenticate() {
        Tenant t = app.newTenant("{\"name\":\"Spoof\"}", true);
        String active = emailCode(app, t);
        String basic = URLEncoder.encode(HeraldApp.basic(t.apiKey()), StandardCharsets.UTF_8);
        String bearer = URLEncoder.encode("Bearer " + HeraldApp.ADMIN_TOKEN, StandardCharsets.UTF_8);
        long keys = count(app, "SELECT COUNT(*) FROM api_key");

        // a call that needs no body: authenticated, it would deactivate the campaign / issue a key
        assertError(app.send("POST", "/v1/campaigns/" + active + "/deactivate", "application/x-www-form-urlencoded",
                "Authorization=" + basic, Map.of()), 400, 1001);
        assertError(app.send("POST", "/admin/accounts/" + t.accountId() + "/keys", "application/x-www-form-urlencoded",
                "Authorization=" + bearer, Map.of()), 400, 1001);
        assertError(app.send("POST", "/admin/accounts/" + t.accountId() + "/keys", "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"Authorization\"\r\n\r\nBearer " + HeraldApp.ADMIN_TOKEN
                        + "\r\n--xyz--\r\n", Map.of()), 400, 1001);
        Response cosmos = app.send("POST", "/v1.0/sms/", "application/x-www-form-urlencoded", "api_key=x&to=1", Map.of());
        assertThat(cosmos.status()).isEqualTo(400);
        assertThat(cosmos.body()).isEqualTo("{\"status\":\"invalid_json\"}");
        // COSMOS checks the size first
        cosmos = app.send("POST", "/v1.0/sms/", "application/x-www-form-urlencoded", "api_key=" + "x".repeat(5000), Map.of());
        assertThat(cosmos.status()).isEqualTo(413);
        assertThat(cosmos.body()).isEqualTo("{\"status\":\"large_request\"}");

        // query parameters are not headers either
        assertError(app.send("POST", "/v1/campaigns/" + active + "/deactivate?Authorization=" + basic, null, null, Map.of()), 401, 1002);
        assertError(app.send("POST", "/admin/accounts/" + t.accountId() + "/keys?Authorization=" + bearer, null, null, Map.of()), 401, 1002);
        // nor do they stand in for a path parameter
        assertError(app.tenant("GET", "/v1/campaigns/nothing?code=" + active, t.apiKey(), null), 404, 1003);

        assertThat(app.tenant("GET", "/v1/campaigns/" + active, t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("ACTIVE");
        assertThat(count(app, "SELECT COUNT(*) FROM api_key")).isEqualTo(keys);
    }

    @Test
    void aFormBodyDoesNotIssueALiveKey() {
        Tenant t = app.newTenant("{\"name\":\"Form key\"}", true);
        long keys = count(app, "SELECT COUNT(*) FROM api_key WHERE account_id = ?", t.accountId());
        Map<String, String> operator = Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN);
        assertError(app.send("POST", "/admin/accounts/" + t.accountId() + "/keys", "application/x-www-form-urlencoded",
                "sandbox=true", operator), 400, 1001);
        assertError(app.send("POST", "/admin/accounts/" + t.accountId() + "/keys", "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"sandbox\"\r\n\r\ntrue\r\n--xyz--\r\n", operator), 400, 1001);
        // a declared body type that is not JSON is refused even with no body
        assertError(app.send("POST", "/admin/accounts/" + t.accountId() + "/keys", "text/plain", "", operator), 400, 1001);
        assertThat(count(app, "SELECT COUNT(*) FROM api_key WHERE account_id = ?", t.accountId())).isEqualTo(keys);
    }

    @Test
    void tenantKeysDoNotOpenTheOperatorApi() {
        assertError(app.tenant("GET", "/admin/accounts/" + a.accountId(), a.apiKey(), null), 401, 1002);
        assertError(app.send("GET", "/admin/accounts/" + a.accountId(), null, null, Map.of("Authorization", "Bearer " + a.apiKey())), 401, 1002);
        assertError(app.send("POST", "/admin/accounts/" + b.accountId() + "/keys", null, null,
                Map.of("Authorization", "Bearer " + a.apiKey())), 401, 1002);
    }

    // --- revoked keys ----------------------------------------------------------------------------------------------

    @Test
    void aRevokedKeyFailsAtOnce() {
        JsonNode created = app.admin("POST", "/admin/accounts/" + a.accountId() + "/keys", "{\"sandbox\":true}").expect(201).json();
        String key = created.get("apiKey").asText();
        long keyId = created.get("id").asLong();
        String ownMessage = messageIds(app.tenant("POST", "/v1/messages", key, body(aCode, "rev@example.com"))).get(0);
        app.tenant("GET", "/v1/campaigns/" + aCode, key, null).expect(200);

        // revoking it under another account is not found, and the key keeps working
        assertError(app.admin("DELETE", "/admin/accounts/" + b.accountId() + "/keys/" + keyId, null), 404, 1003);
        app.tenant("GET", "/v1/campaigns/" + aCode, key, null).expect(200);

        app.admin("DELETE", "/admin/accounts/" + a.accountId() + "/keys/" + keyId, null).expect(204);
        long before = storedMessages(app, a);
        assertError(app.tenant("GET", "/v1/campaigns/" + aCode, key, null), 401, 1002);
        assertError(app.tenant("POST", "/v1/messages", key, body(aCode, "rev@example.com")), 401, 1002);
        assertError(app.tenant("GET", "/v1/messages/" + ownMessage, key, null), 401, 1002);
        assertError(app.tenant("POST", "/v1/campaigns", key, CoSender.EMAIL_CAMPAIGN), 401, 1002);
        assertThat(storedMessages(app, a)).isEqualTo(before);
        // the account's other key is untouched
        app.tenant("GET", "/v1/messages/" + ownMessage, a.apiKey(), null).expect(200);
    }

    // --- secrets never leak -----------------------------------------------------------------------------------------

    @Test
    void keysSecretsAndTheTokenAppearInNoLogLineAndInNoLaterAnswer() {
        JsonNode created = app.admin("POST", "/admin/accounts/" + a.accountId() + "/keys", "{\"sandbox\":false}").expect(201).json();
        String key = created.get("apiKey").asText();
        String secret = created.get("apiSecret").asText();
        assertThat(key).matches("key_[0-9a-z]{26}");
        assertThat(secret).isNotBlank();
        List<String> secrets = List.of(key, secret, a.apiKey(), a.apiSecret(), b.apiKey(), b.apiSecret(), HeraldApp.ADMIN_TOKEN);

        // the scenario: everything a key does, right and wrong, plus the operator reading the account
        List<Response> answers = new ArrayList<>();
        answers.add(app.tenant("POST", "/v1/messages", key, body(aCode, "ann@example.com")));
        answers.add(app.tenant("POST", "/v1/messages", key, body(aCode, "not-an-email")));
        answers.add(app.tenant("POST", "/v1/messages", key, "{\"code\":\"" + aCode + "\",\"apiKey\":\"" + key + "\"}"));
        answers.add(app.tenant("POST", "/v1/messages", key, "{broken"));
        answers.add(app.tenant("GET", "/v1/messages/" + bMessageId, key, null));
        answers.add(app.tenant("GET", "/v1/campaigns/" + aCode, key, null));
        answers.add(app.tenant("POST", "/v1/messages", key + "x", body(aCode, "ann@example.com")));
        answers.add(app.tenant("POST", "/v1/messages", key.toUpperCase(), body(aCode, "ann@example.com")));
        answers.add(app.send("POST", "/v1/messages", "application/json", body(aCode, "ann@example.com"), Map.of("Authorization", "Bearer " + key)));
        answers.add(app.send("GET", "/v1/campaigns/" + aCode, null, null, Map.of("Authorization", "Basic " + key)));
        answers.add(app.send("GET", "/admin/accounts/" + a.accountId(), null, null, Map.of("Authorization", "Bearer " + secret)));
        answers.add(app.send("GET", "/admin/accounts/" + a.accountId(), null, null, Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN + "x")));
        answers.add(app.admin("GET", "/admin/accounts/" + a.accountId(), null));
        answers.add(app.admin("PUT", "/admin/accounts/" + a.accountId() + "/rate-limit", "{\"requestsPerSecond\":50}"));
        answers.add(app.send("GET", "/v1/nothing", null, null, Map.of("Authorization", HeraldApp.basic(key))));
        answers.add(app.admin("DELETE", "/admin/accounts/" + a.accountId() + "/keys/" + created.get("id").asLong(), null));
        answers.add(app.tenant("POST", "/v1/messages", key, body(aCode, "ann@example.com")));

        for (Response answer : answers) {
            for (String s : secrets) {
                assertThat(answer.body()).as("an answer after creation").doesNotContain(s);
                answer.headers().values().forEach(values -> assertThat(values.toString()).doesNotContain(s));
            }
        }
        List<String> forbidden = new ArrayList<>(secrets);
        forbidden.add(key + "x");
        forbidden.add(key.toUpperCase());
        for (String s : List.of(key, a.apiKey(), b.apiKey())) {
            forbidden.add(Base64.getEncoder().encodeToString(("api:" + s).getBytes(StandardCharsets.UTF_8)));
        }
        String consoleText;
        synchronized (console) {
            consoleText = console.toString(StandardCharsets.UTF_8);
        }
        assertThat(logLines).as("log lines captured").isNotEmpty();
        for (String s : forbidden) {
            assertThat(logLines).as("log lines").noneMatch(line -> line.contains(s));
            assertThat(consoleText).as("console output").doesNotContain(s);
        }

        // stored only as hashes
        assertThat(count(app, "SELECT COUNT(*) FROM api_key WHERE key_hash = ? AND secret_hash = ?", Secrets.sha256(key),
                Secrets.sha256(secret))).isEqualTo(1);
        assertThat(count(app, "SELECT COUNT(*) FROM api_key WHERE key_hash = ? OR secret_hash = ? OR key_hash = ?", key, secret,
                Secrets.sha256(key.toUpperCase()))).isZero();
    }

    // --- timing-safe comparison -------------------------------------------------------------------------------------

    /**
     * {@link Secrets#constantTimeEquals} decides like {@code equals} (the operator token goes through it). That it
     * takes the same time wherever the values differ cannot be asserted reliably in a test (JIT, scheduling and a
     * shared machine drown a difference of nanoseconds); it delegates to {@link java.security.MessageDigest#isEqual},
     * which is constant-time for equal lengths by contract.
     */
    @Test
    void secretsAreComparedWithConstantTimeEquals() {
        String token = HeraldApp.ADMIN_TOKEN;
        assertThat(Secrets.constantTimeEquals(token, new String(token.toCharArray()))).isTrue();
        assertThat(Secrets.constantTimeEquals("", "")).isTrue();
        assertThat(Secrets.constantTimeEquals("κλειδί-🔑", "κλειδί-🔑")).isTrue();
        for (String other : List.of(token + "x", token.substring(1), token.substring(0, token.length() - 1), token.toUpperCase(),
                "X" + token.substring(1), token.substring(0, 10) + "X" + token.substring(11), "", " " + token)) {
            assertThat(Secrets.constantTimeEquals(token, other)).as(other).isFalse();
            assertThat(Secrets.constantTimeEquals(other, token)).as(other).isFalse();
        }
        assertThat(Secrets.constantTimeEquals(token, null)).isFalse();
        assertThat(Secrets.constantTimeEquals(null, token)).isFalse();
        assertThat(Secrets.constantTimeEquals(null, null)).isFalse();

        // the operator token over HTTP: only the exact token opens the operator API
        for (String presented : List.of(token + "x", token.substring(1), token.toUpperCase(), token + " x", "x" + token)) {
            assertError(app.send("GET", "/admin/accounts/" + a.accountId(), null, null, Map.of("Authorization", "Bearer " + presented)), 401, 1002);
        }
        app.send("GET", "/admin/accounts/" + a.accountId(), null, null, Map.of("Authorization", "bearer " + token)).expect(200);
    }
}
