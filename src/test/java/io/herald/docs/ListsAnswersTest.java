package io.herald.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list, search, preview and account-change endpoints (docs/lists.md) answer what /openapi.json describes: each
 * status described, each body fitting its schema with no undescribed field ({@link DescribedAnswers} fails the test
 * after it otherwise, as in {@link OpenApiAnswersTest}).
 */
class ListsAnswersTest {
    @TempDir
    static Path data;
    static HeraldApp app;
    @RegisterExtension
    final DescribedAnswers answers = new DescribedAnswers(() -> app);

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void listsPreviewAndAccountChangesAreDescribed() {
        Tenant t = app.newTenant("{\"name\":\"lists\",\"messageLimit\":100}", true);
        Map<String, String> tenant = Map.of("Authorization", HeraldApp.basic(t.apiKey()));
        Map<String, String> admin = Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN);
        JsonNode campaign = app.activeCampaign(t, "{\"name\":\"sms\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi %recipient.name%\"}");
        String code = campaign.get("code").asText();
        String id = app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":"
                + "\"+306936862208\"}]}").expect(200).json().at("/messages/0/messageId").asText();
        app.awaitStatus(t, id, "DELIVERED");

        String accounts = "/admin/accounts";
        String account = "/admin/accounts/{accountId}";
        String keys = "/admin/accounts/{accountId}/keys";
        answers.send("GET", accounts, accounts + "?limit=1", null, admin).expect(200);
        answers.send("GET", accounts, accounts + "?limit=0", null, admin).expect(400);
        answers.send("GET", accounts, accounts, null, Map.of()).expect(401);
        answers.send("GET", keys, "/admin/accounts/" + t.accountId() + "/keys", null, admin).expect(200);
        answers.send("GET", keys, "/admin/accounts/999999/keys", null, admin).expect(404);
        answers.send("GET", keys, "/admin/accounts/" + t.accountId() + "/keys?cursor=x", null, admin).expect(400);
        answers.send("PATCH", account, "/admin/accounts/" + t.accountId(), "{\"messageLimit\":50,\"requestsPerSecond\":100}", admin)
                .expect(200);
        answers.send("PATCH", account, "/admin/accounts/" + t.accountId(), "{\"limit\":5}", admin).expect(400);
        answers.send("PATCH", account, "/admin/accounts/999999", "{\"disabled\":true}", admin).expect(404);
        answers.send("PATCH", account, "/admin/accounts/" + t.accountId(), "{}", Map.of()).expect(401);
        answers.send("GET", account, "/admin/accounts/" + t.accountId(), null, admin).expect(200);

        answers.send("GET", "/v1/messages", "/v1/messages?status=delivered&channel=SMS&recipient=%2B306936862208", null, tenant)
                .expect(200);
        answers.send("GET", "/v1/messages", "/v1/messages?from=tomorrow", null, tenant).expect(400);
        answers.send("GET", "/v1/messages", "/v1/messages", null, Map.of()).expect(401);
        answers.send("GET", "/v1/messages/{messageId}", "/v1/messages/" + id, null, tenant).expect(200);
        answers.send("GET", "/v1/campaigns", "/v1/campaigns?status=ACTIVE", null, tenant).expect(200);
        answers.send("GET", "/v1/campaigns", "/v1/campaigns?status=GONE", null, tenant).expect(400);
        answers.send("GET", "/v1/dispatches", "/v1/dispatches?campaign=" + code, null, tenant).expect(200);
        answers.send("GET", "/v1/dispatches", "/v1/dispatches?limit=x", null, tenant).expect(400);
        String preview = "/v1/campaigns/{code}/preview";
        answers.send("POST", preview, "/v1/campaigns/" + code + "/preview", "{\"parameters\":{\"name\":\"Ann\"}}", tenant).expect(200);
        answers.send("POST", preview, "/v1/campaigns/" + code + "/preview", "{}", tenant).expect(200);
        answers.send("POST", preview, "/v1/campaigns/" + code + "/preview", "{\"parameters\":[1]}", tenant).expect(400);
        answers.send("POST", preview, "/v1/campaigns/nosuchcampaign/preview", "{}", tenant).expect(404);
        Response r = answers.send("GET", "/v1/campaigns", "/v1/campaigns", null, Map.of());
        assertThat(r.status()).isEqualTo(401);
    }
}
