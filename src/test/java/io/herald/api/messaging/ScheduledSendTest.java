package io.herald.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import io.herald.store.DispatchRepository;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import io.herald.support.Smtp;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.herald.support.MessagingApi.awaitDispatch;
import static io.herald.support.MessagingApi.count;
import static io.herald.support.MessagingApi.dispatch;
import static io.herald.support.MessagingApi.dispatchTime;
import static io.herald.support.MessagingApi.messagesByRecipient;
import static io.herald.support.MessagingApi.recipient;
import static io.herald.support.MessagingApi.recipients;
import static io.herald.support.MessagingApi.request;
import static io.herald.support.MessagingApi.sendOk;
import static io.herald.support.MessagingApi.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled sends (SPEC §3): a future scheduleDate keeps the dispatch Pending and its messages SCHEDULED; at the
 * time they are released to delivery, and reach a real SMTP server (GreenMail) and a real SMS provider only then.
 */
class ScheduledSendTest {
    static final DateTimeFormatter SECONDS_WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    static final int SMTP_PORT = HeraldApp.freePort();
    @RegisterExtension
    @Order(1)
    static final GreenMailExtension greenMail = Smtp.perClass(SMTP_PORT);
    @RegisterExtension
    @Order(1)
    static final SmsProviderStub provider = SmsProviderStub.perClass();
    @RegisterExtension
    @Order(2)
    static final HeraldApp app = HeraldApp.perClass(port -> Map.of(
            "herald.smtp.host", "127.0.0.1",
            "herald.smtp.port", String.valueOf(SMTP_PORT),
            "herald.sms.provider.url", provider.url(),
            "herald.sms.provider.api-key", "k",
            "herald.sms.provider.api-secret", "s",
            "herald.public-url", "http://localhost:" + port,
            "herald.scheduler.poll-ms", "200"));
    static Tenant tenant;
    static long emailTemplate;
    static long smsTemplate;

    @BeforeAll
    static void start() throws Exception {
        tenant = app.newTenant("{\"name\":\"Scheduler\",\"allowedCountries\":[\"GR\"]}", false);
        emailTemplate = app.activeCampaign(tenant, "{\"name\":\"later\",\"channel\":\"EMAIL\",\"from\":\"news@shop.gr\","
                + "\"subject\":\"For %recipient.name%\",\"text\":\"Hello %recipient.name%\"}").get("id").asLong();
        smsTemplate = app.activeCampaign(tenant, "{\"name\":\"later-sms\",\"channel\":\"SMS\",\"from\":\"Shop\","
                + "\"text\":\"Hello %recipient.name%\"}").get("id").asLong();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }

    @Test
    void aScheduledEmailDispatchIsPendingUntilItsTimeThenQueuedAndDelivered() throws Exception {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.ofHours(3)).plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        String scheduleDate = SECONDS_WITH_OFFSET.format(at);
        ArrayNode list = recipients();
        recipient(list, "a", "ann@example.com", null).putObject("payload").put("name", "Ann");
        recipient(list, "b", "bob@example.com", null).putObject("payload").put("name", "Bob");
        JsonNode answer = sendOk(app, tenant.apiKey(), request(emailTemplate, scheduleDate, list).toString());
        assertThat(answer.get("sendDate").asText()).isEqualTo(scheduleDate);
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(2);
        long dispatchId = answer.get("dispatch").asLong();

        JsonNode pending = dispatch(app, tenant.apiKey(), dispatchId).expect(200).json();
        assertThat(pending.get("sendStatusId").asInt()).isEqualTo(2);
        assertThat(pending.get("isInitialized").asBoolean()).isTrue();
        assertThat(pending.get("hasStartedQueuing").asBoolean()).isFalse();
        assertThat(pending.get("hasFinishedQueuing").asBoolean()).isFalse();
        assertThat(pending.get("startedQueuingAt").isNull()).isTrue();
        assertThat(pending.get("lastUpdate").isNull()).isTrue();
        assertThat(dispatchTime(pending.get("sendAt"))).isEqualTo(at.toInstant());
        assertThat(dispatchTime(pending.get("queueAt"))).isEqualTo(at.toInstant());

        Map<String, String> messages = messagesByRecipient(app, dispatchId);
        assertThat(messages).containsOnlyKeys("ann@example.com", "bob@example.com");
        for (String id : messages.values()) {
            JsonNode m = app.tenant("GET", "/v1/messages/" + id, tenant.apiKey(), null).expect(200).json();
            assertThat(m.get("status").asText()).isEqualTo("SCHEDULED");
            assertThat(statuses(m)).containsExactly("SCHEDULED");
        }

        // nothing reaches the SMTP server before the time
        Await.during(at.toInstant().minusMillis(100), Duration.ofMillis(100), () -> {
            assertThat(greenMail.getReceivedMessages()).isEmpty();
            assertThat(dispatch(app, tenant.apiKey(), dispatchId).json().get("sendStatusId").asInt()).isEqualTo(2);
        });

