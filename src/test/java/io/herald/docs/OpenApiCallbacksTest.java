package io.herald.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Herald posts fits what /openapi.json says it posts: the account webhook's {@code messageStatus} and
 * {@code dispatchCompleted} ({@code webhooks}) and the COSMOS {@code callback} ({@code callbacks.deliveryStatus}),
 * received by a real HTTP server from sandbox deliveries; and the provider webhooks' answers with and without their
 * token.
 */
class OpenApiCallbacksTest {
    private static final String VIRTUAL = "033334445566770";
    private static final String TOKEN = "openapi-provider-token-0123456789";

    @TempDir
    static Path data;
    static HeraldApp app;
    @RegisterExtension
    final DescribedAnswers answers = new DescribedAnswers(() -> app);

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of("herald.callbacks.allow-private", "true", "herald.sms.provider.webhook-token", TOKEN));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theCallbacksHeraldPostsAreTheDescribedOnes() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            ObjectNode got = HeraldApp.JSON.createObjectNode();
            got.put("event", exchange.getRequestHeaders().getFirst("X-Herald-Event"));
            got.set("body", HeraldApp.JSON.readTree(exchange.getRequestBody().readAllBytes()));
            received.add(got);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            Tenant sandbox = app.newTenant("{\"name\":\"hooked\"}", true);
            answers.send("PUT", "/v1/webhook", "/v1/webhook", "{\"url\":\"" + url + "\"}", Map.of("Authorization", HeraldApp.basic(sandbox.apiKey()))).expect(200);
            long templateId = app.activeCampaign(sandbox, "{\"name\":\"cb\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi\"}")
                    .get("id").asLong();
            answers.send("POST", "/api/SendMessages", "/api/SendMessages", "{\"templateId\":" + templateId
                    + ",\"recipients\":[{\"uniqueId\":\"a\",\"mobilePhone\":\"+306936862204\"}]}", Map.of("Authorization", HeraldApp.basic(sandbox.apiKey()))).expect(200);
            answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", "{\"api_key\":\"" + sandbox.apiKey() + "\",\"api_secret\":\""
                    + sandbox.apiSecret() + "\",\"to\":\"" + VIRTUAL + "\",\"from\":\"Herald\",\"text\":\"Hi\",\"callback\":\"" + url
                    + "\"}", Map.of()).expect(200);
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.stream().noneMatch(r -> "dispatch_completed".equals(r.path("event").asText()))
                    || received.stream().filter(r -> "message_status".equals(r.path("event").asText())).count() < 3) {
                assertThat(System.currentTimeMillis()).as("callbacks received: " + received).isLessThan(deadline);
                HeraldApp.sleep(100);
            }
        } finally {
            hook.stop(0);
        }
        for (JsonNode r : received) {
            String event = r.path("event").asText();
            String webhook = "dispatch_completed".equals(event) ? "dispatchCompleted" : "messageStatus";
            answers.checkBody(event, "/webhooks/" + webhook + "/post/requestBody/content/application~1json/schema", r.get("body"));
        }
        answers.checkBody("cosmos callback", "/paths/~1v1.0~1sms~1/post/callbacks/deliveryStatus/{$request.body#~1callback}/post"
                + "/requestBody/content/application~1json/schema", received.stream().map(r -> r.get("body"))
                .filter(b -> VIRTUAL.equals(b.path("to").asText())).findFirst().orElseThrow());
    }

    @Test
    void providerWebhooksAnswerAsDescribedWithAndWithoutTheirToken() {
        String reply = "{\"from\":\"306936862209\",\"to\":\"Herald\",\"text\":\"hello\"}";
        for (String path : List.of("/callbacks/sms/dlr", "/callbacks/sms/inbound")) {
            answers.send("POST", path, path, reply, Map.of()).expect(401);
            answers.send("POST", path, path, reply, Map.of("Authorization", "Bearer wrong-token")).expect(401);
        }
        answers.send("POST", "/callbacks/sms/inbound", "/callbacks/sms/inbound?token=" + TOKEN, reply, Map.of()).expect(200);
        answers.send("POST", "/callbacks/sms/inbound", "/callbacks/sms/inbound", reply, Map.of("Authorization", "Bearer " + TOKEN))
                .expect(200);
    }
}
