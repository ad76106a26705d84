package io.herald.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.pipeline.MessageStore;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.MessagingApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.herald.support.MessagingApi.assertError;
import static io.herald.support.MessagingApi.awaitCount;
import static io.herald.support.MessagingApi.count;
import static io.herald.support.MessagingApi.query;
import static io.herald.support.MessagingApi.recipient;
import static io.herald.support.MessagingApi.recipients;
import static io.herald.support.MessagingApi.request;
import static io.herald.support.MessagingApi.send;
import static io.herald.support.MessagingApi.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dispatches of several storage batches ({@link MessageStore#BATCH_SIZE}): read lazily and stored batch by batch,
 * yet answered as one call, checked as one call (uniqueIds, the message limit) and stored all or nothing.
 * The 100,000-recipient figures are in bench/ (README "Messaging API").
 */
class LargeDispatchTest {
    static final int N = 2 * MessageStore.BATCH_SIZE + 123;

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.queue.embedded.size", "50"));
    static Tenant tenant;
    static long template;

    @BeforeAll
    static void start() {
        // a delivery queue much smaller than a dispatch: the feeder waits for room, the requests never do
        tenant = app.newTenant("{\"name\":\"Bulk\"}", true);
        template = app.activeCampaign(tenant, "{\"name\":\"bulk\",\"channel\":\"EMAIL\",\"from\":\"bulk@shop.gr\","
                + "\"subject\":\"No %recipient.n%\",\"text\":\"Hello %recipient.n%\"}").get("id").asLong();
    }

    @Test
    void aDispatchOfSeveralBatchesIsCheckedAndAnsweredAsOneCall() {
        ArrayNode list = recipients();
        List<String> expectedInvalid = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String email = i % 100 == 7 ? "broken" + i : "user" + i + "@example.com";
            // the last recipient repeats the uniqueId of the fourth, two batches earlier
            String uniqueId = i == N - 1 ? "id3" : "id" + i;
            recipient(list, uniqueId, email, null).putObject("payload").put("n", i);
            if (i % 100 == 7 || i == N - 1) {
                expectedInvalid.add(email);
            }
        }
        JsonNode answer = sendOk(app, tenant.apiKey(), request(template, null, list).toString());
        assertThat(answer.get("totalRecipients").asInt()).isEqualTo(N);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(expectedInvalid.size());
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(N - expectedInvalid.size());
        assertThat(SendMessagesTest.strings(answer.get("invalidEmails"))).containsExactlyElementsOf(expectedInvalid);

        long dispatchId = answer.get("dispatch").asLong();
        int sent = N - expectedInvalid.size();
        assertThat(count(app, "SELECT COUNT(*) FROM message WHERE dispatch_id = ?", dispatchId)).isEqualTo(sent);
        assertThat(query(app, "SELECT body_text FROM message WHERE dispatch_id = ? AND recipient = ?", dispatchId,
                "user1099@example.com").get(0).get(0)).isEqualTo("Hello 1099");
        JsonNode d = MessagingApi.awaitDispatch(app, tenant.apiKey(), dispatchId, x -> x.get("sendStatusId").asInt() == 3);
        assertThat(d.get("totalRecipients").asInt()).isEqualTo(sent);
        awaitCount(app, sent, "SELECT COUNT(*) FROM message WHERE dispatch_id = ? AND status = 'DELIVERED'", dispatchId);
    }

    @Test
    void theMessageLimitHoldsAcrossBatches() {
        Tenant limited = app.newTenant("{\"name\":\"Capped\",\"messageLimit\":600}", true);
        long capped = app.activeCampaign(limited, "{\"name\":\"c\",\"channel\":\"EMAIL\",\"from\":\"a@shop.gr\",\"subject\":\"s\","
                + "\"text\":\"t\"}").get("id").asLong();
        ArrayNode list = recipients();
        for (int i = 0; i < 800; i++) {
            recipient(list, "c" + i, "capped" + i + "@example.com", null);
        }
        JsonNode answer = sendOk(app, limited.apiKey(), request(capped, null, list).toString());
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(600);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(200);
        assertThat(answer.get("invalidEmails").get(0).asText()).isEqualTo("capped600@example.com");
        assertThat(app.admin("GET", "/admin/accounts/" + limited.accountId(), null).json().get("messagesSent").asLong())
                .isEqualTo(600);
    }

    @Test
    void aFailureInALaterBatchStoresNothingOfTheCall() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"All or nothing\"}", true);
        long tpl = app.activeCampaign(t, "{\"name\":\"x\",\"channel\":\"EMAIL\",\"from\":\"a@shop.gr\",\"subject\":\"s\","
                + "\"text\":\"t\"}").get("id").asLong();
        ArrayNode list = recipients();
        for (int i = 0; i < 2 * MessageStore.BATCH_SIZE; i++) {
            recipient(list, "f" + i, i == MessageStore.BATCH_SIZE + 10 ? "boom@example.com" : "f" + i + "@example.com", null)
                    .put("cardNumber", "C" + i);
        }
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        // the call's messages are spooled in its transaction, a row per batch: the second batch's row fails
        execute(ds, "ALTER TABLE message_spool ADD CONSTRAINT test_boom CHECK (content NOT LIKE '%boom@example.com%')");
        try {
            assertError(send(app, t.apiKey(), request(tpl, null, list).toString()), 500, 1000);
        } finally {
            execute(ds, "ALTER TABLE message_spool DROP CONSTRAINT test_boom");
        }
        assertThat(count(app, "SELECT COUNT(*) FROM dispatch WHERE account_id = ?", t.accountId())).isZero();
        assertThat(count(app, "SELECT COUNT(*) FROM message WHERE account_id = ?", t.accountId())).isZero();
        assertThat(count(app, "SELECT COUNT(*) FROM message_spool s JOIN dispatch d ON d.id = s.dispatch_id"
                + " WHERE d.account_id = ?", t.accountId())).isZero();
        assertThat(count(app, "SELECT COUNT(*) FROM crm_outbox WHERE campaign_id = ?", tpl)).isZero();
        assertThat(app.admin("GET", "/admin/accounts/" + t.accountId(), null).json().get("messagesSent").asLong()).isZero();

        // the same call goes through once the cause is gone
        JsonNode answer = sendOk(app, t.apiKey(), request(tpl, null, list).toString());
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(2 * MessageStore.BATCH_SIZE);
    }

    private static void execute(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
