package io.herald.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.MessagingApi;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.herald.support.MessagingApi.awaitCount;
import static io.herald.support.MessagingApi.count;
import static io.herald.support.MessagingApi.messagesByRecipient;
import static io.herald.support.MessagingApi.query;
import static io.herald.support.MessagingApi.recipient;
import static io.herald.support.MessagingApi.recipients;
import static io.herald.support.MessagingApi.request;
import static io.herald.support.MessagingApi.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRM records (SPEC §3): each accepted message whose recipient has a cardNumber gives one record on
 * {@code herald.crm.endpoint}: by default the crm_record table, or any Camel endpoint named by that one property.
 */
class CrmRecordTest {
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.crm.poll-ms", "100"));
    static Tenant tenant;
    static long template;

    @BeforeAll
    static void start() {
        tenant = app.newTenant("{\"name\":\"Loyalty\"}", true);
        template = app.activeCampaign(tenant, "{\"name\":\"loyal\",\"channel\":\"EMAIL\",\"from\":\"club@shop.gr\","
                + "\"subject\":\"Points\",\"text\":\"You have points\"}").get("id").asLong();
    }

    @Test
    void aRecipientWithACardNumberGivesOneCrmRecordOfItsMessage() {
        ArrayNode list = recipients();
        recipient(list, "card-holder", "holder@example.com", null).put("cardNumber", "4000-1234");
        recipient(list, "no-card", "plain@example.com", null);
        recipient(list, "invalid", "not-an-address", null).put("cardNumber", "4000-9999");
        recipient(list, "numeric-card", "numeric@example.com", null).put("cardNumber", 77001234);
        JsonNode answer = sendOk(app, tenant.apiKey(), request(template, null, list).toString());
        long dispatchId = answer.get("dispatch").asLong();
        Map<String, String> messages = messagesByRecipient(app, dispatchId);

        awaitCount(app, 2, "SELECT COUNT(*) FROM crm_record WHERE dispatch_id = ?", dispatchId);
        List<Object> row = query(app, "SELECT card_number, unique_id, channel, campaign_id, message_id, accepted_at, send_at,"
                + " recorded_at FROM crm_record WHERE dispatch_id = ? AND unique_id = 'card-holder'", dispatchId).get(0);
        assertThat(row.get(0)).isEqualTo("4000-1234");
        assertThat(row.get(1)).isEqualTo("card-holder");
        assertThat(row.get(2)).isEqualTo("EMAIL");
        assertThat(((Number) row.get(3)).longValue()).isEqualTo(template);
        assertThat(row.get(4)).isEqualTo(messages.get("holder@example.com"));
        Instant sendDate = OffsetDateTime.parse(answer.get("sendDate").asText()).toInstant();
        assertThat(((OffsetDateTime) row.get(5)).toInstant()).isEqualTo(sendDate);
        assertThat(((OffsetDateTime) row.get(6)).toInstant()).isEqualTo(sendDate);
        assertThat(((OffsetDateTime) row.get(7)).toInstant()).isAfterOrEqualTo(sendDate);
        assertThat(query(app, "SELECT card_number, message_id FROM crm_record WHERE unique_id = 'numeric-card'").get(0))
                .containsExactly("77001234", messages.get("numeric@example.com"));
        // sent records leave the outbox; a recipient without a card, or an invalid one, gives none
        awaitCount(app, 0, "SELECT COUNT(*) FROM crm_outbox");
        assertThat(count(app, "SELECT COUNT(*) FROM crm_record WHERE card_number = '4000-9999'")).isZero();
    }

    @Test
    void aScheduledMessageIsRecordedWhenAcceptedWithItsSendTime() {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).plusHours(2).truncatedTo(ChronoUnit.SECONDS);
        ArrayNode list = recipients();
        recipient(list, "later", "later@example.com", null).put("cardNumber", "5000-0001");
        long dispatchId = sendOk(app, tenant.apiKey(), request(template, at.toString(), list).toString()).get("dispatch").asLong();
        awaitCount(app, 1, "SELECT COUNT(*) FROM crm_record WHERE dispatch_id = ?", dispatchId);
        OffsetDateTime sendAt = (OffsetDateTime) query(app, "SELECT send_at FROM crm_record WHERE dispatch_id = ?", dispatchId)
                .get(0).get(0);
        assertThat(sendAt.toInstant()).isEqualTo(at.toInstant());
        assertThat(query(app, "SELECT status FROM message WHERE dispatch_id = ?", dispatchId).get(0).get(0)).isEqualTo("SCHEDULED");
    }

    @Test
    void theCrmEndpointIsOneProperty(@TempDir Path otherData) throws Exception {
        try (HeraldApp other = HeraldApp.start(otherData, Map.of("herald.crm.poll-ms", "100",
                "herald.crm.endpoint", "seda:crm-elsewhere"))) {
            Tenant t = other.newTenant("{\"name\":\"Elsewhere\",\"allowedCountries\":[\"GR\"]}", true);
            long sms = other.activeCampaign(t, "{\"name\":\"s\",\"channel\":\"SMS\",\"from\":\"Club\",\"text\":\"Hi\"}")
                    .get("id").asLong();
            ArrayNode list = recipients();
            recipient(list, "k1", null, "6936862208").put("cardNumber", "CARD-1");
            long dispatchId = sendOk(other, t.apiKey(), request(sms, null, list).toString()).get("dispatch").asLong();
            String messageId = messagesByRecipient(other, dispatchId).get("+306936862208");

            ConsumerTemplate consumer = other.context().createConsumerTemplate();
            String json = consumer.receiveBody("seda:crm-elsewhere", 10_000, String.class);
            assertThat(json).isNotNull();
            JsonNode record = HeraldApp.JSON.readTree(json);
            assertThat(MessagingApi.fieldNames(record)).containsExactly("messageId", "cardNumber", "uniqueId", "channel",
                    "campaignId", "dispatchId", "acceptedAt", "sendAt");
            assertThat(record.get("messageId").asText()).isEqualTo(messageId);
            assertThat(record.get("cardNumber").asText()).isEqualTo("CARD-1");
            assertThat(record.get("uniqueId").asText()).isEqualTo("k1");
            assertThat(record.get("channel").asText()).isEqualTo("SMS");
            assertThat(record.get("campaignId").asLong()).isEqualTo(sms);
            assertThat(record.get("dispatchId").asLong()).isEqualTo(dispatchId);
            assertThat(Instant.parse(record.get("acceptedAt").asText())).isBeforeOrEqualTo(Instant.now());
            awaitCount(other, 0, "SELECT COUNT(*) FROM crm_outbox");
            assertThat(count(other, "SELECT COUNT(*) FROM crm_record")).isZero();
        }
    }
}
