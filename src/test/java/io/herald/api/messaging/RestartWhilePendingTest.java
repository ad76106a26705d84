package io.herald.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.MessagingApi;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static io.herald.support.MessagingApi.awaitDispatch;
import static io.herald.support.MessagingApi.dispatch;
import static io.herald.support.MessagingApi.messagesByRecipient;
import static io.herald.support.MessagingApi.recipient;
import static io.herald.support.MessagingApi.recipients;
import static io.herald.support.MessagingApi.request;
import static io.herald.support.MessagingApi.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart while a scheduled dispatch is Pending loses none of its messages and sends none early; a restart after
 * its release sends nothing again. The schedule lives in the database, not in the process.
 */
class RestartWhilePendingTest {
    static final int N = 5;

    @Test
    void aScheduledDispatchSurvivesARestartAndIsDeliveredOnceAtItsTime(@TempDir Path data) throws Exception {
        int smtpPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        Map<String, String> config = Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(smtpPort),
                "herald.public-url", "http://localhost:" + port,
                "herald.scheduler.poll-ms", "200");
        GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        greenMail.start();
        try {
            Tenant tenant;
            long template;
            long dispatchId;
            Instant at;
            try (HeraldApp first = HeraldApp.start(data, port, config)) {
                tenant = first.newTenant("{\"name\":\"Patient\"}", false);
                template = first.activeCampaign(tenant, "{\"name\":\"later\",\"channel\":\"EMAIL\",\"from\":\"news@shop.gr\","
                        + "\"subject\":\"Later %recipient.n%\",\"text\":\"Later\"}").get("id").asLong();
                at = Instant.now().plusSeconds(4);
                ArrayNode list = recipients();
                for (int i = 0; i < N; i++) {
                    recipient(list, "c" + i, "customer" + i + "@example.com", null).putObject("payload").put("n", i);
                }
                JsonNode answer = sendOk(first, tenant.apiKey(),
                        request(template, OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(2)).toString(), list).toString());
                dispatchId = answer.get("dispatch").asLong();
                assertThat(dispatch(first, tenant.apiKey(), dispatchId).json().get("sendStatusId").asInt()).isEqualTo(2);
            }

            Map<String, String> messages;
            try (HeraldApp second = HeraldApp.start(data, port, config)) {
                messages = messagesByRecipient(second, dispatchId);
                assertThat(messages).hasSize(N);
                // resume-unfinished re-queues what a stop interrupted, but not what waits for its time
                Await.during(at.minusMillis(200), Duration.ofMillis(100), () -> {
                    assertThat(greenMail.getReceivedMessages()).isEmpty();
                    JsonNode d = dispatch(second, tenant.apiKey(), dispatchId).expect(200).json();
                    assertThat(d.get("sendStatusId").asInt()).isEqualTo(2);
                    assertThat(d.get("hasStartedQueuing").asBoolean()).isFalse();
                });
                for (String id : messages.values()) {
                    second.awaitStatus(tenant, id, "DELIVERED");
                }
                JsonNode queued = awaitDispatch(second, tenant.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
                assertThat(MessagingApi.dispatchTime(queued.get("startedQueuingAt"))).isAfterOrEqualTo(at.truncatedTo(
                        java.time.temporal.ChronoUnit.MILLIS));
            }
            assertThat(greenMail.waitForIncomingEmail(5000, N)).isTrue();

            try (HeraldApp third = HeraldApp.start(data, port, config)) {
                // a later dispatch, due at once, is released by the same poller: by then a second release of the
                // first one would have happened too
                ArrayNode list = recipients();
                recipient(list, "probe", "probe@example.com", null);
                long probe = sendOk(third, tenant.apiKey(), request(template, OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1)
                        .toString(), list).toString()).get("dispatch").asLong();
                third.awaitStatus(tenant, messagesByRecipient(third, probe).get("probe@example.com"), "DELIVERED");
                assertThat(dispatch(third, tenant.apiKey(), dispatchId).json().get("sendStatusId").asInt()).isEqualTo(3);
            }

            assertThat(greenMail.waitForIncomingEmail(5000, N + 1)).isTrue();
            Map<String, Integer> perRecipient = new HashMap<>();
            for (MimeMessage mail : greenMail.getReceivedMessages()) {
                perRecipient.merge(((InternetAddress) mail.getAllRecipients()[0]).getAddress(), 1, Integer::sum);
            }
            assertThat(perRecipient).hasSize(N + 1).containsKey("probe@example.com");
            assertThat(perRecipient.values()).allMatch(count -> count == 1);
        } finally {
            greenMail.stop();
        }
    }
}
