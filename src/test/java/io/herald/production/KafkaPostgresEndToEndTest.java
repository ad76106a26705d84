package io.herald.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.support.Await;
import io.herald.support.Engines;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded tests' end-to-end scenarios in production mode: herald.queue=kafka on a real Kafka broker, and
 * PostgreSQL through the same migrations, with a real SMTP server (GreenMail) and a real HTTP SMS provider.
 */
@ExtendWith(Engines.class)
class KafkaPostgresEndToEndTest {
    @TempDir
    static Path data;
    static GreenMail greenMail;
    static SmsProviderStub provider;
    static Map<String, String> config;
    static HeraldApp app;
    static Tenant tenant;

    @BeforeAll
    static void start() throws Exception {
        greenMail = new GreenMail(new ServerSetup(HeraldApp.freePort(), "127.0.0.1", "smtp"));
        greenMail.start();
        provider = new SmsProviderStub();
        int port = HeraldApp.freePort();
        config = new HashMap<>(Engines.production("e2e"));
        config.put("herald.smtp.host", "127.0.0.1");
        config.put("herald.smtp.port", String.valueOf(greenMail.getSmtp().getPort()));
        config.put("herald.sms.provider.url", provider.url());
        config.put("herald.sms.provider.api-key", "provider-key");
        config.put("herald.sms.provider.api-secret", "provider-secret");
        config.put("herald.public-url", "http://localhost:" + port);
        app = HeraldApp.start(data, port, config);
        tenant = app.newTenant("{\"name\":\"Production\"}", false);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    // --- email ------------------------------------------------------------------------------------------

    @Test
    void emailArrivesAsMultipartAlternativeWithRenderedHeaders() throws Exception {
        String code = campaign("{\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"replyTo\":\"support@acme.com\","
                + "\"subject\":\"Hello %recipient.name%\",\"html\":\"<p>Dear <b>%recipient.name%</b></p>\","
                + "\"text\":\"Dear %recipient.name%\",\"unsubscribeUrl\":\"https://acme.com/u\"}");
        String id = send(app, tenant, code, "jane.pg@example.com", "<Jane>");

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");

        MimeMessage mail = mailsTo("jane.pg@example.com", 1).get(0);
        assertThat(addresses(mail.getFrom())).containsExactly("news@acme.com");
        assertThat(addresses(mail.getReplyTo())).containsExactly("support@acme.com");
        assertThat(mail.getSubject()).isEqualTo("Hello <Jane>");
        assertThat(mail.getHeader("List-Unsubscribe")).containsExactly("<https://acme.com/u>");
        assertThat(mail.getHeader("X-Herald-Message-Id")).containsExactly(id);
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(content(parts, "text/plain")).isEqualTo("Dear <Jane>");
        assertThat(content(parts, "text/html")).isEqualTo("<p>Dear <b>&lt;Jane&gt;</b></p>");
    }

    @Test
    void sandboxKeyRunsThePipelineAndDeliversToTheSandbox() {
        Tenant sandbox = app.newTenant("{\"name\":\"Sandbox\"}", true);
        String code = app.activeCampaign(sandbox, "{\"name\":\"s\",\"channel\":\"EMAIL\",\"from\":\"a@acme.com\","
                + "\"subject\":\"Hi\",\"text\":\"Hello %recipient.name%\"}").get("code").asText();
        String id = send(app, sandbox, code, "sandboxed.pg@example.com", "Sam");
        JsonNode message = app.awaitStatus(sandbox, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(Arrays.stream(greenMail.getReceivedMessages()).filter(m -> addressesOf(m).contains("sandboxed.pg@example.com")))
                .isEmpty();
    }

    @Test
    void recipientDataHoldingU0000IsRefusedBeforeItReachesPostgres() {
        // PostgreSQL refuses U+0000 in text: a Messaging API batch holding it would be answered 200 and then fail
        // to be stored out of the spool, every time; such a recipient is refused in the answer instead
        Tenant sandbox = app.newTenant("{\"name\":\"Nul\"}", true);
        JsonNode campaign = app.activeCampaign(sandbox, "{\"name\":\"n\",\"channel\":\"EMAIL\",\"from\":\"a@acme.com\","
                + "\"subject\":\"Hi\",\"text\":\"Hello %recipient.name%\"}");
        String body = "{\"templateId\":" + campaign.get("id").asLong() + ",\"recipients\":["
                + "{\"uniqueId\":\"ok\",\"email\":\"nul-ok.pg@example.com\",\"cardNumber\":\"123\",\"payload\":{\"name\":\"Ann\"}},"
                + "{\"uniqueId\":\"p\",\"email\":\"nul-payload.pg@example.com\",\"payload\":{\"name\":\"A\\u0000nn\"}},"
                + "{\"uniqueId\":\"c\",\"email\":\"nul-card.pg@example.com\",\"cardNumber\":\"12\\u00003\"},"
                + "{\"uniqueId\":\"u\\u0000\",\"email\":\"nul-id.pg@example.com\"}]}";
        JsonNode answer = app.tenant("POST", "/api/SendMessages", sandbox.apiKey(), body).expect(200).json();
        assertThat(answer.get("totalRecipientsSent").asInt()).as(answer.toString()).isEqualTo(1);
        assertThat(answer.get("invalidEmails").toString())
                .isEqualTo("[\"nul-payload.pg@example.com\",\"nul-card.pg@example.com\",\"nul-id.pg@example.com\"]");
        long dispatch = answer.get("dispatch").asLong();
        JsonNode state = Await.until("the dispatch's messages stored and queued", Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> app.tenant("GET", "/api/Dispatches/" + dispatch, sandbox.apiKey(), null).expect(200).json(),
                s -> s.get("sendStatusId").asInt() == 3);
        assertThat(state.get("sendStatusId").asInt()).as("the dispatch's messages were stored and queued: " + state).isEqualTo(3);
        assertThat(state.get("totalRecipients").asInt()).isEqualTo(1);

        // CO-SENDER: the same value is that message's error, not a failed request
        JsonNode sent = app.tenant("POST", "/v1/messages", sandbox.apiKey(), "{\"code\":\"" + campaign.get("code").asText()
                + "\",\"messages\":[{\"recipient\":\"nul-co1.pg@example.com\",\"parameters\":{\"name\":\"Bo\"}},"
                + "{\"recipient\":\"nul-co2.pg@example.com\",\"parameters\":{\"name\":\"A\\u0000\"}}]}").expect(200).json();
        assertThat(sent.at("/messages/0/status").asText()).as(sent.toString()).isEqualTo("OK");
        app.awaitStatus(sandbox, sent.at("/messages/0/messageId").asText(), "DELIVERED");
        assertThat(sent.at("/messages/1/status").asText()).as(sent.toString()).isEqualTo("ERROR");
        assertThat(sent.at("/messages/1/message").asText()).contains("U+0000");

        // stored text fields of a campaign or an account: 2001, not a database error
        JsonNode campaignRefused = app.tenant("POST", "/v1/campaigns", sandbox.apiKey(), "{\"name\":\"n2\",\"channel\":\"EMAIL\","
                + "\"from\":\"a@acme.com\",\"subject\":\"Hi\",\"text\":\"a\\u0000b\"}").expect(400).json();
        assertThat(campaignRefused.get("code").asInt()).as(campaignRefused.toString()).isEqualTo(2001);
        JsonNode accountRefused = app.admin("POST", "/admin/accounts", "{\"name\":\"A\\u0000\"}").expect(400).json();
        assertThat(accountRefused.get("code").asInt()).as(accountRefused.toString()).isEqualTo(2001);
    }

    // --- SMS ----------------------------------------------------------------------------------------------

    @Test
    void smsReachesTheProviderAndItsDeliveryReportMakesTheMessageDelivered() throws Exception {
        String code = campaign("{\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi %recipient.name%\"}");
        String id = send(app, tenant, code, "+30 693 686 3301", "Maria");

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        List<JsonNode> requests = requestsTo("306936863301");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("text").asText()).isEqualTo("Hi Maria");
        assertThat(requests.get(0).get("api_key").asText()).isEqualTo("provider-key");
        assertThat(requests.get(0).get("callback").asText()).endsWith("/callbacks/sms/dlr");
    }

    @Test
    void providerUnavailableTwiceIsRetriedFromTheStoredBackoffAndSentOnce() throws Exception {
        String code = campaign("{\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Third time lucky\"}");
        provider.script(503, 503);
        String id = send(app, tenant, code, "+306936863302", "x");

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(requestsTo("306936863302")).hasSize(3);
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "QUEUED", "QUEUED", "SENT", "DELIVERED");
        assertThat(message.get("events").get(2).get("detail").asText()).startsWith("retrying after:").contains("503");
    }

