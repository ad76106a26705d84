package io.herald.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Herald;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.HeraldClient;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prod profile's refusals and the dev profile's demo account, on the real application. */
class ProfilesTest {
    private static final String GOOD_TOKEN = "Zq8vN3xL0pR7tY2wK5mB9cD4fG6hJ1sA";
    private static final String GOOD_DB_PASSWORD = "v7Kp2-RandomDbPass-93xQ";
    private static final String GOOD_WEBHOOK_TOKEN = "Pw4nT7rJ2xQ9-provider-webhook";
    private static final String STOP = "{\"from\":\"306936862499\",\"to\":\"Herald\",\"text\":\"STOP\"}";
    private static final Pattern WEBHOOK_TOKEN = Pattern.compile("SMS provider webhook token for this run: ([0-9a-z]{32})");

    private static final Pattern DEMO_KEY = Pattern.compile("API key \\(sandbox, new for this run\\): (key_[0-9a-z]{26})");
    private static final Pattern EMAIL_CODE = Pattern.compile("EMAIL campaign code: ([0-9a-z]{13})");
    private static final Pattern SMS_CODE = Pattern.compile("SMS campaign code: +([0-9a-z]{13})");
    private static final Pattern CURL = Pattern.compile(
            "curl -i -u 'api:([^']+)' -H 'Content-Type: ([^']+)' \\\\\\s*-d '([^']+)' \\\\\\s*(\\S+)");

    // --- prod -------------------------------------------------------------------------------

    @Test
    void prodRefusesToStartWithoutAdminToken(@TempDir Path dir) {
        Map<String, String> props = new HashMap<>(prod(dir));
        props.remove("herald.admin.token");
        assertRefuses(() -> startRaw(dir, props), "herald.admin.token");
    }

    @Test
    void prodRefusesToStartWithAnEmptyAdminToken(@TempDir Path dir) {
        assertRefuses(() -> HeraldApp.start(dir, with(prod(dir), "herald.admin.token", "")), "herald.admin.token");
    }

    @Test
    void prodRefusesToStartWithAShortAdminToken(@TempDir Path dir) {
        assertRefuses(() -> HeraldApp.start(dir, with(prod(dir), "herald.admin.token", "short-token-123")), "herald.admin.token");
    }

    @Test
    void prodRefusesToStartWithTheDemoDatabasePassword(@TempDir Path dir) {
        assertRefuses(() -> HeraldApp.start(dir, with(prod(dir), "herald.db.password", "herald")), "herald.db.password");
    }

    @Test
    void prodRefusesToStartWithTheShippedDefaultDatabasePassword(@TempDir Path dir) {
        // application.properties ships herald.db.password = herald; prod must not run on it. (herald.demo.enabled=false
        // is what application-prod.properties says; a profile chosen by override property does not load that file.)
        Map<String, String> props = new HashMap<>(prod(dir));
        props.remove("herald.db.password");
        props.put("herald.demo.enabled", "false");
        assertRefuses(() -> startRaw(dir, props), "herald.db.password");
    }

    @Test
    void prodRefusesToStartWithoutAWebhookToken(@TempDir Path dir) {
        Map<String, String> props = new HashMap<>(prod(dir));
        props.remove("herald.sms.provider.webhook-token");
        props.put("herald.demo.enabled", "false");
        assertRefuses(() -> startRaw(dir, props), "herald.sms.provider.webhook-token");
    }

    @Test
    void prodRefusesToStartWithAShortWebhookToken(@TempDir Path dir) {
        assertRefuses(() -> HeraldApp.start(dir, with(prod(dir), "herald.sms.provider.webhook-token", "a".repeat(23))),
                "herald.sms.provider.webhook-token");
    }

    @Test
    void prodRefusesToStartWithTheDemoAccount(@TempDir Path dir) {
        assertRefuses(() -> HeraldApp.start(dir, with(prod(dir), "herald.demo.enabled", "true")), "herald.demo.enabled");
    }

