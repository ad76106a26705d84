package io.herald.edge;

import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.herald.support.CoSender.assertError;
import static io.herald.support.CoSender.emailCode;
import static io.herald.support.CoSender.messageIds;
import static io.herald.support.CoSender.storedMessages;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code herald.http.body-limit.cosender} (issue 6): checked on the bytes, before the body is parsed. */
class BodyLimitTest {
    static final int LIMIT = 2048;
    static final int MESSAGING_LIMIT = 4096;

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.http.body-limit.cosender", String.valueOf(LIMIT),
            "herald.http.body-limit.messaging", String.valueOf(MESSAGING_LIMIT)));
    static Tenant tenant;
    static String code;

    @BeforeAll
    static void start() {
        tenant = app.newTenant("{\"name\":\"Limits\"}", true);
        code = emailCode(app, tenant);
    }

    /** A valid send of exactly {@code bytes} bytes of UTF-8, padded with {@code pad} in a parameter. */
    static String bodyOf(int bytes, String pad) {
        String head = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"ann@example.com\",\"parameters\":{\"name\":\"";
        String tail = "\"}}]}";
        int room = bytes - (head + tail).getBytes(StandardCharsets.UTF_8).length;
        int unit = pad.getBytes(StandardCharsets.UTF_8).length;
        String body = head + pad.repeat(room / unit) + "x".repeat(room % unit) + tail;
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return body;
    }

    static Response send(String body) {
        return app.tenant("POST", "/v1/messages", tenant.apiKey(), body);
    }

    @Test
    void theMessagingApiHasItsOwnLimit() {
        long template = app.activeCampaign(tenant, "{\"name\":\"m\",\"channel\":\"EMAIL\",\"from\":\"a@shop.gr\","
                + "\"subject\":\"s\",\"text\":\"Hello %recipient.name%\"}").get("id").asLong();
        String head = "{\"templateId\":" + template + ",\"recipients\":[{\"uniqueId\":\"u1\",\"email\":\"ann@example.com\","
                + "\"payload\":{\"name\":\"";
        String tail = "\"}}]}";
        int room = MESSAGING_LIMIT - (head + tail).length();
        String atLimit = head + "x".repeat(room) + tail;
        String overLimit = head + "x".repeat(room + 1) + tail;
        long before = storedMessages(app, tenant);

        Response over = app.tenant("POST", "/api/SendMessages", tenant.apiKey(), overLimit);
        assertError(over, 413, 1001);
        assertThat(storedMessages(app, tenant)).isEqualTo(before);

        Response ok = app.tenant("POST", "/api/SendMessages", tenant.apiKey(), atLimit).expect(200);
        assertThat(ok.json().get("totalRecipientsSent").asInt()).isEqualTo(1);
        app.awaitSpoolDrained(null);
        assertThat(storedMessages(app, tenant)).isEqualTo(before + 1);
    }

    @Test
    void aBodyAtTheLimitIsAccepted() {
        assertThat(messageIds(send(bodyOf(LIMIT, "x")))).hasSize(1);
        assertThat(messageIds(send(bodyOf(LIMIT, "\u00e9")))).hasSize(1);
    }

    @Test
    void aBodyOneByteOverTheLimitIs413() {
        long before = storedMessages(app, tenant);
        Response r = assertError(send(bodyOf(LIMIT + 1, "x")), 413, 1001);
        assertThat(r.json().get("error").asText()).isEqualTo("Payload Too Large");
        // the limit counts bytes, not characters: 2-byte characters reach it at half the length
        assertError(send(bodyOf(LIMIT + 1, "\u00e9")), 413, 1001);
        assertThat(storedMessages(app, tenant)).isEqualTo(before);
    }

    @Test
    void aHugeMalformedBodyIs413NotMalformed() {
        String garbage = "{\"code\":[[[[" + "\u0000{".repeat(2_000_000);
        assertError(send(garbage), 413, 1001);
        assertError(app.send("POST", "/v1/messages", "text/plain", garbage, Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 413, 1001);
        // the limit is checked before the API key, too: nothing about the request is looked at first
        assertError(app.send("POST", "/v1/messages", "application/json", garbage, Map.of()), 413, 1001);
        // a malformed body under the limit is 1001 / 400, as before
        assertError(send("{\"code\":[[[["), 400, 1001);
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsCountedToo() throws IOException, InterruptedException {
        byte[] over = bodyOf(LIMIT + 100, "x").getBytes(StandardCharsets.UTF_8);
        Response r = app.client().chunked("POST", "/v1/messages",
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()), "Content-Type", "application/json"), over);
        assertError(r, 413, 1001);
    }

    @Test
    void otherEndpointsAreNotHeldToTheSendLimit() {
        String longText = "t".repeat(LIMIT * 4);
        app.tenant("POST", "/v1/campaigns", tenant.apiKey(), "{\"name\":\"long\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":\""
                + longText + "\"}").expect(201);
    }
}
