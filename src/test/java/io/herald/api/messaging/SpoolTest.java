package io.herald.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.pipeline.MessageStore;
import io.herald.store.Jdbc;
import io.herald.store.MessageSpool;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.MessagingApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.herald.support.MessagingApi.awaitCount;
import static io.herald.support.MessagingApi.awaitDispatch;
import static io.herald.support.MessagingApi.awaitStored;
import static io.herald.support.MessagingApi.count;
import static io.herald.support.MessagingApi.dispatch;
import static io.herald.support.MessagingApi.recipient;
import static io.herald.support.MessagingApi.recipients;
import static io.herald.support.MessagingApi.request;
import static io.herald.support.MessagingApi.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spool: a SendMessages call is answered once its messages are spooled (a row per batch, in the call's
 * transaction); they become message rows after the answer (accept-pipeline.camel.yaml, routes expand-spool-*).
 * Here the expansion is held back (its routes stopped) to see each side of it: what the answer leaves in the database,
 * a restart in between, a storing failure, a scheduled dispatch, and two expansions racing for one batch.
 */
class SpoolTest {
    static final int N = 2 * MessageStore.BATCH_SIZE + 200;
    static final String EMAIL = "{\"name\":\"spooled\",\"channel\":\"EMAIL\",\"from\":\"news@shop.gr\","
            + "\"subject\":\"For %recipient.n%\",\"text\":\"Hello %recipient.n%\"}";

    @TempDir
    Path data;

    @Test
    void theAnswerComesOnceTheMessagesAreSpooledAndTheyAreStoredAfter() {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "200"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Spool\"}", true);
            long template = app.activeCampaign(tenant, EMAIL).get("id").asLong();
            holdExpansion(app);

            long dispatchId = sendUnstored(app, tenant, template, null);
            assertThat(count(app, "SELECT COUNT(*) FROM message_spool WHERE dispatch_id = ?", dispatchId)).isEqualTo(3);
            assertThat(count(app, "SELECT SUM(messages) FROM message_spool WHERE dispatch_id = ?", dispatchId)).isEqualTo(N);
            assertThat(count(app, "SELECT COUNT(*) FROM message WHERE dispatch_id = ?", dispatchId)).isZero();
            assertThat(count(app, "SELECT COUNT(*) FROM crm_outbox WHERE dispatch_id = ?", dispatchId)).isZero();
            JsonNode pending = dispatch(app, tenant.apiKey(), dispatchId).expect(200).json();
            assertThat(pending.get("sendStatusId").asInt()).isEqualTo(2);
            assertThat(pending.get("totalRecipients").asInt()).isEqualTo(N);
            assertThat(pending.get("startedQueuingAt").isNull()).isTrue();
            HeraldApp.sleep(700); // several feeder sweeps: a dispatch with spooled messages is not Queued
            assertThat(dispatch(app, tenant.apiKey(), dispatchId).json().get("sendStatusId").asInt()).isEqualTo(2);

