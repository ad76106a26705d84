package io.herald.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.edge.fuzz.ErrorObjectFormat;
import io.herald.edge.fuzz.FuzzAnswer;
import io.herald.edge.fuzz.FuzzRequest;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** CO-SENDER requests and reads that many tests share: sending, the error-object check, database counts, raw HTTP. */
public final class CoSender {
    public static final String EMAIL_CAMPAIGN = "{\"name\":\"edge\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"Hi\","
            + "\"text\":\"Hello %recipient.name%\"}";

    private CoSender() {
    }

    public static String emailCode(HeraldApp app, Tenant tenant) {
        return app.activeCampaign(tenant, EMAIL_CAMPAIGN).get("code").asText();
    }

    public static String body(String code, String... recipients) {
        StringBuilder b = new StringBuilder("{\"code\":\"").append(code).append("\",\"messages\":[");
        for (int i = 0; i < recipients.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"recipient\":\"").append(recipients[i]).append("\",\"parameters\":{\"name\":\"N\"}}");
        }
        return b.append("]}").toString();
    }

    public static Response send(HeraldApp app, Tenant tenant, String body, String idempotencyKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", HeraldApp.basic(tenant.apiKey()));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return app.send("POST", "/v1/messages", "application/json", body, headers);
    }

    public static List<String> messageIds(Response answer) {
        JsonNode messages = answer.expect(200).json().get("messages");
        return StreamSupport.stream(messages.spliterator(), false).map(m -> m.get("messageId").asText()).toList();
    }

    /** Asserts the seed-001 error object with this status and code (every field checked). */
    public static Response assertError(Response r, int status, int code) {
        ErrorObjectFormat.check(FuzzRequest.to("?", "?").defect("edge test"), new FuzzAnswer(r.status(), r.headers(), r.body()));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asInt()).as(r.body()).isEqualTo(code);
        return r;
    }

    public static long count(HeraldApp app, String sql, Object... params) {
        return app.count(sql, params);
    }

    public static long storedMessages(HeraldApp app, Tenant tenant) {
        return count(app, "SELECT COUNT(*) FROM message WHERE account_id = ?", tenant.accountId());
    }

    public static long sandboxDeliveries(HeraldApp app, Tenant tenant) {
        return count(app, "SELECT COUNT(*) FROM sandbox_delivery d JOIN message m ON m.id = d.message_id WHERE m.account_id = ?",
                tenant.accountId());
    }

    public static long messagesSent(HeraldApp app, Tenant tenant) {
        return app.admin("GET", "/admin/accounts/" + tenant.accountId(), null).expect(200).json().get("messagesSent").asLong();
    }

    /** One HTTP/1.1 request written byte for byte (see {@link io.herald.support.HeraldClient#raw}). */
    public static Response raw(HeraldApp app, String method, String path, Map<String, String> headers, byte[] body) {
        return app.client().raw(method, path, headers, body);
    }
}
