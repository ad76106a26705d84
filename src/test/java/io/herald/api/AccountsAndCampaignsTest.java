package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.herald.api.CoSenderMessagesTest.assertError;
import static io.herald.api.CoSenderMessagesTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator API and the tenant campaign API of SPEC §1, plus /observe, against the real application. */
class AccountsAndCampaignsTest {
    private static final String EMAIL_CAMPAIGN = "{\"name\":\"Welcome\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
            + "\"replyTo\":\"help@acme.com\",\"subject\":\"Hi %recipient.first_name%\",\"html\":\"<p>Hi</p>\",\"text\":\"Hi\","
            + "\"permissionReminder\":\"You signed up\",\"unsubscribeUrl\":\"https://acme.com/u\",\"companyAddress\":\"1 Main St\"}";

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of());

    // --- accounts ---------------------------------------------------------------------------

    @Test
    void createAccountAnswers201WithItsFields() {
        Response r = app.admin("POST", "/admin/accounts", "{\"name\":\"Acme\",\"messageLimit\":5,\"allowedCountries\":[\"GR\",\"CY\"]}");
        JsonNode account = r.expect(201).json();
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(fieldNames(account)).contains("id", "name", "messageLimit", "allowedCountries");
        assertThat(account.get("id").isIntegralNumber()).isTrue();
        assertThat(account.get("name").asText()).isEqualTo("Acme");
        assertThat(account.get("messageLimit").asLong()).isEqualTo(5);
        assertThat(account.get("allowedCountries")).extracting(JsonNode::asText).containsExactly("GR", "CY");

        JsonNode plain = app.admin("POST", "/admin/accounts", "{\"name\":\"Plain\"}").expect(201).json();
        assertThat(plain.get("id").asLong()).isNotEqualTo(account.get("id").asLong());
        assertThat(plain.get("name").asText()).isEqualTo("Plain");
        assertThat(fieldNames(plain)).contains("id", "name", "messageLimit", "allowedCountries");
        assertThat(plain.get("messageLimit").isNull()).as(plain.toString()).isTrue();
    }

    @Test
    void getAccountCountsMessagesSent() {
        Tenant t = app.newTenant("{\"name\":\"Counter\",\"messageLimit\":100,\"allowedCountries\":[\"US\"]}", true);
        JsonNode before = app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json();
        assertThat(before.get("id").asLong()).isEqualTo(t.accountId());
        assertThat(before.get("name").asText()).isEqualTo("Counter");
        assertThat(before.get("messageLimit").asLong()).isEqualTo(100);
        assertThat(before.get("allowedCountries")).extracting(JsonNode::asText).containsExactly("US");
        assertThat(before.get("messagesSent").asLong()).isZero();

        String code = app.activeCampaign(t, EMAIL_CAMPAIGN).get("code").asText();
        JsonNode answer = app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + code + "\",\"messages\":["
                + "{\"recipient\":\"a@example.com\"},{\"recipient\":\"b@example.com\"},{\"recipient\":\"invalid\"}]}")
                .expect(200).json();
        app.awaitStatus(t, answer.at("/messages/0/messageId").asText(), "DELIVERED");
        assertThat(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json().get("messagesSent").asLong())
                .isEqualTo(2);
    }

    @Test
    void invalidAccountRequestsAreRejected() {
        assertError(app.admin("POST", "/admin/accounts", "{}"), 400, 2001);
        assertError(app.admin("POST", "/admin/accounts", "{\"name\":\"X\",\"allowedCountries\":[\"XX\"]}"), 400, 2001);
        assertError(app.admin("POST", "/admin/accounts", "{\"name\":\"X\",\"messageLimit\":\"5\"}"), 400, 1001);
        assertError(app.admin("POST", "/admin/accounts", "{\"name\":\"X\""), 400, 1001);
        assertError(app.send("POST", "/admin/accounts", "text/plain", "{\"name\":\"X\"}",
                Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN)), 400, 1001);
    }

    @Test
    void unknownAccountIs404() {
        assertError(app.admin("GET", "/admin/accounts/987654321", null), 404, 1003);
        assertError(app.admin("GET", "/admin/accounts/not-a-number", null), 404, 1003);
        assertError(app.admin("POST", "/admin/accounts/987654321/keys", "{\"sandbox\":true}"), 404, 1003);
        assertError(app.admin("DELETE", "/admin/accounts/987654321/keys/1", null), 404, 1003);
    }

    @Test
    void operatorApiNeedsTheBearerToken() {
        long id = app.admin("POST", "/admin/accounts", "{\"name\":\"Guarded\"}").expect(201).json().get("id").asLong();
        List<Map<String, String>> badHeaders = List.of(Map.of(),
                Map.of("Authorization", "Bearer wrong-token-0123456789abcdef"),
                Map.of("Authorization", "Bearer "),
                Map.of("Authorization", HeraldApp.ADMIN_TOKEN),
                Map.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("api:" + HeraldApp.ADMIN_TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        for (Map<String, String> headers : badHeaders) {
            assertError(app.send("POST", "/admin/accounts", "application/json", "{\"name\":\"X\"}", headers), 401, 1002);
            assertError(app.send("GET", "/admin/accounts/" + id, null, null, headers), 401, 1002);
            assertError(app.send("POST", "/admin/accounts/" + id + "/keys", "application/json", "{}", headers), 401, 1002);
            assertError(app.send("DELETE", "/admin/accounts/" + id + "/keys/1", null, null, headers), 401, 1002);
        }
        // a tenant key is no operator token
        Tenant t = app.newTenant("{\"name\":\"Tenant\"}", true);
        assertError(app.send("GET", "/admin/accounts/" + t.accountId(), null, null,
                Map.of("Authorization", "Bearer " + t.apiKey())), 401, 1002);
        assertError(app.send("GET", "/admin/accounts/" + t.accountId(), null, null,
                Map.of("Authorization", HeraldApp.basic(t.apiKey()))), 401, 1002);
    }

    // --- keys -------------------------------------------------------------------------------

    @Test
    void createKeyAnswers201WithKeyAndSecret() {
        long id = app.admin("POST", "/admin/accounts", "{\"name\":\"Keys\"}").expect(201).json().get("id").asLong();
        JsonNode live = app.admin("POST", "/admin/accounts/" + id + "/keys", "{\"sandbox\":false}").expect(201).json();
        assertThat(fieldNames(live)).containsExactlyInAnyOrder("id", "apiKey", "apiSecret", "sandbox");
        assertThat(live.get("id").isIntegralNumber()).isTrue();
        assertThat(live.get("apiKey").asText()).matches("key_[0-9a-z]{26}");
        assertThat(live.get("apiSecret").asText()).isNotBlank().isNotEqualTo(live.get("apiKey").asText());
        assertThat(live.get("sandbox").asBoolean()).isFalse();

        JsonNode sandbox = app.admin("POST", "/admin/accounts/" + id + "/keys", "{\"sandbox\":true}").expect(201).json();
        assertThat(sandbox.get("sandbox").asBoolean()).isTrue();
        assertThat(sandbox.get("apiKey").asText()).matches("key_[0-9a-z]{26}").isNotEqualTo(live.get("apiKey").asText());
        assertThat(sandbox.get("apiSecret").asText()).isNotEqualTo(live.get("apiSecret").asText());
        assertThat(sandbox.get("id").asLong()).isNotEqualTo(live.get("id").asLong());

        JsonNode noBody = app.admin("POST", "/admin/accounts/" + id + "/keys", null).expect(201).json();
        assertThat(noBody.get("sandbox").asBoolean()).isFalse();
        assertThat(noBody.get("apiKey").asText()).matches("key_[0-9a-z]{26}");
        JsonNode emptyObject = app.admin("POST", "/admin/accounts/" + id + "/keys", "{}").expect(201).json();
        assertThat(emptyObject.get("sandbox").asBoolean()).isFalse();

        // every key authenticates its account
        for (JsonNode key : List.of(live, sandbox, noBody, emptyObject)) {
            app.tenant("POST", "/v1/campaigns", key.get("apiKey").asText(), EMAIL_CAMPAIGN).expect(201);
        }
        assertError(app.admin("POST", "/admin/accounts/" + id + "/keys", "{\"sandbox\":\"yes\"}"), 400, 1001);
    }

    @Test
    void sandboxKeyMarksItsDispatchesAsTest() throws Exception {
        Tenant sandbox = app.newTenant("{\"name\":\"Sandbox\"}", true);
        String code = app.activeCampaign(sandbox, EMAIL_CAMPAIGN).get("code").asText();
        JsonNode live = app.admin("POST", "/admin/accounts/" + sandbox.accountId() + "/keys", "{\"sandbox\":false}")
                .expect(201).json();
        String body = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}";

        String sandboxId = app.tenant("POST", "/v1/messages", sandbox.apiKey(), body).expect(200).json()
                .at("/messages/0/messageId").asText();
        JsonNode sandboxMessage = app.awaitStatus(sandbox, sandboxId, "DELIVERED");
        assertThat(isTestDispatch(sandboxMessage.get("dispatchId").asLong())).isTrue();
        assertThat(sandboxMessage.get("events").toString()).contains("sandbox");

        String liveId = app.tenant("POST", "/v1/messages", live.get("apiKey").asText(), body).expect(200).json()
                .at("/messages/0/messageId").asText();
        JsonNode liveMessage = app.tenant("GET", "/v1/messages/" + liveId, sandbox.apiKey(), null).expect(200).json();
        assertThat(isTestDispatch(liveMessage.get("dispatchId").asLong())).isFalse();
    }

    @Test
    void revokedKeyStopsWorkingAtOnce() {
        Tenant t = app.newTenant("{\"name\":\"Revoke\"}", true);
        JsonNode second = app.admin("POST", "/admin/accounts/" + t.accountId() + "/keys", "{\"sandbox\":true}").expect(201).json();
        String code = app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL_CAMPAIGN).expect(201).json().get("code").asText();
        app.tenant("GET", "/v1/campaigns/" + code, t.apiKey(), null).expect(200);

        Response revoked = app.admin("DELETE", "/admin/accounts/" + t.accountId() + "/keys/" + t.keyId(), null);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(revoked.body()).isEmpty();
        assertError(app.tenant("GET", "/v1/campaigns/" + code, t.apiKey(), null), 401, 1002);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL_CAMPAIGN), 401, 1002);
        // the account's other key still works
        app.tenant("GET", "/v1/campaigns/" + code, second.get("apiKey").asText(), null).expect(200);
        // revoking again, or a key through another account, is not found
        assertError(app.admin("DELETE", "/admin/accounts/" + t.accountId() + "/keys/" + t.keyId(), null), 404, 1003);
        Tenant other = app.newTenant("{\"name\":\"Other\"}", true);
        assertError(app.admin("DELETE", "/admin/accounts/" + other.accountId() + "/keys/" + second.get("id").asLong(), null),
                404, 1003);
        app.tenant("GET", "/v1/campaigns/" + code, second.get("apiKey").asText(), null).expect(200);
    }

    @Test
    void keyAndSecretNeverAppearInLaterAnswers() {
        Tenant t = app.newTenant("{\"name\":\"Secretive\"}", true);
        List<String> later = new ArrayList<>();
        later.add(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).body());
        // another key's creation answer shows only the new key
        String secondKey = app.admin("POST", "/admin/accounts/" + t.accountId() + "/keys", "{}").expect(201).body();
        assertThat(secondKey).doesNotContain(t.apiKey()).doesNotContain(t.apiSecret());
        JsonNode campaign = app.activeCampaign(t, EMAIL_CAMPAIGN);
        later.add(campaign.toString());
        Response sent = app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + campaign.get("code").asText()
                + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}").expect(200);
        later.add(sent.body());
        later.add(app.tenant("GET", "/v1/messages/" + sent.json().at("/messages/0/messageId").asText(), t.apiKey(), null)
                .expect(200).body());
        later.add(app.tenant("GET", "/v1/campaigns/" + campaign.get("code").asText(), t.apiKey(), null).expect(200).body());
        later.add(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).body());
        for (String answer : later) {
            assertThat(answer).doesNotContain(t.apiKey()).doesNotContain(t.apiSecret())
                    .doesNotContain("apiKey").doesNotContain("apiSecret").doesNotContain("key_");
        }
    }

    // --- campaigns --------------------------------------------------------------------------

    @Test
    void campaignLifecycle() {
        Tenant t = app.newTenant("{\"name\":\"Campaigns\"}", true);
        Response created = app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL_CAMPAIGN);
        JsonNode c = created.expect(201).json();
        assertThat(created.header("Content-Type")).startsWith("application/json");
        assertThat(c.get("id").isIntegralNumber()).as(c.toString()).isTrue();
        assertThat(c.get("code").asText()).matches("[0-9a-z]{13}");
        assertThat(c.get("status").asText()).isEqualTo("DRAFT");
        assertThat(c.get("channel").asText()).isEqualTo("EMAIL");
        assertThat(c.get("name").asText()).isEqualTo("Welcome");
        assertThat(c.get("from").asText()).isEqualTo("news@acme.com");
        assertThat(c.get("replyTo").asText()).isEqualTo("help@acme.com");
        assertThat(c.get("subject").asText()).isEqualTo("Hi %recipient.first_name%");
        assertThat(c.get("html").asText()).isEqualTo("<p>Hi</p>");
        assertThat(c.get("text").asText()).isEqualTo("Hi");
        assertThat(c.get("permissionReminder").asText()).isEqualTo("You signed up");
        assertThat(c.get("unsubscribeUrl").asText()).isEqualTo("https://acme.com/u");
        assertThat(c.get("companyAddress").asText()).isEqualTo("1 Main St");
        String code = c.get("code").asText();
        String path = "/v1/campaigns/" + code;

        assertThat(app.tenant("GET", path, t.apiKey(), null).expect(200).json()).isEqualTo(c);

        JsonNode updated = app.tenant("PUT", path, t.apiKey(), "{\"subject\":\"New subject\",\"text\":\"New text\"}")
                .expect(200).json();
        assertThat(updated.get("subject").asText()).isEqualTo("New subject");
        assertThat(updated.get("text").asText()).isEqualTo("New text");
        assertThat(updated.get("html").asText()).isEqualTo("<p>Hi</p>");
        assertThat(updated.get("from").asText()).isEqualTo("news@acme.com");
        assertThat(updated.get("id").asLong()).isEqualTo(c.get("id").asLong());
        assertThat(updated.get("code").asText()).isEqualTo(code);
        assertThat(updated.get("status").asText()).isEqualTo("DRAFT");
        assertThat(app.tenant("GET", path, t.apiKey(), null).expect(200).json()).isEqualTo(updated);

        assertThat(app.tenant("POST", path + "/activate", t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("ACTIVE");
        assertThat(app.tenant("GET", path, t.apiKey(), null).expect(200).json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(app.tenant("POST", path + "/deactivate", t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("INACTIVE");
        assertThat(app.tenant("GET", path, t.apiKey(), null).expect(200).json().get("status").asText()).isEqualTo("INACTIVE");
        assertThat(app.tenant("POST", path + "/activate", t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("ACTIVE");

        // an update of an active campaign changes what it sends
        app.tenant("PUT", path, t.apiKey(), "{\"text\":\"Changed %recipient.x%\"}").expect(200);
        JsonNode entry = app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + code
                + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}").expect(200).json().at("/messages/0");
        assertThat(entry.get("status").asText()).isEqualTo("WARNING");
        assertThat(entry.get("message").asText()).isEqualTo("Missing parameters: x");
    }

    @Test
    void smsCampaign() {
        Tenant t = app.newTenant("{\"name\":\"Sms\"}", true);
        JsonNode c = app.tenant("POST", "/v1/campaigns", t.apiKey(),
                "{\"name\":\"Codes\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":\"Code %recipient.code%\"}").expect(201).json();
        assertThat(c.get("channel").asText()).isEqualTo("SMS");
        assertThat(c.get("status").asText()).isEqualTo("DRAFT");
        assertThat(c.get("code").asText()).matches("[0-9a-z]{13}");
        assertThat(c.get("from").asText()).isEqualTo("Acme");
        assertThat(c.get("text").asText()).isEqualTo("Code %recipient.code%");
        assertThat(app.tenant("POST", "/v1/campaigns/" + c.get("code").asText() + "/activate", t.apiKey(), null)
                .expect(200).json().get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void campaignCodesAndIdsAreUnique() {
        Tenant t = app.newTenant("{\"name\":\"Unique\"}", true);
        JsonNode a = app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL_CAMPAIGN).expect(201).json();
        JsonNode b = app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL_CAMPAIGN).expect(201).json();
        assertThat(a.get("code").asText()).isNotEqualTo(b.get("code").asText());
        assertThat(a.get("id").asLong()).isNotEqualTo(b.get("id").asLong());
    }

    @Test
    void anotherAccountsCampaignIs404NeverForbidden() {
        Tenant owner = app.newTenant("{\"name\":\"Owner\"}", true);
        Tenant intruder = app.newTenant("{\"name\":\"Intruder\"}", true);
        String code = app.tenant("POST", "/v1/campaigns", owner.apiKey(), EMAIL_CAMPAIGN).expect(201).json().get("code").asText();
        String path = "/v1/campaigns/" + code;

        assertError(app.tenant("GET", path, intruder.apiKey(), null), 404, 1003);
        assertError(app.tenant("PUT", path, intruder.apiKey(), "{\"subject\":\"Hacked\"}"), 404, 1003);
        assertError(app.tenant("POST", path + "/activate", intruder.apiKey(), null), 404, 1003);
        assertError(app.tenant("POST", path + "/deactivate", intruder.apiKey(), null), 404, 1003);

        JsonNode untouched = app.tenant("GET", path, owner.apiKey(), null).expect(200).json();
        assertThat(untouched.get("status").asText()).isEqualTo("DRAFT");
        assertThat(untouched.get("subject").asText()).isEqualTo("Hi %recipient.first_name%");

        // and an unknown code looks the same
        assertError(app.tenant("GET", "/v1/campaigns/zzzzzzzzzzzzz", owner.apiKey(), null), 404, 1003);
        assertError(app.tenant("PUT", "/v1/campaigns/zzzzzzzzzzzzz", owner.apiKey(), "{\"subject\":\"x\"}"), 404, 1003);
        assertError(app.tenant("POST", "/v1/campaigns/zzzzzzzzzzzzz/activate", owner.apiKey(), null), 404, 1003);
    }

    @Test
    void activatingWithoutTheNeededContentIs2001() {
        Tenant t = app.newTenant("{\"name\":\"Incomplete\"}", true);
        String bare = app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"Bare\",\"channel\":\"EMAIL\"}")
                .expect(201).json().get("code").asText();
        assertError(app.tenant("POST", "/v1/campaigns/" + bare + "/activate", t.apiKey(), null), 400, 2001);
        assertThat(app.tenant("GET", "/v1/campaigns/" + bare, t.apiKey(), null).expect(200).json().get("status").asText())
                .isEqualTo("DRAFT");

        String fromOnly = app.tenant("POST", "/v1/campaigns", t.apiKey(),
                "{\"name\":\"From only\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"S\"}")
                .expect(201).json().get("code").asText();
        assertError(app.tenant("POST", "/v1/campaigns/" + fromOnly + "/activate", t.apiKey(), null), 400, 2001);

        String contentOnly = app.tenant("POST", "/v1/campaigns", t.apiKey(),
                "{\"name\":\"Content only\",\"channel\":\"EMAIL\",\"subject\":\"S\",\"text\":\"T\"}")
                .expect(201).json().get("code").asText();
        assertError(app.tenant("POST", "/v1/campaigns/" + contentOnly + "/activate", t.apiKey(), null), 400, 2001);
        // once completed it activates
        app.tenant("PUT", "/v1/campaigns/" + contentOnly, t.apiKey(), "{\"from\":\"news@acme.com\"}").expect(200);
        assertThat(app.tenant("POST", "/v1/campaigns/" + contentOnly + "/activate", t.apiKey(), null).expect(200).json()
                .get("status").asText()).isEqualTo("ACTIVE");

        String smsNoText = app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"Sms\",\"channel\":\"SMS\",\"from\":\"Acme\"}")
                .expect(201).json().get("code").asText();
        assertError(app.tenant("POST", "/v1/campaigns/" + smsNoText + "/activate", t.apiKey(), null), 400, 2001);
    }

    @Test
    void anActiveCampaignCannotLoseTheContentItNeedsToSend() {
        Tenant t = app.newTenant("{\"name\":\"Active edits\"}", true);
        String code = app.activeCampaign(t, EMAIL_CAMPAIGN).get("code").asText();
        String path = "/v1/campaigns/" + code;
        assertError(app.tenant("PUT", path, t.apiKey(), "{\"from\":null}"), 400, 2001);
        assertError(app.tenant("PUT", path, t.apiKey(), "{\"html\":null,\"text\":\"\"}"), 400, 2001);
        JsonNode unchanged = app.tenant("GET", path, t.apiKey(), null).expect(200).json();
        assertThat(unchanged.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(unchanged.get("from").asText()).isEqualTo("news@acme.com");
        assertThat(unchanged.get("html").asText()).isEqualTo("<p>Hi</p>");
        // removing one of two bodies is fine
        assertThat(app.tenant("PUT", path, t.apiKey(), "{\"html\":null}").expect(200).json().get("text").asText()).isEqualTo("Hi");
        // a deactivated campaign may be edited freely, and must be complete again to be activated
        app.tenant("POST", path + "/deactivate", t.apiKey(), null).expect(200);
        assertThat(app.tenant("PUT", path, t.apiKey(), "{\"from\":null}").expect(200).json().get("from").isNull()).isTrue();
        assertError(app.tenant("POST", path + "/activate", t.apiKey(), null), 400, 2001);
    }

    @Test
    void invalidCampaignRequestsAreRejected() {
        Tenant t = app.newTenant("{\"name\":\"Invalid campaigns\"}", true);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"channel\":\"EMAIL\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"FAX\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"from\":\"not-an-email\"}"),
                400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"subject\":\"a\\r\\nBcc: x@y.com\"}"),
                400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"subject\":5}"), 400, 1001);
        // values longer than the campaign can hold are the client's mistake, not an internal error
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"" + "n".repeat(201) + "\",\"channel\":\"EMAIL\"}"),
                400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"subject\":\""
                + "s".repeat(2001) + "\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"unsubscribeUrl\":\"https://a.com/"
                + "u".repeat(2001) + "\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"companyAddress\":\""
                + "a".repeat(2001) + "\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"permissionReminder\":\""
                + "p".repeat(10_001) + "\"}"), 400, 2001);
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "{\"name\":\"X\",\"channel\":\"EMAIL\",\"text\":\""
                + "t".repeat(1_000_001) + "\"}"), 400, 2001);
        String code = app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL_CAMPAIGN).expect(201).json().get("code").asText();
        assertError(app.tenant("PUT", "/v1/campaigns/" + code, t.apiKey(), "{\"subject\":\"" + "s".repeat(2001) + "\"}"), 400, 2001);
        assertError(app.tenant("PUT", "/v1/campaigns/" + code, t.apiKey(), "{\"name\":\"" + "n".repeat(201) + "\"}"), 400, 2001);
        assertError(app.tenant("PUT", "/v1/campaigns/" + code, t.apiKey(), "{\"name\":\"\"}"), 400, 2001);
        assertThat(app.tenant("GET", "/v1/campaigns/" + code, t.apiKey(), null).expect(200).json().get("name").asText())
                .isEqualTo("Welcome");
        assertError(app.tenant("POST", "/v1/campaigns", t.apiKey(), "[]"), 400, 1001);
        assertError(app.send("POST", "/v1/campaigns", "text/plain", EMAIL_CAMPAIGN, Map.of("Authorization", HeraldApp.basic(t.apiKey()))),
                400, 1001);
        assertError(app.send("POST", "/v1/campaigns", "application/json", EMAIL_CAMPAIGN, Map.of()), 401, 1002);
        assertError(app.send("GET", "/v1/campaigns/zzzzzzzzzzzzz", null, null, Map.of()), 401, 1002);
    }

    // --- observability ----------------------------------------------------------------------

    @Test
    void healthIsUp() {
        Response health = app.send("GET", "/observe/health", null, null, Map.of());
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountAcceptedMessagesPerChannel() {
        Tenant t = app.newTenant("{\"name\":\"Metrics\"}", true);
        String code = app.activeCampaign(t, EMAIL_CAMPAIGN).get("code").asText();
        String id = app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + code
                + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}").expect(200).json().at("/messages/0/messageId").asText();
        app.awaitStatus(t, id, "DELIVERED");
        Response metrics = app.send("GET", "/observe/metrics", null, null, Map.of());
        assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
        assertThat(Pattern.compile("(?m)^herald_messages_accepted_total\\{[^}]*channel=\"EMAIL\"[^}]*}\\s+[1-9]")
                .matcher(metrics.body()).find()).as(metrics.body()).isTrue();
    }

    // --- helpers ----------------------------------------------------------------------------

    private static boolean isTestDispatch(long dispatchId) throws Exception {
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT is_test FROM dispatch WHERE id = ?")) {
            ps.setLong(1, dispatchId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBoolean(1);
            }
        }
    }
}