            releaseExpansion(app);
            awaitStored(app, dispatchId);
            assertThat(count(app, "SELECT COUNT(DISTINCT id) FROM message WHERE dispatch_id = ?", dispatchId)).isEqualTo(N);
            // the counter moves just after the expansion's commit, so the rows may be seen a moment before it
            awaitMetric(app, "(?m)^herald_spool_stored_total\\{[^}]*channel=\"EMAIL\"[^}]*}\\s+" + N + "\\.0$");
            awaitCount(app, N / 2, "SELECT COUNT(*) FROM crm_record WHERE dispatch_id = ?", dispatchId);
            assertThat(MessagingApi.query(app, "SELECT body_text FROM message WHERE dispatch_id = ? AND recipient = ?",
                    dispatchId, "s1099@example.com").get(0).get(0)).isEqualTo("Hello 1099");
            awaitCount(app, N, "SELECT COUNT(*) FROM message WHERE dispatch_id = ? AND status = 'DELIVERED'", dispatchId);
            awaitDispatch(app, tenant.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
        }
    }

    @Test
    void spooledMessagesSurviveARestartAndAreStoredOnce() {
        long dispatchId;
        Tenant tenant;
        try (HeraldApp first = HeraldApp.start(data, Map.of())) {
            tenant = first.newTenant("{\"name\":\"Restart\"}", true);
            long template = first.activeCampaign(tenant, EMAIL).get("id").asLong();
            holdExpansion(first);
            dispatchId = sendUnstored(first, tenant, template, null);
        }
        try (HeraldApp second = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "200"))) {
            awaitStored(second, dispatchId);
            awaitCount(second, N, "SELECT COUNT(*) FROM message WHERE dispatch_id = ? AND status = 'DELIVERED'", dispatchId);
            assertThat(count(second, "SELECT COUNT(*) FROM message WHERE dispatch_id = ?", dispatchId)).isEqualTo(N);
            awaitDispatch(second, tenant.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
        }
    }

    @Test
    void aBatchWhoseStoringFailsStaysSpooledAndIsStoredOnceTheCauseIsGone() throws Exception {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "200", "herald.spool.lease", "PT0.5S"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Retry\"}", true);
            long template = app.activeCampaign(tenant, EMAIL).get("id").asLong();
            DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            // the second of the three batches holds s700: storing it as messages fails until the constraint goes; the
            // others are stored meanwhile
            execute(ds, "ALTER TABLE message ADD CONSTRAINT test_spool_boom CHECK (recipient <> 's700@example.com')");
            long dispatchId;
            try {
                holdExpansion(app);
                dispatchId = sendUnstored(app, tenant, template, null);
                releaseExpansion(app);
                int others = N - MessageStore.BATCH_SIZE;
                awaitCount(app, others, "SELECT COUNT(*) FROM message WHERE dispatch_id = ?", dispatchId);
                HeraldApp.sleep(1500); // tried again after each lease: still failing, nothing stored twice
                assertThat(count(app, "SELECT COUNT(*) FROM message WHERE dispatch_id = ?", dispatchId)).isEqualTo(others);
                assertThat(count(app, "SELECT COUNT(*) FROM message_spool WHERE dispatch_id = ?", dispatchId)).isEqualTo(1);
                assertThat(dispatch(app, tenant.apiKey(), dispatchId).json().get("sendStatusId").asInt()).isEqualTo(2);
                assertThat(app.send("GET", "/observe/metrics", null, null, Map.of()).expect(200).body())
                        .as("failed expansions are counted").containsPattern("(?m)^herald_spool_failures_total(\\{[^}]*})?\\s+[1-9]");
            } finally {
                execute(ds, "ALTER TABLE message DROP CONSTRAINT test_spool_boom");
            }
            awaitStored(app, dispatchId);
            assertThat(count(app, "SELECT COUNT(DISTINCT recipient) FROM message WHERE dispatch_id = ?", dispatchId)).isEqualTo(N);
            assertThat(count(app, "SELECT COUNT(*) FROM message WHERE dispatch_id = ?", dispatchId)).isEqualTo(N);
            awaitCount(app, N, "SELECT COUNT(*) FROM message WHERE dispatch_id = ? AND status = 'DELIVERED'", dispatchId);
            awaitDispatch(app, tenant.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
        }
    }

    @Test
    void aScheduledDispatchIsReleasedOnlyOnceAllItsMessagesAreStored() {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "200", "herald.scheduler.poll-ms", "100"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Later\"}", true);
            long template = app.activeCampaign(tenant, EMAIL).get("id").asLong();
            holdExpansion(app);
            String at = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1).toString();
            long dispatchId = sendUnstored(app, tenant, template, at);
            HeraldApp.sleep(1800); // its time has come, and the release poll ran many times
            JsonNode held = dispatch(app, tenant.apiKey(), dispatchId).json();
            assertThat(held.get("sendStatusId").asInt()).isEqualTo(2);
            assertThat(held.get("startedQueuingAt").isNull()).isTrue();

            releaseExpansion(app);
            awaitStored(app, dispatchId);
            awaitCount(app, N, "SELECT COUNT(*) FROM message WHERE dispatch_id = ? AND status = 'DELIVERED'", dispatchId);
            assertThat(count(app, "SELECT COUNT(*) FROM message_event e JOIN message m ON m.id = e.message_id"
                    + " WHERE m.dispatch_id = ? AND e.status = 'SCHEDULED'", dispatchId)).isEqualTo(N);
            awaitDispatch(app, tenant.apiKey(), dispatchId, d -> d.get("sendStatusId").asInt() == 3);
        }
    }

    @Test
    void ofTwoExpansionsOfOneBatchOnlyTheHolderOfTheCurrentClaimStoresIt() throws Exception {
        try (HeraldApp app = HeraldApp.start(data, Map.of())) {
            Tenant tenant = app.newTenant("{\"name\":\"Race\"}", true);
            long template = app.activeCampaign(tenant, EMAIL).get("id").asLong();
            holdExpansion(app);
            long dispatchId = sendUnstored(app, tenant, template, null);
            Jdbc jdbc = new Jdbc(app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class));
            MessageSpool spool = new MessageSpool(jdbc);

            MessageSpool.Batch a = spool.claimNext(Duration.ofMinutes(1)).orElseThrow();
            MessageSpool.Batch b = spool.claimNext(Duration.ofMinutes(1)).orElseThrow();
            MessageSpool.Batch c = spool.claimNext(Duration.ofMillis(-1)).orElseThrow(); // a claim run out at once
            assertThat(a.id()).isNotEqualTo(b.id());
            assertThat(c.id()).isNotIn(a.id(), b.id());
            assertThat(a.dispatchId()).isEqualTo(dispatchId);
            assertThat(spool.claimNext(Duration.ofMinutes(1)).map(MessageSpool.Batch::id)).contains(c.id()); // taken over
            assertThat(spool.claimNext(Duration.ofMinutes(1))).isEqualTo(Optional.empty());

            try (Connection conn = jdbc.dataSource().getConnection()) {
                assertThat(spool.finish(conn, c)).isFalse(); // its claim was taken over
                assertThat(spool.finish(conn, a)).isTrue();
            }
            assertThat(count(app, "SELECT COUNT(*) FROM message_spool WHERE dispatch_id = ?", dispatchId)).isEqualTo(2);
            assertThat(spool.spooled(dispatchId)).isTrue();
        }
    }

    @Test
    void aBatchOfLargeMessagesIsSpooledInSeveralRows() {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "200"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Large\"}", true);
            // 900,000 characters a message: runs of 4 stay under a spool row's 4,000,000 characters
            String text = "x".repeat(900_000) + " %recipient.n%";
            long template = app.activeCampaign(tenant, "{\"name\":\"large\",\"channel\":\"EMAIL\",\"from\":\"news@shop.gr\","
                    + "\"subject\":\"Large\",\"text\":\"" + text + "\"}").get("id").asLong();
            holdExpansion(app);
            ArrayNode list = recipients();
            for (int i = 0; i < 10; i++) {
                recipient(list, "u" + i, "large" + i + "@example.com", null).putObject("payload").put("n", i);
            }
            long dispatchId = send(app, tenant.apiKey(), request(template, null, list).toString()).expect(200).json()
                    .get("dispatch").asLong();
            assertThat(MessagingApi.query(app, "SELECT messages FROM message_spool WHERE dispatch_id = ? ORDER BY id", dispatchId))
                    .extracting(row -> String.valueOf(row.get(0))).containsExactly("4", "4", "2");

            releaseExpansion(app);
            awaitStored(app, dispatchId);
            assertThat(MessagingApi.query(app, "SELECT recipient, LENGTH(body_text) FROM message WHERE dispatch_id = ? ORDER BY recipient",
                    dispatchId)).hasSize(10).allSatisfy(row -> assertThat(String.valueOf(row.get(1))).isEqualTo("900002"));
        }
    }

    /** POSTs N recipients (every other one with a card number) and answers the dispatch, without waiting for storage. */
    private static long sendUnstored(HeraldApp app, Tenant tenant, long template, String scheduleDate) {
        ArrayNode list = recipients();
        for (int i = 0; i < N; i++) {
            ObjectNode r = recipient(list, "u" + i, "s" + i + "@example.com", null);
            r.putObject("payload").put("n", i);
            if (i % 2 == 0) {
                r.put("cardNumber", "card-" + i);
            }
        }
        JsonNode answer = send(app, tenant.apiKey(), request(template, scheduleDate, list).toString()).expect(200).json();
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(N);
        assertThat(answer.get("invalidRecipients").asInt()).isZero();
        return answer.get("dispatch").asLong();
    }

    private static void holdExpansion(HeraldApp app) {
        try {
            app.context().getRouteController().stopRoute("expand-spool-signal");
            app.context().getRouteController().stopRoute("expand-spool-sweep");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void releaseExpansion(HeraldApp app) {
        try {
            app.context().getRouteController().startRoute("expand-spool-sweep");
            app.context().getRouteController().startRoute("expand-spool-signal");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Polls /observe/metrics until a line matches {@code pattern} (messages stored out of the spool). */
    private static void awaitMetric(HeraldApp app, String pattern) {
        Pattern wanted = Pattern.compile(pattern);
        String metrics = Await.until("messages stored out of the spool: " + pattern, Duration.ofSeconds(10),
                () -> app.send("GET", "/observe/metrics", null, null, Map.of()).expect(200).body(), m -> wanted.matcher(m).find());
        assertThat(metrics).as("messages stored out of the spool").containsPattern(wanted);
    }
}
