package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restarting the application on the same data directory: nothing accepted is lost, nothing is sent twice,
 * and accounts, keys and campaigns survive.
 */
class RestartTest {
    static final int N = 20;

    @Test
    void emailsAcceptedBeforeARestartAreDeliveredOnceAfterIt(@TempDir Path data) throws Exception {
        int smtpPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        Map<String, String> config = Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(smtpPort),
                "herald.public-url", "http://localhost:" + port);
        Tenant tenant;
        String code;
        Map<String, String> idsByRecipient;
        HeraldApp first = HeraldApp.start(data, port, withShortShutdown(config));
        try {
            tenant = first.newTenant("{\"name\":\"Restart mail\"}", false);
            code = first.activeCampaign(tenant, "{\"name\":\"r\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"Number %recipient.n%\",\"text\":\"Message %recipient.n%\"}").get("code").asText();
            // the SMTP relay is down: every message is accepted, attempted, and kept queued for a retry
            idsByRecipient = sendMany(first, tenant, code, i -> "user" + i + "@example.com");
            for (String id : idsByRecipient.values()) {
                JsonNode m = first.awaitMessage(tenant, id, x -> EmailDeliveryTest.retryEvents(x) >= 1, Duration.ofSeconds(20));
                assertThat(m.get("status").asText()).isIn("ACCEPTED", "QUEUED");
            }
        } finally {
            first.close();
        }

        GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        greenMail.start();
        try (HeraldApp second = HeraldApp.start(data, port, config)) {
            // fresh messages sent at once after the start race the resume of the unfinished ones: still sent once
            Map<String, String> fresh = sendMany(second, tenant, code, i -> "fresh" + i + "@example.com");
            Map<String, String> all = new HashMap<>(idsByRecipient);
            all.putAll(fresh);
            for (String id : all.values()) {
                second.awaitStatus(tenant, id, "DELIVERED");
            }
            assertThat(greenMail.waitForIncomingEmail(5000, all.size())).isTrue();
            Map<String, Long> perRecipient = new HashMap<>();
            for (MimeMessage mail : greenMail.getReceivedMessages()) {
                for (String to : EmailDeliveryTest.addresses(mail.getAllRecipients())) {
                    perRecipient.merge(to, 1L, Long::sum);
                }
            }
            assertThat(perRecipient).containsOnlyKeys(all.keySet());
            assertThat(perRecipient.values()).allMatch(count -> count == 1L);
            assertThat(greenMail.getReceivedMessages()).hasSize(all.size());
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void smsAcceptedBeforeARestartAreSentOnceAfterIt(@TempDir Path data) throws Exception {
        int closedPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        Map<String, String> common = Map.of(
                "herald.sms.provider.api-key", "k",
                "herald.sms.provider.api-secret", "s",
                "herald.public-url", "http://localhost:" + port);
        Tenant tenant;
        Map<String, String> idsByRecipient;
        Map<String, String> down = new HashMap<>(common);
        down.put("herald.sms.provider.url", "http://127.0.0.1:" + closedPort + "/sms");
        HeraldApp first = HeraldApp.start(data, port, withShortShutdown(down));
        try {
            tenant = first.newTenant("{\"name\":\"Restart sms\"}", false);
            String code = first.activeCampaign(tenant, "{\"name\":\"r\",\"channel\":\"SMS\",\"from\":\"Herald\","
                    + "\"text\":\"Message %recipient.n%\"}").get("code").asText();
            idsByRecipient = sendMany(first, tenant, code, i -> String.format("+3069368621%02d", i));
            for (String id : idsByRecipient.values()) {
                JsonNode m = first.awaitMessage(tenant, id, x -> EmailDeliveryTest.retryEvents(x) >= 1, Duration.ofSeconds(20));
                assertThat(m.get("status").asText()).isIn("ACCEPTED", "QUEUED");
            }
        } finally {
            first.close();
        }

        try (SmsProviderStub provider = new SmsProviderStub()) {
            Map<String, String> up = new HashMap<>(common);
            up.put("herald.sms.provider.url", provider.url());
            try (HeraldApp second = HeraldApp.start(data, port, up)) {
                for (String id : idsByRecipient.values()) {
                    second.awaitStatus(tenant, id, "DELIVERED");
                }
                Map<String, Long> perRecipient = provider.requests().stream()
                        .collect(Collectors.groupingBy(r -> "+" + r.get("to").asText(), Collectors.counting()));
                assertThat(perRecipient).containsOnlyKeys(idsByRecipient.keySet());
                assertThat(perRecipient.values()).allMatch(count -> count == 1L);
                assertThat(provider.requests()).hasSize(N);
            }
        }
    }

    @Test
    void accountsKeysAndCampaignsSurviveARestart(@TempDir Path data) throws Exception {
        int smtpPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        Map<String, String> config = Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(smtpPort),
                "herald.public-url", "http://localhost:" + port);
        GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        greenMail.start();
        try {
            Tenant tenant;
            String code;
            String beforeId;
            try (HeraldApp first = HeraldApp.start(data, port, config)) {
                tenant = first.newTenant("{\"name\":\"Durable\",\"messageLimit\":100}", false);
                code = first.activeCampaign(tenant, "{\"name\":\"keep\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                        + "\"subject\":\"Hi %recipient.name%\",\"text\":\"Hello %recipient.name%\"}").get("code").asText();
                beforeId = EmailDeliveryTest.send(first, tenant, code, "before@example.com", Map.of("name", "Before"));
                first.awaitStatus(tenant, beforeId, "DELIVERED");
            }

            try (HeraldApp second = HeraldApp.start(data, port, config)) {
                JsonNode account = second.admin("GET", "/admin/accounts/" + tenant.accountId(), null).expect(200).json();
                assertThat(account.get("name").asText()).isEqualTo("Durable");
                assertThat(account.get("messageLimit").asInt()).isEqualTo(100);
                assertThat(account.get("messagesSent").asInt()).isEqualTo(1);

                JsonNode campaign = second.tenant("GET", "/v1/campaigns/" + code, tenant.apiKey(), null).expect(200).json();
                assertThat(campaign.get("status").asText()).isEqualTo("ACTIVE");
                assertThat(campaign.get("subject").asText()).isEqualTo("Hi %recipient.name%");

                JsonNode before = second.awaitStatus(tenant, beforeId, "DELIVERED");
                assertThat(EmailDeliveryTest.statuses(before)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");

                String afterId = EmailDeliveryTest.send(second, tenant, code, "after@example.com", Map.of("name", "After"));
                second.awaitStatus(tenant, afterId, "DELIVERED");
                assertThat(greenMail.waitForIncomingEmail(5000, 2)).isTrue();
                List<String> subjects = new ArrayList<>();
                for (MimeMessage m : greenMail.getReceivedMessages()) {
                    subjects.add(m.getSubject());
                }
                assertThat(subjects).containsExactlyInAnyOrder("Hi Before", "Hi After");

                // a key revoked after the restart stops working at once
                second.admin("DELETE", "/admin/accounts/" + tenant.accountId() + "/keys/" + tenant.keyId(), null).expect(204);
                assertThat(second.tenant("GET", "/v1/campaigns/" + code, tenant.apiKey(), null).status()).isEqualTo(401);
            }
        } finally {
            greenMail.stop();
        }
    }

    /** Messages still being retried hold up a graceful stop until its timeout; a short one keeps the test quick. */
    private static Map<String, String> withShortShutdown(Map<String, String> config) {
        Map<String, String> c = new HashMap<>(config);
        c.put("camel.main.shutdown-timeout", "1");
        return c;
    }

    /** Sends N messages in calls of 10 (the CO-SENDER maximum); answers message id by recipient. */
    private static Map<String, String> sendMany(HeraldApp app, Tenant tenant, String code, Function<Integer, String> recipient) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int start = 0; start < N; start += 10) {
            ObjectNode body = HeraldApp.JSON.createObjectNode();
            body.put("code", code);
            ArrayNode messages = body.putArray("messages");
            for (int i = start; i < Math.min(N, start + 10); i++) {
                ObjectNode m = messages.addObject();
                m.put("recipient", recipient.apply(i));
                m.putObject("parameters").put("n", String.valueOf(i));
            }
            JsonNode answer = app.tenant("POST", "/v1/messages", tenant.apiKey(), body.toString()).expect(200).json();
            for (JsonNode m : answer.get("messages")) {
                assertThat(m.get("status").asText()).as(m.toString()).isEqualTo("OK");
                ids.put(m.get("recipient").asText(), m.get("messageId").asText());
            }
        }
        assertThat(ids).hasSize(N);
        return ids;
    }
}
