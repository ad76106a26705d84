package io.herald.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Herald really answers fits what /openapi.json says: each endpoint is called for its success and its usual
 * failures, and every answer's status must be one the operation describes and its body must fit that response's
 * schema. The document's own examples must fit their schemas too. ({@link DescribedAnswers} fails a test, after it
 * ran, on anything it found not as described.)
 */
class OpenApiAnswersTest {
    private static final String PHONE = "+306936862208";
    private static final String VIRTUAL = "033334445566770";

    @TempDir
    static Path data;
    static SmsProviderStub provider;
    static HeraldApp app;
    static Tenant tenant;
    @RegisterExtension
    final DescribedAnswers answers = new DescribedAnswers(() -> app);

    @BeforeAll
    static void start() throws Exception {
        provider = new SmsProviderStub();
        provider.sendReports(false);
        app = HeraldApp.start(data, Map.of("herald.sms.provider.url", provider.url(), "herald.callbacks.allow-private", "true"));
        tenant = app.newTenant("{\"name\":\"answers\"}", false);
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.close();
    }

    @Test
    void theDocumentsExamplesFitTheirSchemas() {
        answers.checkExamples();
    }

    @Test
    void operatorApi() {
        long id = admin("POST", "/admin/accounts", "/admin/accounts", "{\"name\":\"ops\",\"messageLimit\":5,\"allowedCountries\":[\"GR\"]}")
                .expect(201).json().get("id").asLong();
        admin("POST", "/admin/accounts", "/admin/accounts", "{\"messageLimit\":5}").expect(400);
        answers.send("POST", "/admin/accounts", "/admin/accounts", "{\"name\":\"x\"}", Map.of()).expect(401);
        admin("GET", "/admin/accounts/{accountId}", "/admin/accounts/" + id, null).expect(200);
        admin("GET", "/admin/accounts/{accountId}", "/admin/accounts/999999", null).expect(404);
        long key = admin("POST", "/admin/accounts/{accountId}/keys", "/admin/accounts/" + id + "/keys", "{\"sandbox\":true}")
                .expect(201).json().get("id").asLong();
        admin("POST", "/admin/accounts/{accountId}/keys", "/admin/accounts/" + id + "/keys", "{\"sandbox\":\"yes\"}").expect(400);
        admin("PUT", "/admin/accounts/{accountId}/rate-limit", "/admin/accounts/" + id + "/rate-limit", "{\"requestsPerSecond\":50}").expect(200);
        admin("PUT", "/admin/accounts/{accountId}/rate-limit", "/admin/accounts/" + id + "/rate-limit", "{\"requestsPerSecond\":null}").expect(200);
        admin("PUT", "/admin/accounts/{accountId}/rate-limit", "/admin/accounts/" + id + "/rate-limit", "{\"requestsPerSecond\":0}").expect(400);
        admin("PUT", "/admin/accounts/{accountId}/rate-limit", "/admin/accounts/999999/rate-limit", "{\"requestsPerSecond\":5}").expect(404);
        admin("DELETE", "/admin/accounts/{accountId}/keys/{keyId}", "/admin/accounts/" + id + "/keys/" + key, null).expect(204);
        admin("DELETE", "/admin/accounts/{accountId}/keys/{keyId}", "/admin/accounts/" + id + "/keys/" + key, null).expect(404);

        admin("GET", "/admin/numbers/{number}", "/admin/numbers/306936862299", null).expect(200);
        admin("PUT", "/admin/numbers/{number}", "/admin/numbers/306936862299", "{\"active\":false}").expect(200);
        admin("GET", "/admin/numbers", "/admin/numbers", null).expect(200);
        admin("PUT", "/admin/numbers/{number}", "/admin/numbers/306936862299", "{}").expect(400);
        admin("GET", "/admin/numbers/{number}", "/admin/numbers/not-a-number", null).expect(400);
        admin("GET", "/admin/callbacks/dead-letters", "/admin/callbacks/dead-letters", null).expect(200);
        admin("POST", "/admin/callbacks/dead-letters/{deadLetterId}/replay", "/admin/callbacks/dead-letters/424242/replay", null).expect(404);
        String table = admin("GET", "/admin/sms-routing", "/admin/sms-routing", null).expect(200).body();
        admin("PUT", "/admin/sms-routing", "/admin/sms-routing", "{\"upstreams\":[{\"name\":\"s\",\"kind\":\"smpp\","
                + "\"host\":\"127.0.0.1\",\"systemId\":\"h\",\"password\":\"p\",\"price\":{\"30\":0.02}},"
                + "{\"name\":\"t\",\"kind\":\"sandbox\"}],\"rules\":[{\"match\":{\"prefix\":\"99999\"},"
                + "\"upstreams\":[\"s\"]},{\"match\":{},\"upstreams\":[\"t\"]}]}").expect(200);
        admin("PUT", "/admin/sms-routing", "/admin/sms-routing", "{\"upstreams\":[],\"rules\":[]}").expect(400);
        admin("PUT", "/admin/sms-routing", "/admin/sms-routing", table).expect(200);
    }

