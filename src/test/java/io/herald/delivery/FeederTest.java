package io.herald.delivery;

import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

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
}