    @Test
    void prodStartsWithALongRandomTokenAndAnotherDbPassword(@TempDir Path dir) throws Exception {
        try (HeraldApp app = HeraldApp.start(dir, prod(dir))) {
            HeraldApp.Response health = app.send("GET", "/observe/health", null, null, Map.of());
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            // the operator API answers the configured token, and only it
            app.send("POST", "/admin/accounts", "application/json", "{\"name\":\"Prod\"}",
                    Map.of("Authorization", "Bearer " + GOOD_TOKEN)).expect(201);
            assertThat(app.send("POST", "/admin/accounts", "application/json", "{\"name\":\"Prod\"}",
                    Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN)).status()).isEqualTo(401);
            // no demo data in prod
            assertThat(count(app, "SELECT COUNT(*) FROM account WHERE demo = TRUE")).isZero();
            // the provider webhooks want the configured token
            assertThat(app.send("POST", "/callbacks/sms/inbound", "application/json", STOP, Map.of()).status()).isEqualTo(401);
            app.send("POST", "/callbacks/sms/inbound", "application/json", STOP,
                    Map.of("Authorization", "Bearer " + GOOD_WEBHOOK_TOKEN)).expect(200);
        }
    }

    // --- dev demo ---------------------------------------------------------------------------

    @Test
    void devDemoAccountSendsWithThePrintedKeyAndCurl(@TempDir Path dir) throws Exception {
        Map<String, String> dev = Map.of("camel.main.profile", "dev", "herald.demo.enabled", "true");
        String firstKey;
        String emailCode;
        String smsCode;
        try (Capture out = Capture.stdout(); HeraldApp app = HeraldApp.start(dir, dev)) {
            String printed = out.await(DEMO_KEY, Duration.ofSeconds(20));
            firstKey = find(DEMO_KEY, printed);
            emailCode = find(EMAIL_CODE, printed);
            smsCode = find(SMS_CODE, printed);
            Tenant demo = new Tenant(0, 0, firstKey, "");

            // exactly one demo account, with one active EMAIL and one active SMS campaign
            assertThat(count(app, "SELECT COUNT(*) FROM account WHERE demo = TRUE")).isEqualTo(1);
            assertThat(strings(app, "SELECT c.channel || ':' || c.status FROM campaign c JOIN account a ON a.id = c.account_id"
                    + " WHERE a.demo = TRUE ORDER BY c.channel")).containsExactly("EMAIL:ACTIVE", "SMS:ACTIVE");
            JsonNode email = app.tenant("GET", "/v1/campaigns/" + emailCode, firstKey, null).expect(200).json();
            assertThat(email.get("channel").asText()).isEqualTo("EMAIL");
            assertThat(email.get("status").asText()).isEqualTo("ACTIVE");
            JsonNode sms = app.tenant("GET", "/v1/campaigns/" + smsCode, firstKey, null).expect(200).json();
            assertThat(sms.get("channel").asText()).isEqualTo("SMS");
            assertThat(sms.get("status").asText()).isEqualTo("ACTIVE");

            // the printed curl, replayed as written
            Matcher curl = CURL.matcher(printed);
            assertThat(curl.find()).as(printed).isTrue();
            assertThat(curl.group(1)).isEqualTo(firstKey);
            assertThat(curl.group(4)).isEqualTo("http://localhost:" + app.port() + "/v1/messages");
            assertThat(curl.group(3)).contains(emailCode);
            HeraldApp.Response answer = post(curl.group(4), curl.group(1), curl.group(2), curl.group(3));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode entry = HeraldApp.JSON.readTree(answer.body()).at("/messages/0");
            assertThat(entry.get("status").asText()).as(answer.body()).isEqualTo("OK");
            JsonNode delivered = app.awaitStatus(demo, entry.get("messageId").asText(), "DELIVERED");
            assertThat(delivered.get("channel").asText()).isEqualTo("EMAIL");

            // the SMS campaign sends too
            JsonNode smsEntry = app.tenant("POST", "/v1/messages", firstKey, "{\"code\":\"" + smsCode + "\",\"messages\":"
                    + "[{\"recipient\":\"13108713613\",\"parameters\":{\"first_name\":\"Jane\",\"code\":\"4711\"}}]}")
                    .expect(200).json().at("/messages/0");
            assertThat(smsEntry.get("status").asText()).isEqualTo("OK");
            assertThat(app.awaitStatus(demo, smsEntry.get("messageId").asText(), "DELIVERED").get("recipient").asText())
                    .isEqualTo("+13108713613");
        }

        // a restart keeps the demo account and its campaigns, and replaces the key
        try (Capture out = Capture.stdout(); HeraldApp app = HeraldApp.start(dir, dev)) {
            String printed = out.await(DEMO_KEY, Duration.ofSeconds(20));
            String secondKey = find(DEMO_KEY, printed);
            assertThat(secondKey).isNotEqualTo(firstKey);
            assertThat(find(EMAIL_CODE, printed)).isEqualTo(emailCode);
            assertThat(find(SMS_CODE, printed)).isEqualTo(smsCode);
            assertThat(count(app, "SELECT COUNT(*) FROM account WHERE demo = TRUE")).isEqualTo(1);
            assertThat(count(app, "SELECT COUNT(*) FROM campaign c JOIN account a ON a.id = c.account_id WHERE a.demo = TRUE"))
                    .isEqualTo(2);
            assertThat(app.tenant("GET", "/v1/campaigns/" + emailCode, firstKey, null).status()).isEqualTo(401);
            app.tenant("GET", "/v1/campaigns/" + emailCode, secondKey, null).expect(200);
        }
    }

    @Test
    void devMakesUpAndPrintsAWebhookTokenUnlessOneIsSet(@TempDir Path dir) {
        Map<String, String> dev = Map.of("camel.main.profile", "dev", "herald.demo.enabled", "false");
        try (Capture out = Capture.stdout(); HeraldApp app = HeraldApp.start(dir, dev)) {
            String token = find(WEBHOOK_TOKEN, out.text());
            assertThat(app.send("POST", "/callbacks/sms/inbound", "application/json", STOP, Map.of()).status()).isEqualTo(401);
            app.send("POST", "/callbacks/sms/inbound?token=" + token, "application/json", STOP, Map.of()).expect(200);
        }
        try (Capture out = Capture.stdout();
             HeraldApp app = HeraldApp.start(dir, with(dev, "herald.sms.provider.webhook-token", GOOD_WEBHOOK_TOKEN))) {
            assertThat(out.text()).doesNotContain("webhook token for this run");
            app.send("POST", "/callbacks/sms/inbound?token=" + GOOD_WEBHOOK_TOKEN, "application/json", STOP, Map.of()).expect(200);
        }
    }

    @Test
    void demoIsOffUnlessEnabled(@TempDir Path dir) throws Exception {
        try (HeraldApp app = HeraldApp.start(dir, Map.of("camel.main.profile", "dev", "herald.demo.enabled", "false"))) {
            app.admin("POST", "/admin/accounts", "{\"name\":\"Only\"}").expect(201);
            assertThat(count(app, "SELECT COUNT(*) FROM account WHERE demo = TRUE")).isZero();
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    private static Map<String, String> prod(Path dir) {
        Map<String, String> props = new HashMap<>();
        props.put("camel.main.profile", "prod");
        props.put("herald.admin.token", GOOD_TOKEN);
        props.put("herald.db.password", GOOD_DB_PASSWORD);
        props.put("herald.sms.provider.webhook-token", GOOD_WEBHOOK_TOKEN);
        return props;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> props = new HashMap<>(base);
        props.put(key, value);
        return props;
    }

    /**
     * Starts Herald like {@link HeraldApp#start} but with exactly the given settings, so that a setting can be absent
     * (the harness always sets an admin token and a database password). Stops whatever did start if starting failed.
     */
    private static void startRaw(Path dir, Map<String, String> settings) {
        Main main = new Main(Herald.class);
        main.addOverrideProperty("herald.http.port", String.valueOf(HeraldApp.freePort()));
        main.addOverrideProperty("herald.db.url", "jdbc:h2:file:" + dir.resolve("herald").toAbsolutePath());
        main.addOverrideProperty("camel.main.shutdown-timeout", "5");
        settings.forEach(main::addOverrideProperty);
        boolean started = false;
        try {
            main.start();
            started = true;
        } catch (Exception e) {
            throw new IllegalStateException("Herald did not start", e);
        } finally {
            main.stop();
        }
        assertThat(started).isTrue();
    }

    private static void assertRefuses(Runnable start, String setting) {
        assertThatThrownBy(start::run)
                .satisfies(e -> assertThat(causes(e)).as("the refusal names " + setting).anyMatch(m -> m.contains(setting)));
    }

    private static List<String> causes(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in:\n" + text).isTrue();
        return m.group(1);
    }

    /** A POST to a printed URL (the printed host is localhost, checked by the caller). */
    private static HeraldApp.Response post(String url, String apiKey, String contentType, String body) {
        URI uri = URI.create(url);
        return new HeraldClient(uri.getPort()).send("POST", uri.getRawPath(), contentType, body,
                Map.of("Authorization", HeraldApp.basic(apiKey)));
    }

    private static long count(HeraldApp app, String sql) {
        return app.count(sql);
    }

    private static List<String> strings(HeraldApp app, String sql) {
        return app.query(sql).stream().map(row -> String.valueOf(row.get(0))).toList();
    }

    /** Copies System.out into a buffer (still writing through) until closed. */
    private static final class Capture implements AutoCloseable {
        private final PrintStream original;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private Capture(PrintStream original) {
            this.original = original;
        }

        static Capture stdout() {
            Capture capture = new Capture(System.out);
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (capture.buffer) {
                        capture.buffer.write(b);
                    }
                    capture.original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (capture.buffer) {
                        capture.buffer.write(b, off, len);
                    }
                    capture.original.write(b, off, len);
                }
            };
            System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
            return capture;
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }

        /** Polls the captured output until the whole demo block (through its curl) is printed. */
        String await(Pattern start, Duration timeout) {
            String text = Await.until("something matching " + start + " printed", timeout, this::text, t -> {
                Matcher m = start.matcher(t);
                return m.find() && CURL.matcher(t.substring(m.start())).find();
            });
            Matcher m = start.matcher(text);
            m.find();
            return text.substring(m.start());
        }

        @Override
        public void close() {
            System.out.flush();
            System.setOut(original);
        }
    }
}
