package io.herald.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.Await;
import io.herald.support.Cosmos;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static io.herald.support.CoSender.body;
import static io.herald.support.CoSender.emailCode;
import static io.herald.support.CoSender.messageIds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets never logged (issue 12): Herald runs with distinctive secret values in every secret setting, in a callback
 * URL's query string and in a URL's user info, and goes through every path that logs: start-up (the settings
 * summary), an SMS provider answering 500, a callback target that refuses connections, an SMTP relay that refuses
 * connections and a wrong operator token. The log, as the shipped console layout writes it, holds each of those
 * events and none of the values.
 */
class SecretLeakTest {
    static final String DB_PASSWORD = "db-password-LEAK-5b1e";
    static final String PROVIDER_KEY = "provider-api-key-LEAK-7d2a";
    static final String PROVIDER_SECRET = "provider-api-secret-LEAK-9c4f";
    static final String CALLBACK_USERINFO = "callback-userinfo-LEAK-3e8b";
    static final String EXCEPTION_USERINFO = "exception-userinfo-LEAK-4c9d";
    static final String EXCEPTION_TOKEN = "exception-query-token-LEAK-5d0e";
    static final String SMTP_PASSWORD = "smtp-password-LEAK-1a6d";
    static final String WEBHOOK_TOKEN = "webhook-token-LEAK-8f3c-0123456789";
    static final String CALLBACK_TOKEN = "callback-query-token-LEAK-2b7e";
    static final String WRONG_ADMIN_TOKEN = "wrong-admin-token-LEAK-6e0a-0123456789";

    @TempDir
    static Path data;
    static SmsProviderStub provider;
    static HeraldApp app;
    static Tenant tenant;
    static final List<String> log = new CopyOnWriteArrayList<>();
    static AbstractAppender capture;

    @BeforeAll
    static void start() throws Exception {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        // the layout the shipped log4j2.properties gives the console: what an operator's log holds
        Layout<? extends Serializable> console = context.getConfiguration().getAppender("console").getLayout();
        capture = new AbstractAppender("secret-leak-capture", null, console, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                log.add(String.valueOf(getLayout().toSerializable(event)));
            }
        };
        capture.start();
        context.getConfiguration().addAppender(capture);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        context.updateLoggers();

        provider = new SmsProviderStub();
        int port = HeraldApp.freePort();
        app = HeraldApp.start(data, port, Map.ofEntries(
                Map.entry("herald.db.password", DB_PASSWORD),
                Map.entry("herald.sms.provider.url", provider.url()),
                Map.entry("herald.sms.provider.api-key", PROVIDER_KEY),
                Map.entry("herald.sms.provider.api-secret", PROVIDER_SECRET),
                Map.entry("herald.sms.provider.webhook-token", WEBHOOK_TOKEN),
                Map.entry("herald.smtp.host", "127.0.0.1"),
                Map.entry("herald.smtp.port", String.valueOf(HeraldApp.freePort())),
                Map.entry("herald.smtp.username", "herald"),
                Map.entry("herald.smtp.password", SMTP_PASSWORD),
                Map.entry("herald.smtp.timeout-ms", "2000"),
                Map.entry("herald.public-url", "http://localhost:" + port),
                Map.entry("herald.callbacks.allow-private", "true"),
                Map.entry("herald.callbacks.poll-interval-ms", "200")));
        tenant = app.newTenant("{\"name\":\"Leak check\"}", false);
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
            if (provider != null) {
                provider.close();
            }
        } finally {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(capture.getName());
            context.updateLoggers();
            capture.stop();
        }
    }

    @Test
    void noSecretReachesTheLogOnAnyPathThatLogs() {
        // start-up: the settings summary lists the secret settings, masked
        for (String key : List.of("herald.db.password", "herald.sms.provider.api-key", "herald.sms.provider.api-secret",
                "herald.smtp.password")) {
            awaitLine(line -> line.contains(key + " = "), "the settings summary line of " + key);
        }

        // a provider answering 500 twice, then a callback target that refuses connections
        provider.script(500, 500);
        int refused = HeraldApp.freePort();
        ObjectNode sms = Cosmos.request(tenant, Cosmos.TO, "Leak check");
        sms.put("callback", "http://127.0.0.1:" + refused + "/status?token=" + CALLBACK_TOKEN);
        String smsId = Cosmos.sendOk(app, sms);
        awaitLine(line -> line.contains("Delivery of " + smsId + " failed, will retry"), "the provider failure");
        awaitLine(line -> line.contains("Callback") && line.contains("127.0.0.1:" + refused + "/status?***")
                && line.contains("failed"), "the callback failure, its query masked");
        assertThat(provider.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("api_key").asText()).isEqualTo(PROVIDER_KEY);
            assertThat(r.get("api_secret").asText()).isEqualTo(PROVIDER_SECRET);
        });

        // a callback URL with credentials is refused (400), not stored, not logged
        ObjectNode withCredentials = Cosmos.request(tenant, Cosmos.TO, "Leak check");
        withCredentials.put("callback", "http://herald:" + CALLBACK_USERINFO + "@127.0.0.1:" + refused + "/status");
        assertThat(Cosmos.send(app, withCredentials).status()).isEqualTo(400);

        // an SMTP relay that refuses connections
        String emailId = messageIds(app.tenant("POST", "/v1/messages", tenant.apiKey(),
                body(emailCode(app, tenant), "someone@example.com"))).get(0);
        awaitLine(line -> line.contains("Delivery of " + emailId + " failed, will retry"), "the SMTP failure");

        // a wrong operator token
        app.send("GET", "/admin/accounts/" + tenant.accountId(), null, null,
                Map.of("Authorization", "Bearer " + WRONG_ADMIN_TOKEN)).expect(401);
        app.admin("GET", "/admin/accounts/" + tenant.accountId(), null).expect(200);

        String all = String.join("", log);
        for (String secret : List.of(HeraldApp.ADMIN_TOKEN, DB_PASSWORD, PROVIDER_KEY, PROVIDER_SECRET, CALLBACK_USERINFO,
                SMTP_PASSWORD, WEBHOOK_TOKEN, CALLBACK_TOKEN, WRONG_ADMIN_TOKEN, tenant.apiKey(), tenant.apiSecret())) {
            assertThat(all).as("the log holds a secret").doesNotContain(secret);
        }
    }

    /**
     * The masking is in the layout, not in Herald's log calls: a library's exception whose message holds a URL with
     * credentials and a token (as an HTTP client's does) is masked wherever it is logged, its causes too.
     */
    @Test
    void anExceptionsMessageIsMaskedWhoeverLogsIt() {
        String url = "https://herald:" + EXCEPTION_USERINFO + "@hooks.example.com/in?token=" + EXCEPTION_TOKEN;
        LoggerFactory.getLogger("some.library").warn("Posting failed",
                new IllegalStateException("gave up", new IOException("Connect to " + url + " failed")));
        String line = log.stream().filter(l -> l.contains("Posting failed")).findFirst().orElseThrow();
        assertThat(line).contains("Caused by: java.io.IOException: Connect to https://***@hooks.example.com/in?*** failed")
                .doesNotContain(EXCEPTION_USERINFO).doesNotContain(EXCEPTION_TOKEN);
    }

    /** Waits for a log line; fails, with the log, if none comes within 30 s. */
    static void awaitLine(Predicate<String> line, String what) {
        Await.until("a log line of " + what + " in the log", Duration.ofSeconds(30), () -> String.join("", log),
                text -> log.stream().anyMatch(line));
    }
}