    @Test
    void tenantDeadLetters() {
        tenant("GET", "/v1/callbacks/dead-letters", "/v1/callbacks/dead-letters", null).expect(200);
        tenant("POST", "/v1/callbacks/dead-letters/{deadLetterId}/replay", "/v1/callbacks/dead-letters/424242/replay", null).expect(404);
    }

    @Test
    void campaignsAndCoSender() {
        String code = tenant("POST", "/v1/campaigns", "/v1/campaigns", "{\"name\":\"sms\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi %recipient.name%\"}")
                .expect(201).json().get("code").asText();
        String email = tenant("POST", "/v1/campaigns", "/v1/campaigns", "{\"name\":\"mail\",\"channel\":\"EMAIL\"}")
                .expect(201).json().get("code").asText();
        tenant("POST", "/v1/campaigns", "/v1/campaigns", "{\"name\":\"bad\",\"channel\":\"FAX\"}").expect(400);
        tenant("GET", "/v1/campaigns/{code}", "/v1/campaigns/" + email, null).expect(200);
        tenant("GET", "/v1/campaigns/{code}", "/v1/campaigns/nosuchcampaign", null).expect(404);
        tenant("PUT", "/v1/campaigns/{code}", "/v1/campaigns/" + email, "{\"subject\":\"Hello\",\"from\":\"shop@example.com\"}").expect(200);
        tenant("POST", "/v1/campaigns/{code}/activate", "/v1/campaigns/" + email + "/activate", null).expect(400);
        tenant("POST", "/v1/campaigns/{code}/activate", "/v1/campaigns/" + code + "/activate", null).expect(200);
        tenant("POST", "/v1/campaigns/{code}/deactivate", "/v1/campaigns/" + email + "/deactivate", null).expect(200);
        tenant("POST", "/v1/messages", "/v1/messages", send(email, PHONE)).expect(400);

        String messageId = tenant("POST", "/v1/messages", "/v1/messages", send(code, PHONE, "not a number"))
                .expect(200).json().at("/messages/0/messageId").asText();
        tenant("POST", "/v1/messages", "/v1/messages", send("nosuchcampaign", PHONE)).expect(404);
        tenant("POST", "/v1/messages", "/v1/messages", send(code, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")).expect(400);
        tenant("POST", "/v1/messages", "/v1/messages", "{\"code\":").expect(400);
        tenant("POST", "/v1/messages", "/v1/messages", send(code, "x".repeat(1_100_000))).expect(413);
        Map<String, String> keyed = Map.of("Authorization", HeraldApp.basic(tenant.apiKey()), "Idempotency-Key", "answers-1");
        answers.send("POST", "/v1/messages", "/v1/messages", send(code, PHONE), keyed).expect(200);
        answers.send("POST", "/v1/messages", "/v1/messages", send(code, PHONE), keyed).expect(200);
        answers.send("POST", "/v1/messages", "/v1/messages", send(code, "+306936862201"), keyed).expect(409);
        answers.send("POST", "/v1/messages", "/v1/messages", send(code, PHONE), Map.of()).expect(401);

        app.awaitStatus(tenant, messageId, "SENT");
        tenant("GET", "/v1/messages/{messageId}", "/v1/messages/" + messageId, null).expect(200);
        tenant("GET", "/v1/messages/{messageId}", "/v1/messages/no-such-message", null).expect(404);

        // the provider's report of it (the stub named it Az_<n>) and a reply
        String providerId = providerIdOf("306936862208", "Hi Ann");
        provider("/callbacks/sms/dlr", "{\"status\":\"delivered\",\"to\":\"306936862208\",\"message_id\":\"" + providerId
                + "\",\"price\":0.01,\"message_timestamp\":\"2026-12-06 10:00:00\"}").expect(200);
        provider("/callbacks/sms/dlr", "{\"status\":\"delivered\"}").expect(400);
        provider("/callbacks/sms/dlr", "not json").expect(400);
        provider("/callbacks/sms/dlr", "{\"status\":\"delivered\",\"to\":\"306936862208\",\"message_id\":\"Az_none\",\"price\":0.01,"
                + "\"message_timestamp\":\"2026-12-06 10:00:00\"}").expect(404);
        provider("/callbacks/sms/inbound", "{\"from\":\"306936862208\",\"to\":\"Herald\",\"text\":\"stop\"}").expect(200);
        provider("/callbacks/sms/inbound", "{\"to\":\"Herald\",\"text\":\"STOP\"}").expect(400);
    }

    @Test
    void messagingApi() {
        JsonNode campaign = app.activeCampaign(tenant, "{\"name\":\"ma\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi\"}");
        long templateId = campaign.get("id").asLong();
        long dispatch = tenant("POST", "/api/SendMessages", "/api/SendMessages", "{\"templateId\":" + templateId
                + ",\"recipients\":[{\"uniqueId\":\"a\",\"mobilePhone\":\"+306936862202\"},{\"uniqueId\":\"b\",\"mobilePhone\":\"12\"}]}")
                .expect(200).json().get("dispatch").asLong();
        tenant("POST", "/api/SendMessages", "/api/SendMessages", "{\"templateId\":" + templateId + "}").expect(400);
        tenant("POST", "/api/SendMessages", "/api/SendMessages", "{\"templateId\":999999,\"recipients\":[{\"uniqueId\":\"a\"}]}").expect(404);
        tenant("GET", "/api/Dispatches/{dispatchId}", "/api/Dispatches/" + dispatch, null).expect(200);
        tenant("GET", "/api/Dispatches/{dispatchId}", "/api/Dispatches/abc", null).expect(404);
    }

    @Test
    void cosmos() {
        String body = "{\"api_key\":\"" + tenant.apiKey() + "\",\"api_secret\":\"" + tenant.apiSecret() + "\",\"to\":\"" + VIRTUAL
                + "\",\"from\":\"Herald\",\"text\":\"Hello world!\"}";
        answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", body, Map.of()).expect(200);
        answers.send("POST", "/v1.0/sms", "/v1.0/sms", body, Map.of()).expect(200);
        answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", body.replace(VIRTUAL, "12345"), Map.of()).expect(400);
        answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", body.replace(tenant.apiSecret(), "wrong"), Map.of()).expect(401);
        answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", body.replace("Hello world!", "x".repeat(5000)), Map.of()).expect(413);
        answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", "[]", Map.of()).expect(400);
    }

    @Test
    void blacklistAndWebhook() {
        tenant("GET", "/v1/blacklist", "/v1/blacklist", null).expect(200);
        tenant("POST", "/v1/blacklist", "/v1/blacklist", "{\"number\":\"+306936862203\"}").expect(201);
        tenant("POST", "/v1/blacklist", "/v1/blacklist", "{\"number\":\"+306936862203\"}").expect(200);
        tenant("POST", "/v1/blacklist", "/v1/blacklist", "{\"number\":\"abc\"}").expect(400);
        tenant("DELETE", "/v1/blacklist/{number}", "/v1/blacklist/%2B306936862203", null).expect(204);
        tenant("DELETE", "/v1/blacklist/{number}", "/v1/blacklist/%2B306936862203", null).expect(404);

        Tenant other = app.newTenant("{\"name\":\"hooks\"}", true);
        answers.send("GET", "/v1/webhook", "/v1/webhook", null, auth(other)).expect(200);
        answers.send("PUT", "/v1/webhook", "/v1/webhook", "{\"url\":\"http://127.0.0.1:9/hook\"}", auth(other)).expect(200);
        answers.send("PUT", "/v1/webhook", "/v1/webhook", "{\"url\":\"not a url\"}", auth(other)).expect(400);
        answers.send("GET", "/v1/webhook", "/v1/webhook", null, auth(other)).expect(200);
        answers.send("POST", "/v1/webhook/signing-secret", "/v1/webhook/signing-secret", null, auth(other)).expect(200);
        answers.send("DELETE", "/v1/webhook", "/v1/webhook", null, auth(other)).expect(204);
        answers.send("DELETE", "/v1/webhook", "/v1/webhook", null, auth(other)).expect(404);
    }

    @Test
    void rateLimitAnswersAreDescribed() {
        Tenant limited = app.newTenant("{\"name\":\"limited\"}", true);
        app.admin("PUT", "/admin/accounts/" + limited.accountId() + "/rate-limit", "{\"requestsPerSecond\":1}").expect(200);
        String cosmos = "{\"api_key\":\"" + limited.apiKey() + "\",\"api_secret\":\"" + limited.apiSecret() + "\",\"to\":\"" + VIRTUAL
                + "\",\"from\":\"Herald\",\"text\":\"Hi\"}";
        int limitedAnswers = 0;
        for (int i = 0; i < 6; i++) {
            Response r = answers.send("GET", "/v1/blacklist", "/v1/blacklist", null, auth(limited));
            Response c = answers.send("POST", "/v1.0/sms/", "/v1.0/sms/", cosmos, Map.of());
            limitedAnswers += (r.status() == 429 ? 1 : 0) + (c.status() == 429 ? 1 : 0);
        }
        assertThat(limitedAnswers).isGreaterThan(0);
    }

    @Test
    void observabilityAndDocumentation() {
        for (String path : new String[] {"/observe/health", "/observe/health/live", "/observe/health/ready", "/observe/metrics",
                                         "/openapi.json", "/docs"}) {
            answers.send("GET", path, path, null, Map.of()).expect(200);
        }
    }

    /** The stub names its messages Az_1, Az_2, ... in the order of the requests it got (one at a time). */
    private static String providerIdOf(String to, String text) {
        var requests = provider.requests();
        for (int i = 0; i < requests.size(); i++) {
            if (to.equals(requests.get(i).path("to").asText()) && text.equals(requests.get(i).path("text").asText())) {
                return "Az_" + (i + 1);
            }
        }
        throw new AssertionError("the provider got no SMS to " + to + ": " + requests);
    }

    private static String send(String code, String... recipients) {
        StringBuilder messages = new StringBuilder();
        for (String r : recipients) {
            messages.append(messages.isEmpty() ? "" : ",").append("{\"recipient\":\"").append(r).append("\",\"parameters\":{\"name\":\"Ann\"}}");
        }
        return "{\"code\":\"" + code + "\",\"messages\":[" + messages + "]}";
    }

    private static Map<String, String> auth(Tenant t) {
        return Map.of("Authorization", HeraldApp.basic(t.apiKey()));
    }

    private Response tenant(String method, String template, String path, String json) {
        return answers.send(method, template, path, json, auth(tenant));
    }

    private Response admin(String method, String template, String path, String json) {
        return answers.send(method, template, path, json, Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN));
    }

    private Response provider(String path, String json) {
        return answers.send("POST", path, path, json, Map.of());
    }
}
