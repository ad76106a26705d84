package io.herald.edge;

import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.herald.support.CoSender.assertError;
import static io.herald.support.CoSender.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the HTTP server itself rejects, before any route: they too answer the error object with a 4xx
 * ({@link HttpFailures}; form bodies: {@link FormsAndQueryParameters}), not a plain-text page and never a 500.
 */
class HttpFailuresTest {
    static final int MAX_BODY = 100_000;

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.http.max-body-size", String.valueOf(MAX_BODY)));
    static Tenant tenant;

    @BeforeAll
    static void start() {
        tenant = app.newTenant("{\"name\":\"HTTP\"}", true);
    }

    static Map<String, String> auth(String contentType) {
        return Map.of("Authorization", HeraldApp.basic(tenant.apiKey()), "Content-Type", contentType);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFormContentTypeOnAGetIs400() {
        assertError(app.send("GET", "/v1/messages/x", "application/x-www-form-urlencoded", "a=b",
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 400, 1001);
        assertError(app.send("GET", "/v1/campaigns/x", "multipart/form-data; boundary=xyz", "--xyz--\r\n", Map.of()), 400, 1001);
    }

    @Test
    void aFormBodyThatDoesNotDecodeIs400() {
        assertError(raw(app, "POST", "/v1/campaigns", auth("application/x-www-form-urlencoded"), utf8("name=%zz&channel=%")), 400, 1001);
        String notMultipart = "{\"name\":\"" + "x".repeat(5000) + "\"}";
        assertError(raw(app, "POST", "/v1/messages", auth("multipart/form-data; boundary=xyz"), utf8(notMultipart)), 400, 1001);
    }

    @Test
    void aQueryStringThatDoesNotDecodeIs400() {
        assertError(raw(app, "GET", "/v1/messages/x?a=%zz", Map.of("Authorization", HeraldApp.basic(tenant.apiKey())), new byte[0]), 400, 1001);
        Response cosmos = raw(app, "POST", "/v1.0/sms/?a=%", Map.of("Content-Type", "application/json"), utf8("{}"));
        assertThat(cosmos.status()).isEqualTo(400);
        assertThat(cosmos.body()).isEqualTo("{\"status\":\"invalid_json\"}");
    }

    @Test
    void aBodyOverTheServersLimitIs413() {
        Response r = app.tenant("POST", "/v1/campaigns", tenant.apiKey(), "{\"name\":\"" + "x".repeat(MAX_BODY) + "\"}");
        assertError(r, 413, 1001);
        assertThat(r.json().get("error").asText()).isEqualTo("Payload Too Large");
    }
}
