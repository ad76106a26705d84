package io.herald.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald's logs, captured from its real run with {@code herald.log.format=json}: the request log line, the message
 * and account id in the log context of a delivery's warning (its first attempt at the SMS provider fails), named
 * loggers for the routes' log steps, and the JSON layout (which masks secrets as the text one does).
 */
class LogsTest {
    @TempDir
    static Path data;
    static SmsProviderStub provider;
    static HeraldApp app;
    static Tenant tenant;
    static String messageId;
    static final Capture CAPTURE = new Capture();

    /** Keeps every event logged (copied: Log4j reuses its event objects). */
    static final class Capture extends AbstractAppender {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Capture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }
    }

    @BeforeAll
    static void sendOneSms() throws Exception {
        CAPTURE.start();
        root().addAppender(CAPTURE, Level.ALL, null);
        provider = new SmsProviderStub();
        provider.script(500);
        app = HeraldApp.start(data, Map.of("herald.sms.provider.url", provider.url(), "herald.log.format", "json"));
        tenant = app.newTenant("{\"name\":\"Logged\"}", false);
        JsonNode sms = app.activeCampaign(tenant, "{\"name\":\"s\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi\"}");
        messageId = app.tenant("POST", "/v1/messages", tenant.apiKey(), "{\"code\":\"" + sms.get("code").asText()
                + "\",\"messages\":[{\"recipient\":\"+306936862201\"}]}").expect(200).json().at("/messages/0/messageId").asText();
        app.awaitMessage(tenant, messageId, m -> m.get("status").asText().equals("DELIVERED"), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.close();
        root().removeAppender(CAPTURE.getName());
        LogFormat.apply("text");
    }

    private static Configuration configuration() {
        return ((LoggerContext) LogManager.getContext(false)).getConfiguration();
    }

    private static LoggerConfig root() {
        return configuration().getRootLogger();
    }

    private static List<LogEvent> by(String logger) {
        return CAPTURE.events.stream().filter(e -> e.getLoggerName().equals(logger)).toList();
    }

    private static JsonNode json(LogEvent event) throws Exception {
        Layout<?> layout = configuration().getAppender("json").getLayout();
        return HeraldApp.JSON.readTree(new String(layout.toByteArray(event), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theSettingSwitchesTheRootLoggerToJson() {
        assertThat(root().getAppenders()).containsKey("json").doesNotContainKey("console");
    }

    @Test
    void eachRequestLogsOneLineWithoutCredentials() throws Exception {
        List<String> lines = by("herald.http").stream().map(e -> e.getMessage().getFormattedMessage()).toList();
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("POST /v1/messages 200 \\d+ ms account=" + tenant.accountId()));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("POST /admin/accounts 201 \\d+ ms account=-"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("GET /v1/messages/" + messageId + " 200 \\d+ ms account=" + tenant.accountId()));
        for (LogEvent event : CAPTURE.events) {
            String text = event.getMessage().getFormattedMessage();
            assertThat(text).doesNotContain(tenant.apiKey(), HeraldApp.ADMIN_TOKEN, HeraldApp.basic(tenant.apiKey()));
        }
        JsonNode line = json(by("herald.http").get(0));
        assertThat(line.get("logger").asText()).isEqualTo("herald.http");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).matches("[A-Z]+ /\\S* \\d{3} \\d+ ms account=\\S+");
    }

    @Test
    void aDeliveryLineCarriesTheMessageAndAccountIds() throws Exception {
        LogEvent retry = by("herald.delivery").stream()
                .filter(e -> e.getMessage().getFormattedMessage().startsWith("Delivery of " + messageId + " failed, will retry"))
                .findFirst().orElseThrow(() -> new AssertionError("no retry warning on herald.delivery"));
        assertThat(retry.getContextData().<String>getValue("messageId")).isEqualTo(messageId);
        assertThat(retry.getContextData().<String>getValue("accountId")).isEqualTo(Long.toString(tenant.accountId()));

        JsonNode line = json(retry);
        assertThat(line.at("/context/messageId").asText()).isEqualTo(messageId);
        assertThat(line.at("/context/accountId").asText()).isEqualTo(Long.toString(tenant.accountId()));
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        String text = new String(configuration().getAppender("console").getLayout().toByteArray(retry),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("[message=" + messageId + " account=" + tenant.accountId() + "] - Delivery of");
        // the request log, on the server's threads, has no delivery's ids
        assertThat(by("herald.http")).allMatch(e -> e.getContextData().getValue("messageId") == null);
    }

    @Test
    void noLoggerIsNamedAfterASourceLine() {
        assertThat(CAPTURE.events).extracting(LogEvent::getLoggerName).noneMatch(name -> name.startsWith("yaml:"));
    }

    @Test
    void jsonOutputMasksSecretsInTheMessageAndTheError() throws Exception {
        LoggerFactory.getLogger("herald.test").warn("calling https://user:hunter2@relay.example/send?token=tok3n with "
                + "apiSecret=s3cr3tvalue", new IllegalStateException("Authorization: Bearer b34rer-value refused"));
        LogEvent event = by("herald.test").get(0);
        String json = new String(configuration().getAppender("json").getLayout().toByteArray(event),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("hunter2", "tok3n", "s3cr3tvalue", "b34rer-value");
        JsonNode line = HeraldApp.JSON.readTree(json);
        assertThat(line.get("message").asText()).contains("relay.example/send", "apiSecret=***");
        assertThat(line.get("error").asText()).contains("IllegalStateException: Authorization: *** refused");
        assertThat(json.trim()).doesNotContain("\n");
    }
}
