package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.herald.api.CoSenderMessagesTest.assertError;
import static io.herald.api.CoSenderMessagesTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator's lists and account changes (docs/lists.md) against the real application. */
class AccountListsTest {
    private static final String SMS_CAMPAIGN = "{\"name\":\"Alerts\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":\"Hi %recipient.name%\"}";

    @TempDir
    static Path data;
    static HeraldApp app;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of("herald.api.page.default-limit", "4", "herald.api.page.max-limit", "5"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void accountsArePagedNewestFirstWithoutGapsOrDuplicates() {
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            created.add(app.admin("POST", "/admin/accounts", "{\"name\":\"Paged " + i + "\"}").expect(201).json().get("id").asLong());
        }
        List<JsonNode> items = Pages.all(q -> app.admin("GET", "/admin/accounts?limit=3&" + q, null), 3);
        List<Long> ids = Pages.longs(items, "id");
        assertThat(ids).doesNotHaveDuplicates().containsAll(created);
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        JsonNode one = items.stream().filter(i -> i.get("id").asLong() == created.get(0)).findFirst().orElseThrow();
        assertThat(fieldNames(one)).contains("id", "name", "messageLimit", "allowedCountries", "messagesSent",
                "requestsPerSecond", "disabled", "createdAt");
        assertThat(one.get("name").asText()).isEqualTo("Paged 0");

        // without a limit: herald.api.page.default-limit (4 here)
        JsonNode first = app.admin("GET", "/admin/accounts", null).expect(200).json();
        assertThat(first.get("items").size()).isEqualTo(4);
        assertThat(first.get("next").isTextual()).isTrue();
    }

    @Test
    void badPagingIsA400ErrorObject() {
        app.admin("POST", "/admin/accounts", "{\"name\":\"A\"}").expect(201);
        app.admin("POST", "/admin/accounts", "{\"name\":\"B\"}").expect(201);
        for (String q : List.of("limit=0", "limit=6", "limit=abc", "limit=-1", "cursor=!!!", "cursor=abc",
                "cursor=" + Base64.getUrlEncoder().encodeToString("keys:1".getBytes(StandardCharsets.UTF_8)),
                "cursor=" + Base64.getUrlEncoder().encodeToString("accounts:x".getBytes(StandardCharsets.UTF_8)),
                "cursor=%C3%28", "status=SENT", "limit=1&limit=2")) {
            JsonNode e = assertError(app.admin("GET", "/admin/accounts?" + q, null), 400, 2001);
            assertThat(e.get("message").asText()).as(q).containsAnyOf("limit", "cursor", "status", "percent");
        }
        // a cursor taken from an answer works, and cannot be read across lists
        String next = app.admin("GET", "/admin/accounts?limit=1", null).expect(200).json().get("next").asText();
        app.admin("GET", "/admin/accounts?limit=1&cursor=" + next, null).expect(200);
        Tenant t = app.newTenant("{\"name\":\"Keys\"}", false);
        assertError(app.admin("GET", "/admin/accounts/" + t.accountId() + "/keys?cursor=" + next, null), 400, 2001);
        // the operator token is still checked first
        assertError(app.send("GET", "/admin/accounts?limit=0", null, null, Map.of()), 401, 1002);
    }