    @Test
    void providerRefusalIsPermanent() throws Exception {
        String code = campaign("{\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Refused\"}");
        provider.script(400);
        String id = send(app, tenant, code, "+306936863303", "x");

        JsonNode message = app.awaitStatus(tenant, id, "FAILED");
        assertThat(requestsTo("306936863303")).hasSize(1);
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "FAILED");
    }

    // --- CO-SENDER on PostgreSQL ------------------------------------------------------------------------------

    @Test
    void coSenderAnswersOkWarningAndErrorAndTheMessageHasTheDocumentedShape() throws Exception {
        String code = campaign("{\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"S\","
                + "\"text\":\"Hi %recipient.name% %recipient.missing%\"}");
        String body = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"ok.pg@example.com\",\"parameters\":"
                + "{\"name\":\"A\",\"missing\":\"m\"}},{\"recipient\":\"warn.pg@example.com\",\"parameters\":{\"name\":\"B\"}},"
                + "{\"recipient\":\"not-an-address\",\"parameters\":{}}]}";
        JsonNode answer = app.tenant("POST", "/v1/messages", tenant.apiKey(), body).expect(200).json();
        assertThat(answer.get("messages")).extracting(m -> m.get("status").asText()).containsExactly("OK", "WARNING", "ERROR");
        assertThat(answer.at("/messages/1/message").asText()).isEqualTo("Missing parameters: missing");
        assertThat(answer.at("/messages/2/messageId").isNull()).isTrue();

        String id = answer.at("/messages/0/messageId").asText();
        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(message.get("messageId").asText()).isEqualTo(id);
        assertThat(message.get("recipient").asText()).isEqualTo("ok.pg@example.com");
        assertThat(message.get("channel").asText()).isEqualTo("EMAIL");
        assertThat(message.get("dispatchId").asLong()).isPositive();
        assertThat(message.at("/events/0/at").asText()).isNotBlank();
    }

    @Test
    void accountMessageLimitHoldsOnPostgresql() {
        Tenant limited = app.newTenant("{\"name\":\"Limited\",\"messageLimit\":2}", false);
        String code = app.activeCampaign(limited, "{\"name\":\"l\",\"channel\":\"EMAIL\",\"from\":\"a@acme.com\","
                + "\"subject\":\"S\",\"text\":\"T\"}").get("code").asText();
        String body = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"l1.pg@example.com\"},"
                + "{\"recipient\":\"l2.pg@example.com\"},{\"recipient\":\"l3.pg@example.com\"}]}";
        JsonNode answer = app.tenant("POST", "/v1/messages", limited.apiKey(), body).expect(200).json();
        assertThat(answer.get("messages")).extracting(m -> m.get("status").asText()).containsExactly("OK", "OK", "ERROR");
        assertThat(answer.at("/messages/2/message").asText()).isEqualTo("Account message limit is reached");
        JsonNode account = app.admin("GET", "/admin/accounts/" + limited.accountId(), null).expect(200).json();
        assertThat(account.get("messagesSent").asInt()).isEqualTo(2);
    }

    // --- the Kafka queue ----------------------------------------------------------------------------------

    @Test
    void redeliveredAndDuplicateQueueRecordsSendNothingTwiceAndEveryRecordIsCommitted() throws Exception {
        String code = campaign("{\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"Once\",\"text\":\"Once\"}");
        String id = send(app, tenant, code, "once.pg@example.com", "x");
        app.awaitStatus(tenant, id, "DELIVERED");

        // the same message id on the topic again, as a redelivery after a crash or a second enqueue would put it
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("herald.kafka.brokers"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(config.get("herald.kafka.delivery.topic"), id)).get();
            }
        }
        awaitNoLag(Duration.ofSeconds(30));
        HeraldApp.sleep(500);
        assertThat(mailsTo("once.pg@example.com", 1)).hasSize(1);
        assertThat(statuses(app.awaitStatus(tenant, id, "DELIVERED"))).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
    }

    // --- transports down, restarts ------------------------------------------------------------------------

    @Test
    void smtpDownAtFirstIsRetriedUntilTheRelayComesUp(@TempDir Path otherData) throws Exception {
        int smtpPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        Map<String, String> down = new HashMap<>(Engines.production("smtp-down"));
        down.put("herald.smtp.host", "127.0.0.1");
        down.put("herald.smtp.port", String.valueOf(smtpPort));
        down.put("herald.public-url", "http://localhost:" + port);
        GreenMail late = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        try (HeraldApp herald = HeraldApp.start(otherData, port, down)) {
            Tenant t = herald.newTenant("{\"name\":\"Late\"}", false);
            String code = herald.activeCampaign(t, "{\"name\":\"late\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"Later\",\"text\":\"Eventually\"}").get("code").asText();
            String id = send(herald, t, code, "late.pg@example.com", "x");

            JsonNode retrying = herald.awaitMessage(t, id, m -> retryEvents(m) >= 2, Duration.ofSeconds(30));
            assertThat(retrying.get("status").asText()).isEqualTo("QUEUED");

            late.start();
            JsonNode message = herald.awaitMessage(t, id, m -> "DELIVERED".equals(m.get("status").asText()),
                    Duration.ofSeconds(30));
            assertThat(late.waitForIncomingEmail(5000, 1)).isTrue();
            assertThat(late.getReceivedMessages()).hasSize(1);
            List<String> statuses = statuses(message);
            assertThat(statuses.subList(statuses.size() - 2, statuses.size())).containsExactly("SENT", "DELIVERED");
        } finally {
            late.stop();
        }
    }

    @Test
    void messagesAcceptedBeforeARestartAreDeliveredOnceAfterIt(@TempDir Path otherData) throws Exception {
        int smtpPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        Map<String, String> restartConfig = new HashMap<>(Engines.production("restart"));
        restartConfig.put("herald.smtp.host", "127.0.0.1");
        restartConfig.put("herald.smtp.port", String.valueOf(smtpPort));
        restartConfig.put("herald.public-url", "http://localhost:" + port);
        restartConfig.put("camel.main.shutdown-timeout", "2");
        Tenant t;
        String code;
        Map<String, String> before;
        try (HeraldApp first = HeraldApp.start(otherData, port, restartConfig)) {
            t = first.newTenant("{\"name\":\"Restart\"}", false);
            code = first.activeCampaign(t, "{\"name\":\"r\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"N %recipient.name%\",\"text\":\"M %recipient.name%\"}").get("code").asText();
            // the relay is down: every message is attempted and waits for its retry
            before = sendMany(first, t, code, "before");
            for (String id : before.values()) {
                first.awaitMessage(t, id, m -> retryEvents(m) >= 1, Duration.ofSeconds(30));
            }
        }

        GreenMail relay = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        relay.start();
        try (HeraldApp second = HeraldApp.start(otherData, port, restartConfig)) {
            Map<String, String> all = new LinkedHashMap<>(before);
            all.putAll(sendMany(second, t, code, "after"));
            for (String id : all.values()) {
                second.awaitStatus(t, id, "DELIVERED");
            }
            assertThat(relay.waitForIncomingEmail(5000, all.size())).isTrue();
            HeraldApp.sleep(500);
            Map<String, Long> perRecipient = Arrays.stream(relay.getReceivedMessages())
                    .flatMap(m -> addressesOf(m).stream()).collect(Collectors.groupingBy(a -> a, Collectors.counting()));
            assertThat(perRecipient).containsOnlyKeys(all.keySet());
            assertThat(perRecipient.values()).allMatch(n -> n == 1L);
        } finally {
            relay.stop();
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private static String campaign(String json) throws Exception {
        ObjectNode campaign = (ObjectNode) HeraldApp.JSON.readTree(json);
        campaign.put("name", "c-" + UUID.randomUUID());
        return app.activeCampaign(tenant, campaign.toString()).get("code").asText();
    }

    private static String send(HeraldApp target, Tenant t, String code, String recipient, String name) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        body.putArray("messages").addObject().put("recipient", recipient).putObject("parameters").put("name", name);
        JsonNode answer = target.tenant("POST", "/v1/messages", t.apiKey(), body.toString()).expect(200).json();
        assertThat(answer.at("/messages/0/status").asText()).as(answer.toString()).isIn("OK", "WARNING");
        return answer.at("/messages/0/messageId").asText();
    }

    private static Map<String, String> sendMany(HeraldApp target, Tenant t, String code, String prefix) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < 10; i++) {
            messages.addObject().put("recipient", prefix + i + ".pg@example.com").putObject("parameters").put("name", "n" + i);
        }
        JsonNode answer = target.tenant("POST", "/v1/messages", t.apiKey(), body.toString()).expect(200).json();
        Map<String, String> ids = new LinkedHashMap<>();
        answer.get("messages").forEach(m -> ids.put(m.get("recipient").asText(), m.get("messageId").asText()));
        assertThat(ids).hasSize(10);
        return ids;
    }

    /** The consumer group has committed every record of the delivery topic. */
    private static void awaitNoLag(Duration timeout) throws Exception {
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("herald.kafka.brokers"));
        try (Admin admin = Admin.create(adminConfig)) {
            Await.until("every record of the delivery topic committed", timeout, Duration.ofMillis(200), () -> lag(admin),
                    lag -> lag.startsWith("0;"));
        }
    }

    /** The records not yet committed, then the committed and the latest offsets: "lag; committed ...; latest ...". */
    private static String lag(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    config.get("herald.kafka.delivery.group")).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(config.get("herald.kafka.delivery.topic"))).allTopicNames().get().values()
                    .forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
                            OffsetSpec.latest())));
            long lag = 0;
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
                ends.put(end.getKey(), end.getValue().offset());
            }
            return lag + "; committed " + committed + "; latest " + ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<MimeMessage> mailsTo(String recipient, int expected) {
        return Await.until(expected + " mails to " + recipient, Duration.ofSeconds(10),
                () -> Arrays.stream(greenMail.getReceivedMessages()).filter(m -> addressesOf(m).contains(recipient)).toList(),
                found -> found.size() >= expected);
    }

    private static List<String> addressesOf(MimeMessage mail) {
        try {
            return addresses(mail.getRecipients(Message.RecipientType.TO));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    private static String content(MimeMultipart multipart, String type) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContentType().toLowerCase().startsWith(type)) {
                return part.getContent().toString().trim();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static List<JsonNode> requestsTo(String to) {
        return provider.requests().stream().filter(r -> to.equals(r.path("to").asText())).toList();
    }

    private static List<String> statuses(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.get("events").forEach(e -> out.add(e.get("status").asText()));
        return out;
    }

    private static long retryEvents(JsonNode message) {
        List<JsonNode> events = new ArrayList<>();
        message.get("events").forEach(events::add);
        return events.stream().filter(e -> e.path("detail").asText("").startsWith("retrying")).count();
    }
}
