package io.herald.delivery;

import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feeder hands ACCEPTED messages to delivery (stored out of the spool, released at their scheduled time, or
 * whose hand-over failed): woken when they are stored, and sweeping for what was left ACCEPTED (a stopped instance)
 * once it is older than {@code herald.feed.sweep-after}. Messages of CO-SENDER and COSMOS requests are handed over
 * by the hand-over route instead.
 */
class FeederTest {

    @Test
    void whatTheWakeUpMissedTheSweepDelivers(@TempDir Path data) throws Exception {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "300", "herald.feed.sweep-after", "PT2S"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Feeder\"}", true);
            long template = app.activeCampaign(tenant, "{\"name\":\"f\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"s\",\"text\":\"t\"}").get("id").asLong();
            // no wake-up: as if the instance that stored the spooled messages stopped right after
            app.context().getRouteController().stopRoute("feed-delivery-signal");

            long dispatch = app.send("POST", "/api/SendMessages", "application/json", "{\"templateId\":" + template
                            + ",\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"swept@example.com\"}]}",
                    Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))).expect(200).json().get("dispatch").asLong();
            app.awaitSpoolDrained(dispatch);
            HeraldApp.sleep(1000);
            // younger than sweep-after: the sweep leaves it alone
            assertThat(status(app, dispatch)).isEqualTo("ACCEPTED");

            awaitStatus(app, dispatch, "DELIVERED");
        }
    }

    /**
     * A CO-SENDER or COSMOS message is stored QUEUED and claimed for this instance's delivery with its insert, then
     * handed to the embedded queue after the answer. Should that hand-over never happen (the instance stopped right
     * after answering), the deliver-due route takes the message once its claim has run out.
     */
    @Test
    void aMessageWhoseHandOverNeverHappenedIsDeliveredOnceItsClaimRunsOut(@TempDir Path data) throws Exception {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.delivery.lease", "PT3S", "herald.delivery.poll-interval-ms", "200"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Handed\"}", true);
            String code = app.activeCampaign(tenant, "{\"name\":\"h\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"s\",\"text\":\"t\"}").get("code").asText();
            app.context().getRouteController().stopRoute("hand-over");

            String id = app.tenant("POST", "/v1/messages", tenant.apiKey(), "{\"code\":\"" + code
                    + "\",\"messages\":[{\"recipient\":\"handed@example.com\"}]}").expect(200)
                    .json().get("messages").get(0).get("messageId").asText();
            HeraldApp.sleep(1000);
            assertThat(app.tenant("GET", "/v1/messages/" + id, tenant.apiKey(), null).expect(200).json().get("status").asText())
                    .isEqualTo("QUEUED");

            assertThat(app.awaitStatus(tenant, id, "DELIVERED").get("status").asText()).isEqualTo("DELIVERED");
        }
    }

    private static String status(HeraldApp app, long dispatch) {
        List<List<Object>> rows = app.query("SELECT status FROM message WHERE dispatch_id = ?", dispatch);
        assertThat(rows).as("the message of dispatch " + dispatch + " is stored").isNotEmpty();
        return (String) rows.get(0).get(0);
    }

    private static void awaitStatus(HeraldApp app, long dispatch, String status) {
        Await.until("the message of dispatch " + dispatch + " becomes " + status, Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> status(app, dispatch), status::equals);
    }

    @Test
    void aDispatchLeftPendingAfterItsLastHandOverIsFinishedByTheSweep(@TempDir Path data) throws Exception {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "300", "herald.feed.sweep-after", "PT2S"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Stalled\"}", true);
            long template = app.activeCampaign(tenant, "{\"name\":\"s\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"s\",\"text\":\"t\"}").get("id").asLong();
            long dispatch = app.send("POST", "/api/SendMessages", "application/json", "{\"templateId\":" + template
                            + ",\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"stalled@example.com\"}]}",
                    Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))).expect(200).json().get("dispatch").asLong();
            awaitSendStatus(app, tenant, dispatch, 3);

            // as if the pass that handed the last message over had failed to mark the dispatch Queued
            DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            try (Connection c = ds.getConnection()) {
                assertThat(c.createStatement().executeUpdate("UPDATE dispatch SET send_status = 2, finished_queuing_at = NULL"
                        + " WHERE id = " + dispatch)).isEqualTo(1);
            }
            assertThat(sendStatus(app, tenant, dispatch)).isEqualTo(2);
            awaitSendStatus(app, tenant, dispatch, 3);
            assertThat(app.tenant("GET", "/api/Dispatches/" + dispatch, tenant.apiKey(), null).expect(200).json()
                    .get("hasFinishedQueuing").asBoolean()).isTrue();
        }
    }

    private static int sendStatus(HeraldApp app, Tenant tenant, long dispatch) {
        return app.tenant("GET", "/api/Dispatches/" + dispatch, tenant.apiKey(), null).expect(200).json().get("sendStatusId").asInt();
    }

    private static void awaitSendStatus(HeraldApp app, Tenant tenant, long dispatch, int status) {
        Await.until("dispatch " + dispatch + " reaches status " + status, Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> sendStatus(app, tenant, dispatch), s -> s == status);
    }
}
