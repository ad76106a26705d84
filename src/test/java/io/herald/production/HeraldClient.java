package io.herald.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Speaks HTTP to a Herald on a port (a {@link HeraldProcess}): operator and tenant calls, batches of messages. */
final class HeraldClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    HeraldClient(int port) {
        this.port = port;
    }

    HeraldApp.Response call(String method, String path, String authorization, String json) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new HeraldApp.Response(r.statusCode(), r.body(), r.headers().map());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    Tenant newTenant(String name) throws IOException {
        String admin = "Bearer " + HeraldApp.ADMIN_TOKEN;
        JsonNode account = call("POST", "/admin/accounts", admin, "{\"name\":\"" + name + "\"}").expect(201).json();
        long accountId = account.get("id").asLong();
        JsonNode key = call("POST", "/admin/accounts/" + accountId + "/keys", admin, "{\"sandbox\":false}").expect(201).json();
        return new Tenant(accountId, key.get("id").asLong(), key.get("apiKey").asText(), key.get("apiSecret").asText());
    }

    String activeCampaign(Tenant tenant, String json) throws IOException {
        String auth = HeraldApp.basic(tenant.apiKey());
        String code = call("POST", "/v1/campaigns", auth, json).expect(201).json().get("code").asText();
        call("POST", "/v1/campaigns/" + code + "/activate", auth, null).expect(200);
        return code;
    }

    /** Sends one CO-SENDER call for these recipients; answers message id by recipient (every one must be OK). */
    Map<String, String> send(Tenant tenant, String code, List<String> recipients) throws IOException {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        ArrayNode messages = body.putArray("messages");
        for (String recipient : recipients) {
            messages.addObject().put("recipient", recipient).putObject("parameters").put("name", recipient);
        }
        JsonNode answer = call("POST", "/v1/messages", HeraldApp.basic(tenant.apiKey()), body.toString()).expect(200).json();
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode m : answer.get("messages")) {
            if (!"OK".equals(m.get("status").asText())) {
                throw new AssertionError("not accepted: " + m);
            }
            ids.put(m.get("recipient").asText(), m.get("messageId").asText());
        }
        return ids;
    }
}
