package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UnmatchedRequestsTest {
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of());

    @Test
    void unknownPathAnswersTheErrorObject() {
        Response r = app.send("GET", "/v1/nothing", null, null, Map.of()).expect(404);
        JsonNode body = r.json();
        assertThat(body.get("code").asInt()).isEqualTo(1003);
        assertThat(body.get("type").asText()).isEqualTo("CLIENT");
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void wrongMethodOnAKnownPathAnswersTheErrorObject() {
        JsonNode body = app.send("DELETE", "/v1/messages", null, null, Map.of()).expect(404).json();
        assertThat(body.get("code").asInt()).isEqualTo(1003);
        assertThat(body.get("message").asText()).isEqualTo("No resource DELETE /v1/messages");
    }

    @Test
    void unknownCosmosPathAnswersAStatusWord() {
        JsonNode body = app.send("GET", "/v1.0/sms/unknown", null, null, Map.of()).expect(404).json();
        assertThat(body.get("status").asText()).isEqualTo("not_found");
    }

    @Test
    void unknownProviderWebhookPathAnswersAStatusWord() {
        // the provider webhooks speak the COSMOS wire format (their own errors are status words too)
        JsonNode body = app.send("GET", "/callbacks/sms/unknown", null, null, Map.of()).expect(404).json();
        assertThat(body.get("status").asText()).isEqualTo("not_found");
        assertThat(body.has("code")).isFalse();
    }

    @Test
    void observabilityEndpointsStillAnswer() {
        app.send("GET", "/observe/health", null, null, Map.of()).expect(200);
        assertThat(app.send("GET", "/observe/health/ready", null, null, Map.of()).expect(200).body()).contains("UP");
        assertThat(app.send("GET", "/openapi.json", null, null, Map.of()).expect(200).body()).contains("/v1/messages");
    }
}
