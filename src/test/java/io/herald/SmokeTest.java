package io.herald;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of());

    @Test
    void sandboxEmailReachesDelivered() {
        Tenant tenant = app.newTenant("{\"name\":\"Acme\"}", true);
        JsonNode campaign = app.activeCampaign(tenant, "{\"name\":\"c\",\"channel\":\"EMAIL\",\"from\":\"a@acme.com\","
                + "\"subject\":\"Hi\",\"text\":\"Hello %recipient.first_name%\"}");
        JsonNode answer = app.tenant("POST", "/v1/messages", tenant.apiKey(), "{\"code\":\"" + campaign.get("code").asText()
                + "\",\"messages\":[{\"recipient\":\"jane@example.com\",\"parameters\":{\"first_name\":\"Jane\"}}]}").expect(200).json();
        String id = answer.at("/messages/0/messageId").asText();
        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(message.get("events")).extracting(e -> e.get("status").asText())
                .containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
    }
}