        for (String id : messages.values()) {
            JsonNode m = app.awaitStatus(tenant, id, "DELIVERED");
            assertThat(statuses(m)).containsExactly("SCHEDULED", "ACCEPTED", "QUEUED", "SENT", "DELIVERED");
            assertThat(OffsetDateTime.parse(m.at("/events/1/at").asText(),
                    DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx")).toInstant()).isAfterOrEqualTo(at.toInstant());
        }
        assertThat(greenMail.waitForIncomingEmail(5000, 2)).isTrue();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage mail : greenMail.getReceivedMessages()) {
            subjects.add(mail.getSubject());
        }
        assertThat(subjects).containsExactlyInAnyOrder("For Ann", "For Bob");

        JsonNode queued = awaitDispatch(app, tenant.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
        Instant started = dispatchTime(queued.get("startedQueuingAt"));
        Instant finished = dispatchTime(queued.get("finishedQueuingAt"));
        assertThat(started).isAfterOrEqualTo(at.toInstant());
        assertThat(finished).isAfterOrEqualTo(started);
        assertThat(dispatchTime(queued.get("createdAt"))).isBefore(at.toInstant());
        assertThat(queued.get("hasStartedQueuing").asBoolean()).isTrue();
        assertThat(queued.get("hasFinishedQueuing").asBoolean()).isTrue();
        assertThat(queued.get("totalRecipients").asInt()).isEqualTo(2);
    }

    @Test
    void aScheduledSmsReachesTheProviderOnlyAfterItsTime() {
        int before = provider.requests().size();
        Instant at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        ArrayNode list = recipients();
        recipient(list, "s1", null, "6936862201").putObject("payload").put("name", "Sam");
        // without an offset the schedule date is UTC
        String scheduleDate = at.toString().replace("Z", "");
        JsonNode answer = sendOk(app, tenant.apiKey(), request(smsTemplate, scheduleDate, list).toString());
        assertThat(OffsetDateTime.parse(answer.get("sendDate").asText()).toInstant()).isEqualTo(at);
        assertThat(answer.get("sendDate").asText()).endsWith("+00:00");
        String id = messagesByRecipient(app, answer.get("dispatch").asLong()).get("+306936862201");

        Await.during(at.minusMillis(100), Duration.ofMillis(100), () -> assertThat(provider.requests()).hasSize(before));
        app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(provider.requests()).hasSize(before + 1);
        assertThat(provider.requests().get(before).get("to").asText()).isEqualTo("306936862201");
        assertThat(provider.requests().get(before).get("text").asText()).isEqualTo("Hello Sam");
    }

    @Test
    void aPastOrAbsentScheduleDateSendsNow() {
        ArrayNode list = recipients();
        recipient(list, "now", "now@example.com", null);
        JsonNode past = sendOk(app, tenant.apiKey(), request(emailTemplate, "2020-01-01T00:00:00-05:00", list).toString());
        assertThat(past.get("sendDate").asText()).endsWith("-05:00");
        assertThat(OffsetDateTime.parse(past.get("sendDate").asText()).toInstant())
                .isBetween(Instant.now().minusSeconds(10), Instant.now());
        JsonNode d = awaitDispatch(app, tenant.apiKey(), past.get("dispatch").asLong(), x -> x.get("sendStatusId").asInt() == 3);
        assertThat(d.get("hasFinishedQueuing").asBoolean()).isTrue();
        app.awaitStatus(tenant, messagesByRecipient(app, past.get("dispatch").asLong()).get("now@example.com"), "DELIVERED");
    }

    @Test
    void aDueDispatchIsReleasedOnceThoughSeveralClaimItAtOnce(@TempDir Path otherData) throws Exception {
        // the poller is off here: the test plays several instances claiming the same due dispatch
        try (HeraldApp quiet = HeraldApp.start(otherData, Map.of("herald.scheduler.poll-ms", "3600000"))) {
            Tenant t = quiet.newTenant("{\"name\":\"Race\"}", true);
            long template = quiet.activeCampaign(t, "{\"name\":\"r\",\"channel\":\"EMAIL\",\"from\":\"a@shop.gr\","
                    + "\"subject\":\"s\",\"text\":\"t\"}").get("id").asLong();
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);
            ArrayNode list = recipients();
            for (int i = 0; i < 5; i++) {
                recipient(list, "r" + i, "r" + i + "@example.com", null);
            }
            long dispatchId = sendOk(quiet, t.apiKey(), request(template, at.toString(), list).toString()).get("dispatch").asLong();
            DispatchRepository repository = quiet.context().getRegistry().lookupByNameAndType("dispatchRepository",
                    DispatchRepository.class);
            assertThat(repository.releaseScheduled(dispatchId)).as("not due yet").isFalse();

            until(at.toInstant().plusMillis(50));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    claims.add(() -> repository.releaseScheduled(dispatchId));
                }
                List<Boolean> released = new ArrayList<>();
                for (Future<Boolean> f : pool.invokeAll(claims)) {
                    released.add(f.get());
                }
                assertThat(released).containsOnlyOnce(true);
            } finally {
                pool.shutdownNow();
            }
            assertThat(repository.releaseScheduled(dispatchId)).as("released already").isFalse();
            assertThat(count(quiet, "SELECT COUNT(*) FROM message WHERE dispatch_id = ? AND status = 'ACCEPTED'", dispatchId))
                    .as("released: ready for the feeder").isEqualTo(5);
            assertThat(count(quiet, "SELECT COUNT(*) FROM message_event e JOIN message m ON m.id = e.message_id"
                    + " WHERE m.dispatch_id = ? AND e.status = 'ACCEPTED'", dispatchId)).as("one release event each").isEqualTo(5);

            // the feeder hands each released message to delivery once, and the dispatch is Queued
            quiet.context().createProducerTemplate().sendBody("direct:feed-delivery", null);
            awaitDispatch(quiet, t.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
            assertThat(count(quiet, "SELECT COUNT(*) FROM message_event e JOIN message m ON m.id = e.message_id"
                    + " WHERE m.dispatch_id = ? AND e.status = 'QUEUED'", dispatchId)).isEqualTo(5);
        }
    }

    static List<String> statuses(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.get("events").forEach(e -> out.add(e.get("status").asText()));
        return out;
    }
}