    @Test
    void keysListShowsPrefixesAndUseButNeverSecrets() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Keyed\"}", true);
        List<JsonNode> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(app.admin("POST", "/admin/accounts/" + t.accountId() + "/keys", "{\"sandbox\":" + (i == 0) + "}").expect(201).json());
        }
        long revoked = more.get(1).get("id").asLong();
        app.admin("DELETE", "/admin/accounts/" + t.accountId() + "/keys/" + revoked, null).expect(204);
        app.tenant("GET", "/v1/webhook", t.apiKey(), null); // uses the first key

        List<String> bodies = new ArrayList<>();
        List<JsonNode> keys = Pages.all(q -> {
            Response r = app.admin("GET", "/admin/accounts/" + t.accountId() + "/keys?limit=2&" + q, null);
            bodies.add(r.body());
            return r;
        }, 2);
        assertThat(Pages.longs(keys, "id")).containsExactly(more.get(2).get("id").asLong(), revoked,
                more.get(0).get("id").asLong(), t.keyId());
        for (JsonNode k : keys) {
            assertThat(fieldNames(k)).containsExactly("id", "prefix", "sandbox", "createdAt", "lastUsedAt", "revoked", "revokedAt");
        }
        JsonNode first = keys.get(3);
        assertThat(t.apiKey()).startsWith(first.get("prefix").asText());
        assertThat(first.get("prefix").asText()).hasSize(8).startsWith("key_");
        assertThat(first.get("sandbox").asBoolean()).isTrue();
        assertThat(first.get("lastUsedAt").isTextual()).as(first.toString()).isTrue();
        assertThat(keys.get(0).get("lastUsedAt").isNull()).isTrue();
        assertThat(keys.get(1).get("revoked").asBoolean()).isTrue();
        assertThat(keys.get(1).get("revokedAt").isTextual()).isTrue();
        assertThat(keys.get(0).get("revoked").asBoolean()).isFalse();

        List<String> secrets = new ArrayList<>(List.of(t.apiKey(), t.apiSecret(), sha256(t.apiKey()), sha256(t.apiSecret())));
        for (JsonNode k : more) {
            secrets.addAll(List.of(k.get("apiKey").asText(), k.get("apiSecret").asText(), sha256(k.get("apiKey").asText()),
                    sha256(k.get("apiSecret").asText())));
        }
        for (String body : bodies) {
            for (String secret : secrets) {
                assertThat(body).doesNotContain(secret);
            }
        }
        assertError(app.admin("GET", "/admin/accounts/999999/keys", null), 404, 1003);
        assertError(app.admin("GET", "/admin/accounts/x/keys", null), 404, 1003);
    }

    @Test
    void disablingAnAccountRefusesItsKeysAndEnablingRestoresThem() {
        Tenant t = app.newTenant("{\"name\":\"Switch\"}", true);
        app.tenant("GET", "/v1/webhook", t.apiKey(), null).expect(200);
        JsonNode disabled = app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"disabled\":true}").expect(200).json();
        assertThat(disabled.get("disabled").asBoolean()).isTrue();
        assertThat(disabled.get("disabledAt").isTextual()).isTrue();
        assertError(app.tenant("GET", "/v1/webhook", t.apiKey(), null), 401, 1002);
        Response cosmos = app.send("POST", "/v1.0/sms/", "application/json", "{\"api_key\":\"" + t.apiKey() + "\",\"api_secret\":\""
                + t.apiSecret() + "\",\"to\":\"012345678901234\",\"from\":\"Acme\",\"text\":\"hi\"}", Map.of());
        assertThat(cosmos.status()).isEqualTo(401);
        assertThat(cosmos.json().get("status").asText()).isEqualTo("unauthorized");
        assertThat(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json().get("disabled").asBoolean()).isTrue();

        JsonNode enabled = app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"disabled\":false}").expect(200).json();
        assertThat(enabled.get("disabled").asBoolean()).isFalse();
        assertThat(enabled.get("disabledAt").isNull()).isTrue();
        app.tenant("GET", "/v1/webhook", t.apiKey(), null).expect(200);
    }

    @Test
    void patchChangesOnlyTheNamedFieldsAndTheLimitsApply() {
        Tenant t = app.newTenant("{\"name\":\"Before\",\"messageLimit\":100,\"allowedCountries\":[\"GR\"]}", true);
        String code = app.activeCampaign(t, SMS_CAMPAIGN).get("code").asText();
        JsonNode renamed = app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"name\":\"After\"}").expect(200).json();
        assertThat(renamed.get("name").asText()).isEqualTo("After");
        assertThat(renamed.get("messageLimit").asLong()).isEqualTo(100);
        assertThat(renamed.get("allowedCountries")).extracting(JsonNode::asText).containsExactly("GR");

        // a US number is refused while only GR is allowed, and taken once US is
        String us = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"+12015550123\"}]}";
        assertError(app.tenant("POST", "/v1/messages", t.apiKey(), us), 400, 2003);
        app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"allowedCountries\":[\"US\",\"GR\"]}").expect(200);
        app.tenant("POST", "/v1/messages", t.apiKey(), us).expect(200);

        // the message limit: one sent, a limit of 1 leaves none; null removes the limit
        JsonNode limited = app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"messageLimit\":1}").expect(200).json();
        assertThat(limited.get("messagesSent").asLong()).isEqualTo(1);
        assertError(app.tenant("POST", "/v1/messages", t.apiKey(), us), 400, 2102);
        JsonNode unlimited = app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"messageLimit\":null}").expect(200).json();
        assertThat(unlimited.get("messageLimit").isNull()).isTrue();
        app.tenant("POST", "/v1/messages", t.apiKey(), us).expect(200);

        // the rate-limit override
        JsonNode slow = app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"requestsPerSecond\":1}").expect(200).json();
        assertThat(slow.get("requestsPerSecond").asInt()).isEqualTo(1);
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            refused += app.tenant("GET", "/v1/webhook", t.apiKey(), null).status() == 429 ? 1 : 0;
        }
        assertThat(refused).isPositive();
        assertThat(app.admin("PATCH", "/admin/accounts/" + t.accountId(), "{\"requestsPerSecond\":null}").expect(200).json()
                .get("requestsPerSecond").isNull()).isTrue();
    }

    @Test
    void badChangesAreRefusedAndChangeNothing() {
        Tenant t = app.newTenant("{\"name\":\"Steady\",\"messageLimit\":7}", true);
        String path = "/admin/accounts/" + t.accountId();
        assertError(app.admin("PATCH", path, "{\"messagelimit\":1}"), 400, 2001);
        assertError(app.admin("PATCH", path, "{\"messageLimit\":-1,\"name\":\"X\"}"), 400, 2001);
        assertError(app.admin("PATCH", path, "{\"name\":\"\"}"), 400, 2001);
        assertError(app.admin("PATCH", path, "{\"allowedCountries\":[\"XX\"]}"), 400, 2001);
        assertError(app.admin("PATCH", path, "{\"requestsPerSecond\":0}"), 400, 2001);
        assertError(app.admin("PATCH", path, "{\"disabled\":\"yes\"}"), 400, 1001);
        assertError(app.admin("PATCH", path, "{\"messageLimit\":\"7\"}"), 400, 1001);
        assertError(app.admin("PATCH", path, "not json"), 400, 1001);
        assertError(app.admin("PATCH", "/admin/accounts/999999", "{\"name\":\"X\"}"), 404, 1003);
        assertError(app.send("PATCH", path, "application/json", "{\"disabled\":true}", Map.of()), 401, 1002);
        JsonNode now = app.admin("GET", path, null).expect(200).json();
        assertThat(now.get("name").asText()).isEqualTo("Steady");
        assertThat(now.get("messageLimit").asLong()).isEqualTo(7);
        assertThat(now.get("disabled").asBoolean()).isFalse();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
