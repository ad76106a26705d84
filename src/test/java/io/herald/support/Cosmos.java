package io.herald.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/** Requests in the COSMOS dialect (seed 003) and the other calls its tests share. */
public final class Cosmos {
    public static final String TO = "033334445566770";

    private Cosmos() {
    }

    /** A valid request body for the tenant; callers change or remove fields. */
    public static ObjectNode request(Tenant tenant, String to, String text) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("api_key", tenant.apiKey());
        body.put("api_secret", tenant.apiSecret());
        body.put("to", to);
        body.put("from", "Company Name 123");
        body.put("text", text);
        return body;
    }

    public static Response send(HeraldApp app, ObjectNode body) {
        return app.send("POST", "/v1.0/sms/", "application/json", body.toString(), Map.of());
    }

    public static Response send(HeraldApp app, String rawBody) {
        return app.send("POST", "/v1.0/sms/", "application/json", rawBody, Map.of());
    }

    /** Sends and expects ok; answers the message id. */
    public static String sendOk(HeraldApp app, ObjectNode body) {
        Response r = send(app, body);
        r.expect(200);
        if (!"ok".equals(r.json().path("status").asText())) {
            throw new AssertionError("expected ok: " + r.body());
        }
        return r.json().get("message_id").asText();
    }

    public static void expectStatus(Response r, int httpStatus, String word) {
        if (r.status() != httpStatus || !r.json().equals(HeraldApp.JSON.createObjectNode().put("status", word))) {
            throw new AssertionError("expected HTTP " + httpStatus + " {\"status\":\"" + word + "\"} but got " + r.status()
                    + " " + r.body());
        }
    }

    /** An inbound reply from a handset, as the SMS provider posts it (SPEC §4). */
    public static Response inbound(HeraldApp app, String from, String to, String text) {
        ObjectNode body = HeraldApp.JSON.createObjectNode().put("from", from).put("to", to).put("text", text);
        return app.send("POST", "/callbacks/sms/inbound", "application/json", body.toString(), Map.of());
    }

    /** The README's verification: HMAC-SHA256 of "<X-Herald-Timestamp>.<body>" with the signing secret, hex. */
    public static String signature(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
