package io.herald.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.Cosmos;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.herald.support.Cosmos.expectStatus;
import static io.herald.support.Cosmos.request;
import static io.herald.support.Cosmos.send;
import static io.herald.support.Cosmos.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opt-out and number state on the real application: inbound STOP, the tenant's blacklist, the operator's inactive
 * numbers, and their effect on all three dialects.
 */
class OptOutTest {
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of());
    static Tenant shop;
    static Tenant bank;
    static String shopCode;
    static long shopCampaignId;
    static String bankCode;

    @BeforeAll
    static void start() {
        shop = app.newTenant("{\"name\":\"Shop\",\"allowedCountries\":[\"GR\"]}", true);
        bank = app.newTenant("{\"name\":\"Bank\"}", true);
        JsonNode shopCampaign = app.activeCampaign(shop, "{\"name\":\"offers\",\"channel\":\"SMS\",\"from\":\"Shop\",\"text\":\"Offers\"}");
        shopCode = shopCampaign.get("code").asText();
        shopCampaignId = shopCampaign.get("id").asLong();
        bankCode = app.activeCampaign(bank, "{\"name\":\"otp\",\"channel\":\"SMS\",\"from\":\"Bank\",\"text\":\"Code\"}")
                .get("code").asText();
    }

    static JsonNode coSender(Tenant tenant, String code, String... recipients) {
        StringBuilder messages = new StringBuilder();
        for (String r : recipients) {
            messages.append(messages.length() == 0 ? "" : ",").append("{\"recipient\":\"").append(r).append("\"}");
        }
        Response r = app.tenant("POST", "/v1/messages", tenant.apiKey(), "{\"code\":\"" + code + "\",\"messages\":[" + messages + "]}");
        return r.status() == 200 ? r.json() : ((com.fasterxml.jackson.databind.node.ObjectNode) r.json()).put("httpStatus", r.status());
    }

    static String sentTo(Tenant tenant, String code, String number) {
        String id = coSender(tenant, code, number).get("messages").get(0).get("messageId").asText();
        app.awaitStatus(tenant, id, "DELIVERED");
        return id;
    }

    @Test
    void stopOptsTheNumberOutForTheAccountThatMessagedItFromThatSender() {
        String number = "+306936862401";
        sentTo(shop, shopCode, number);
        sentTo(bank, bankCode, number);

        // the provider reports the handset's number as digits without '+', and the sender it replied to
        Cosmos.inbound(app, "306936862401", "Shop", "  Stop\n").expect(200);

        JsonNode refused = coSender(shop, shopCode, number);
        assertThat(refused.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(refused.get("code").asInt()).isEqualTo(2003);
        assertThat(refused.get("message").asText()).contains("opted out");
        sentTo(bank, bankCode, number);

        JsonNode entry = entry(shop, number);
        assertThat(entry).isNotNull();
        assertThat(entry.get("source").asText()).isEqualTo("STOP");
        assertThat(entry.get("createdAt").asText()).isNotBlank();
        assertThat(blacklisted(bank, number)).isFalse();
    }

    @Test
    void stopToAnUnknownSenderOptsOutOfTheAccountThatMessagedTheNumberLast() {
        String number = "+306936862402";
        sentTo(bank, bankCode, number);
        sentTo(shop, shopCode, number);
        Cosmos.inbound(app, "+306936862402", "SomeShortCode", "STOP").expect(200);
        assertThat(blacklisted(shop, number)).isTrue();
        assertThat(blacklisted(bank, number)).isFalse();
    }

    @Test
    void stopThenSendIsRefusedInEveryDialect() {
        String virtual = "033300000000402";
        sendOk(app, request(shop, virtual, "Hello"));
        Cosmos.inbound(app, virtual, "Company Name 123", "stop").expect(200);
        expectStatus(send(app, request(shop, virtual, "Hello again")), 400, "blacklist");

        String number = "+306936862403";
        sentTo(shop, shopCode, number);
        Cosmos.inbound(app, "306936862403", "Shop", "STOP").expect(200);
        JsonNode partly = coSender(shop, shopCode, number, "+306936862404");
        assertThat(partly.get("messages").get(0).get("status").asText()).isEqualTo("ERROR");
        assertThat(partly.get("messages").get(0).get("messageId").isNull()).isTrue();
        assertThat(partly.get("messages").get(1).get("status").asText()).isEqualTo("OK");

        Response messaging = app.tenant("POST", "/api/SendMessages", shop.apiKey(), "{\"templateId\":" + shopCampaignId
                + ",\"recipients\":[{\"uniqueId\":\"a\",\"mobilePhone\":\"6936862403\"},{\"uniqueId\":\"b\",\"mobilePhone\":\"6936862405\"}]}");
        assertThat(messaging.status()).as(messaging.body()).isEqualTo(200);
        assertThat(messaging.json().get("invalidMobiles").toString()).isEqualTo("[{\"uniqueId\":\"a\",\"mobile\":\"6936862403\"}]");
    }

    @Test
    void otherRepliesAndUnknownNumbersAreAcknowledgedAndIgnored() {
        String number = "+306936862406";
        sentTo(shop, shopCode, number);
        Cosmos.inbound(app, "306936862406", "Shop", "STOP please").expect(200);
        Cosmos.inbound(app, "306936862406", "Shop", "Thanks!").expect(200);
        assertThat(blacklisted(shop, number)).isFalse();
        assertThat(Cosmos.inbound(app, "306999999999", "Shop", "STOP").expect(200).json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void malformedInboundMessagesAreRefused() {
        Response garbage = app.send("POST", "/callbacks/sms/inbound", "application/json", "{not json", Map.of());
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("status").asText()).isEqualTo("invalid_json");
        Response noFrom = app.send("POST", "/callbacks/sms/inbound", "application/json", "{\"text\":\"STOP\"}", Map.of());
        assertThat(noFrom.status()).isEqualTo(400);
        assertThat(noFrom.json().get("status").asText()).isEqualTo("invalid_request");
    }

    @Test
    void tenantsListAddAndRemoveBlacklistedNumbers() {
        Response added = app.tenant("POST", "/v1/blacklist", shop.apiKey(), "{\"number\":\"693 686 2407\"}").expect(201);
        assertThat(added.json().get("number").asText()).isEqualTo("+306936862407");
        assertThat(added.json().get("source").asText()).isEqualTo("API");
        app.tenant("POST", "/v1/blacklist", shop.apiKey(), "{\"number\":\"+30 693 686 2407\"}").expect(200);
        app.tenant("POST", "/v1/blacklist", shop.apiKey(), "{\"number\":\"033300000000407\"}").expect(201);
        assertThat(coSender(shop, shopCode, "+306936862407").get("httpStatus").asInt()).isEqualTo(400);

        app.tenant("POST", "/v1/blacklist", shop.apiKey(), "{\"number\":\"not a number\"}").expect(400);
        app.tenant("POST", "/v1/blacklist", shop.apiKey(), "{\"number\":\"+12025550123\"}").expect(400);
        app.tenant("POST", "/v1/blacklist", shop.apiKey(), "{}").expect(400);
        app.send("GET", "/v1/blacklist", null, null, Map.of()).expect(401);

        app.tenant("DELETE", "/v1/blacklist/+306936862407", shop.apiKey(), null).expect(204);
        app.tenant("DELETE", "/v1/blacklist/%2B306936862407", shop.apiKey(), null).expect(404);
        app.tenant("DELETE", "/v1/blacklist/033300000000407", bank.apiKey(), null).expect(404);
        app.tenant("DELETE", "/v1/blacklist/033300000000407", shop.apiKey(), null).expect(204);
        sentTo(shop, shopCode, "+306936862407");
    }

    @Test
    void operatorsMarkNumbersInactiveForEveryAccount() {
        String number = "+306936862408";
        assertThat(app.admin("GET", "/admin/numbers/" + number, null).expect(200).json().get("active").asBoolean()).isTrue();
        JsonNode marked = app.admin("PUT", "/admin/numbers/306936862408", "{\"active\":false}").expect(200).json();
        assertThat(marked.get("number").asText()).isEqualTo(number);
        assertThat(marked.get("active").asBoolean()).isFalse();

        JsonNode shopAnswer = coSender(shop, shopCode, number, "+306936862409");
        assertThat(shopAnswer.get("messages").get(0).get("status").asText()).isEqualTo("ERROR");
        assertThat(shopAnswer.get("messages").get(0).get("message").asText()).contains("inactive");
        assertThat(coSender(bank, bankCode, number).get("httpStatus").asInt()).isEqualTo(400);

        app.admin("PUT", "/admin/numbers/" + number, "{\"active\":true}").expect(200);
        sentTo(bank, bankCode, number);

        app.send("PUT", "/admin/numbers/" + number, "application/json", "{\"active\":false}", Map.of()).expect(401);
        app.tenant("PUT", "/admin/numbers/" + number, shop.apiKey(), "{\"active\":false}").expect(401);
        app.admin("PUT", "/admin/numbers/" + number, "{}").expect(400);
        app.admin("PUT", "/admin/numbers/garbage", "{\"active\":false}").expect(400);
    }

    static boolean blacklisted(Tenant tenant, String number) {
        return entry(tenant, number) != null;
    }

    static JsonNode entry(Tenant tenant, String number) {
        for (JsonNode n : app.tenant("GET", "/v1/blacklist", tenant.apiKey(), null).expect(200).json().get("numbers")) {
            if (number.equals(n.get("number").asText())) {
                return n;
            }
        }
        return null;
    }
}
