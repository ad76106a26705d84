package io.herald.delivery;

import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feeder hands stored messages to delivery: woken by each accepted request, and sweeping for what was left
 * ACCEPTED (a stopped instance, a failed hand-over) once it is older than {@code herald.feed.sweep-after}.
 */
class FeederTest {

    @Test
    void whatTheWakeUpMissedTheSweepDelivers(@TempDir Path data) throws Exception {
        try (HeraldApp app = HeraldApp.start(data, Map.of("herald.feed.poll-ms", "300", "herald.feed.sweep-after", "PT2S"))) {
            Tenant tenant = app.newTenant("{\"name\":\"Feeder\"}", true);
            String code = app.activeCampaign(tenant, "{\"name\":\"f\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"s\",\"text\":\"t\"}").get("code").asText();
            // no wake-up: as if the request's instance stopped right after answering
            app.context().getRouteController().stopRoute("feed-delivery-signal");

            String id = app.tenant("POST", "/v1/messages", tenant.apiKey(), "{\"code\":\"" + code
                    + "\",\"messages\":[{\"recipient\":\"swept@example.com\"}]}").expect(200)
                    .json().get("messages").get(0).get("messageId").asText();
            HeraldApp.sleep(1000);
            // younger than sweep-after: the sweep leaves it alone
            assertThat(app.tenant("GET", "/v1/messages/" + id, tenant.apiKey(), null).expect(200).json().get("status").asText())
                    .isEqualTo("ACCEPTED");

            assertThat(app.awaitStatus(tenant, id, "DELIVERED").get("status").asText()).isEqualTo("DELIVERED");
        }
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
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sendStatus(app, tenant, dispatch) != status) {
            assertThat(System.nanoTime()).as("dispatch " + dispatch + " reaches status " + status).isLessThan(deadline);
            HeraldApp.sleep(100);
        }
    }
}
