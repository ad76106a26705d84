package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/messages} and {@code GET /v1/messages/{id}} of the CO-SENDER dialect (seed 001, SPEC §2–3),
 * against the real application over HTTP.
 */
class CoSenderMessagesTest {
    static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000";
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    static Path data;
    static HeraldApp app;

    /** One tenant with an active EMAIL and SMS campaign, shared by the tests that only read or fail. */
    static Tenant tenant;
    static String emailCode;
    static String smsCode;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of());
        tenant = app.newTenant("{\"name\":\"Acme\"}", true);
        emailCode = app.activeCampaign(tenant, emailCampaign("Hello %recipient.first_name%")).get("code").asText();
        smsCode = app.activeCampaign(tenant, smsCampaign("Your code is %recipient.code%")).get("code").asText();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    // --- the answer -----------------------------------------------------------------------

    @Test
    void answersOneEntryPerMessageInRequestOrderWithOkWarningAndError() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Mix\"}", true);
        String code = app.activeCampaign(t, "{\"name\":\"mix\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"Hi %recipient.first_name%\",\"text\":\"Hello %recipient.first_name% (%recipient.email%),"
                + " %recipient.zip% %recipient.city%\"}").get("code").asText();

        List<String> recipients = List.of("jane@example.com", "not-an-email", "joe@example.com",
                "a@b.com\r\nBcc: x@y.com", "13108713613");
        ArrayNode messages = HeraldApp.JSON.createArrayNode();
        messages.add(message(recipients.get(0), Map.of("first_name", "Jane", "zip", "10115", "city", "Berlin", "unused", "x")));
        messages.add(message(recipients.get(1), Map.of("first_name", "Nobody")));
        messages.add(message(recipients.get(2), Map.of("first_name", "Joe")));
        messages.add(message(recipients.get(3), Map.of("first_name", "Eve")));
        messages.add(message(recipients.get(4), Map.of("first_name", "Phone")));
        JsonNode answer = send(t.apiKey(), request(code, messages)).expect(200).json();

        assertThat(fieldNames(answer)).containsExactlyInAnyOrder("code", "messages");
        assertThat(answer.get("code").asText()).isEqualTo(code);
        JsonNode entries = answer.get("messages");
        assertThat(entries).hasSize(5);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(fieldNames(entries.get(i))).containsExactlyInAnyOrder("messageId", "recipient", "status", "message");
            assertThat(entries.get(i).get("recipient").asText()).isEqualTo(recipients.get(i));
        }
        assertEntry(entries.get(0), "OK", "OK");
        assertEntry(entries.get(1), "ERROR", "Invalid recipient email");
        assertEntry(entries.get(2), "WARNING", "Missing parameters: city, zip");
        assertEntry(entries.get(3), "ERROR", "Invalid recipient email");
        assertEntry(entries.get(4), "ERROR", "Invalid recipient email");

        String okId = entries.get(0).get("messageId").asText();
        String warningId = entries.get(2).get("messageId").asText();
        assertThat(okId).matches(UUID_PATTERN).isNotEqualTo(warningId);
        assertThat(warningId).matches(UUID_PATTERN);
        assertThat(UUID.fromString(okId)).isNotNull();

        // a 200 means the accepted messages are stored
        for (String id : List.of(okId, warningId)) {
            JsonNode stored = app.tenant("GET", "/v1/messages/" + id, t.apiKey(), null).expect(200).json();
            assertThat(stored.get("messageId").asText()).isEqualTo(id);
            assertThat(stored.get("channel").asText()).isEqualTo("EMAIL");
        }
        assertThat(app.tenant("GET", "/v1/messages/" + warningId, t.apiKey(), null).json().get("recipient").asText())
                .isEqualTo("joe@example.com");

        // OK and WARNING messages are both sent
        JsonNode ok = app.awaitStatus(t, okId, "DELIVERED");
        assertThat(ok.get("recipient").asText()).isEqualTo("jane@example.com");
        assertThat(ok.get("events")).extracting(e -> e.get("status").asText())
                .containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        JsonNode warning = app.awaitStatus(t, warningId, "DELIVERED");
        assertThat(warning.get("events")).extracting(e -> e.get("status").asText()).contains("ACCEPTED", "DELIVERED");
        for (JsonNode event : warning.get("events")) {
            assertThat(event.get("at").asText()).matches(TIMESTAMP);
        }

        // the placeholder without a value stays in the stored and sent text as written; the others are filled in
        assertThat(storedText(warningId)).isEqualTo("Hello Joe (joe@example.com), %recipient.zip% %recipient.city%");
        assertThat(sandboxBody(warningId)).isEqualTo("Hello Joe (joe@example.com), %recipient.zip% %recipient.city%");
        assertThat(storedText(okId)).isEqualTo("Hello Jane (jane@example.com), 10115 Berlin");

        // only accepted messages count against the account
        assertThat(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json().get("messagesSent").asLong())
                .isEqualTo(2);
    }

    @Test
    void acceptsCharsetInContentTypeAndUpToTenMessages() {
        Tenant t = app.newTenant("{\"name\":\"Ten\"}", true);
        String code = app.activeCampaign(t, emailCampaign("Hi")).get("code").asText();
        ArrayNode messages = HeraldApp.JSON.createArrayNode();
        for (int i = 0; i < 10; i++) {
            messages.add(message("user" + i + "@example.com", Map.of()));
        }
        Response r = app.send("POST", "/v1/messages", "application/json; charset=UTF-8", request(code, messages),
                Map.of("Authorization", HeraldApp.basic(t.apiKey()), "Accept", "application/json"));
        JsonNode answer = r.expect(200).json();
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(answer.get("messages")).hasSize(10);
        for (int i = 0; i < 10; i++) {
            JsonNode entry = answer.get("messages").get(i);
            assertThat(entry.get("recipient").asText()).isEqualTo("user" + i + "@example.com");
            assertEntry(entry, "OK", "OK");
            app.tenant("GET", "/v1/messages/" + entry.get("messageId").asText(), t.apiKey(), null).expect(200);
        }
    }

    @Test
    void smsRecipientsAreValidatedAgainstTheAccountCountriesAndStoredAsE164() {
        Tenant greek = app.newTenant("{\"name\":\"Hellas\",\"allowedCountries\":[\"GR\"]}", true);
        String code = app.activeCampaign(greek, smsCampaign("Hi %recipient.first_name%")).get("code").asText();
        ArrayNode messages = HeraldApp.JSON.createArrayNode();
        messages.add(message("6936862208", Map.of("first_name", "Nikos")));
        messages.add(message("1936862208", Map.of("first_name", "X")));
        messages.add(message("13108713613", Map.of("first_name", "Outside")));
        messages.add(message("jane@example.com", Map.of("first_name", "Mail")));
        messages.add(message("+30 693-686.2208", Map.of()));
        JsonNode entries = send(greek.apiKey(), request(code, messages)).expect(200).json().get("messages");
        assertThat(entries).hasSize(5);
        assertEntry(entries.get(0), "OK", "OK");
        assertThat(entries.get(0).get("recipient").asText()).isEqualTo("6936862208");
        assertEntry(entries.get(1), "ERROR", "Invalid recipient phone number");
        assertEntry(entries.get(2), "ERROR", "Invalid recipient phone number");
        assertEntry(entries.get(3), "ERROR", "Invalid recipient phone number");
        assertEntry(entries.get(4), "WARNING", "Missing parameters: first_name");

        String id = entries.get(0).get("messageId").asText();
        JsonNode stored = app.tenant("GET", "/v1/messages/" + id, greek.apiKey(), null).expect(200).json();
        assertThat(stored.get("recipient").asText()).isEqualTo("+306936862208");
        assertThat(stored.get("channel").asText()).isEqualTo("SMS");
        assertThat(app.awaitStatus(greek, id, "DELIVERED").get("recipient").asText()).isEqualTo("+306936862208");
        assertThat(app.tenant("GET", "/v1/messages/" + entries.get(4).get("messageId").asText(), greek.apiKey(), null)
                .expect(200).json().get("recipient").asText()).isEqualTo("+306936862208");
    }

    @Test
    void usNumberIsValidForAnAccountWithEveryCountry() {
        JsonNode entry = send(tenant.apiKey(), "{\"code\":\"" + smsCode + "\",\"messages\":[{\"recipient\":\"13108713613\","
                + "\"parameters\":{\"code\":\"1234\"}}]}").expect(200).json().at("/messages/0");
        assertEntry(entry, "OK", "OK");
        assertThat(entry.get("recipient").asText()).isEqualTo("13108713613");
        JsonNode stored = app.tenant("GET", "/v1/messages/" + entry.get("messageId").asText(), tenant.apiKey(), null)
                .expect(200).json();
        assertThat(stored.get("recipient").asText()).isEqualTo("+13108713613");
        app.awaitStatus(tenant, entry.get("messageId").asText(), "DELIVERED");
    }

    @Test
    void getMessageAnswersTheDocumentedShape() {
        JsonNode entry = send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"ann@example.com\","
                + "\"parameters\":{\"first_name\":\"Ann\"}}]}").expect(200).json().at("/messages/0");
        String id = entry.get("messageId").asText();
        JsonNode m = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(fieldNames(m)).containsExactlyInAnyOrder("messageId", "recipient", "channel", "status", "dispatchId", "content",
                "events");
        assertThat(fieldNames(m.get("content"))).containsExactly("from", "replyTo", "subject", "text", "html");
        assertThat(m.get("messageId").asText()).isEqualTo(id);
        assertThat(m.get("dispatchId").isIntegralNumber()).as(m.toString()).isTrue();
        for (JsonNode event : m.get("events")) {
            assertThat(fieldNames(event)).containsExactlyInAnyOrder("status", "at", "detail");
            assertThat(event.get("at").asText()).matches(TIMESTAMP);
        }
    }

    @Test
    void campaignTagsTakeCampaignDefaultsOverriddenByParameters() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Tags\"}", true);
        String code = app.activeCampaign(t, "{\"name\":\"tags\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"News\",\"text\":\"${permission_reminder} | ${unsubscribe} | ${company_address}\","
                + "\"permissionReminder\":\"You signed up\",\"unsubscribeUrl\":\"https://acme.com/u\"}").get("code").asText();
        ArrayNode messages = HeraldApp.JSON.createArrayNode();
        messages.add(message("a@example.com", Map.of("company_address", "1 Main St")));
        messages.add(message("b@example.com", Map.of("permission_reminder", "Custom reminder")));
        JsonNode entries = send(t.apiKey(), request(code, messages)).expect(200).json().get("messages");
        assertEntry(entries.get(0), "OK", "OK");
        assertEntry(entries.get(1), "WARNING", "Missing parameters: company_address");
        assertThat(storedText(entries.get(0).get("messageId").asText()))
                .isEqualTo("You signed up | https://acme.com/u | 1 Main St");
        assertThat(storedText(entries.get(1).get("messageId").asText()))
                .isEqualTo("Custom reminder | https://acme.com/u | ${company_address}");
    }

    @Test
    void valuesAreHtmlEscapedInHtmlAndStrippedOfLineBreaksInTheSubject() throws Exception {
        Tenant t = app.newTenant("{\"name\":\"Escape\"}", true);
        String code = app.activeCampaign(t, "{\"name\":\"esc\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"Hi %recipient.first_name%\",\"html\":\"<p>Hi %recipient.first_name%</p>\","
                + "\"text\":\"Hi %recipient.first_name%\"}").get("code").asText();
        String name = "<b>Tom</b> & \"Jerry\"\r\nBcc: x@y.com";
        JsonNode entry = send(t.apiKey(), request(code, HeraldApp.JSON.createArrayNode()
                .add(message("tom@example.com", Map.of("first_name", name))))).expect(200).json().at("/messages/0");
        assertEntry(entry, "OK", "OK");
        String id = entry.get("messageId").asText();
        assertThat(queryString("SELECT body_html FROM message WHERE id = ?", id))
                .isEqualTo("<p>Hi &lt;b&gt;Tom&lt;/b&gt; &amp; &quot;Jerry&quot;\r\nBcc: x@y.com</p>");
        assertThat(queryString("SELECT subject FROM message WHERE id = ?", id))
                .doesNotContain("\r").doesNotContain("\n").startsWith("Hi <b>Tom</b>");
        assertThat(storedText(id)).isEqualTo("Hi " + name);
        app.awaitStatus(t, id, "DELIVERED");
    }

    @Test
    void smsDerivesPhoneNumberParameter() throws Exception {
        String code = app.activeCampaign(tenant, smsCampaign("Sent to %recipient.phone_number%")).get("code").asText();
        JsonNode entry = send(tenant.apiKey(), "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"+1 (310) 871-3613\"}]}")
                .expect(200).json().at("/messages/0");
        assertEntry(entry, "OK", "OK");
        assertThat(entry.get("recipient").asText()).isEqualTo("+1 (310) 871-3613");
        assertThat(storedText(entry.get("messageId").asText())).isEqualTo("Sent to +13108713613");
    }

    // --- 1001 general error ---------------------------------------------------------------

    @Test
    void missingContentTypeIs1001() {
        Response r = app.send("POST", "/v1/messages", null, validBody(), Map.of("Authorization", HeraldApp.basic(tenant.apiKey())));
        assertError(r, 400, 1001);
    }

    @Test
    void textPlainIs1001() {
        assertError(app.send("POST", "/v1/messages", "text/plain", validBody(),
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 400, 1001);
    }

    @Test
    void anotherJsonLikeMediaTypeIs1001() {
        assertError(app.send("POST", "/v1/messages", "application/jsonx", validBody(),
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 400, 1001);
        assertError(app.send("POST", "/v1/messages", "application/json-seq", validBody(),
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 400, 1001);
    }

    @Test
    void malformedJsonIs1001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":"), 400, 1001);
        assertError(send(tenant.apiKey(), "not json at all"), 400, 1001);
    }

    @Test
    void jsonArrayBodyIs1001() {
        assertError(send(tenant.apiKey(), "[" + validBody() + "]"), 400, 1001);
    }

    @Test
    void messagesNotAnArrayIs1001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":{\"recipient\":\"a@example.com\"}}"),
                400, 1001);
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":\"a@example.com\"}"), 400, 1001);
    }

    @Test
    void codeAsNumberIs1001() {
        assertError(send(tenant.apiKey(), "{\"code\":12345,\"messages\":[{\"recipient\":\"a@example.com\"}]}"), 400, 1001);
    }

    @Test
    void wrongTypesInsideMessagesAre1001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[\"a@example.com\"]}"), 400, 1001);
        assertError(send(tenant.apiKey(), "{\"code\":\"" + smsCode + "\",\"messages\":[{\"recipient\":13108713613}]}"), 400, 1001);
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"a@example.com\","
                + "\"parameters\":{\"first_name\":{\"nested\":true}}}]}"), 400, 1001);
    }

    @Test
    void parametersAsStringIs1001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"a@example.com\","
                + "\"parameters\":\"first_name=John\"}]}"), 400, 1001);
    }

    // --- 1002 unauthorized ----------------------------------------------------------------

    @Test
    void noAuthorizationIs1002() {
        assertError(app.send("POST", "/v1/messages", "application/json", validBody(), Map.of()), 401, 1002);
    }

    @Test
    void wrongUserNameIs1002() {
        String header = "Basic " + Base64.getEncoder().encodeToString(("user:" + tenant.apiKey()).getBytes(StandardCharsets.UTF_8));
        assertError(app.send("POST", "/v1/messages", "application/json", validBody(), Map.of("Authorization", header)), 401, 1002);
    }

    @Test
    void unknownKeyIs1002() {
        assertError(send("key_00000000000000000000000000", validBody()), 401, 1002);
        assertError(app.send("POST", "/v1/messages", "application/json", validBody(),
                Map.of("Authorization", "Bearer " + tenant.apiKey())), 401, 1002);
    }

    @Test
    void revokedKeyIs1002AtOnce() {
        Tenant t = app.newTenant("{\"name\":\"Revoked\"}", true);
        String code = app.activeCampaign(t, emailCampaign("Hi")).get("code").asText();
        String body = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}";
        send(t.apiKey(), body).expect(200);
        app.admin("DELETE", "/admin/accounts/" + t.accountId() + "/keys/" + t.keyId(), null).expect(204);
        assertError(send(t.apiKey(), body), 401, 1002);
    }

    // --- 1003 not found -------------------------------------------------------------------

    @Test
    void unknownMessageIdIs1003() {
        assertError(app.tenant("GET", "/v1/messages/" + UUID.randomUUID(), tenant.apiKey(), null), 404, 1003);
        assertError(app.tenant("GET", "/v1/messages/not-a-uuid", tenant.apiKey(), null), 404, 1003);
    }

    @Test
    void anotherAccountsMessageIs1003() {
        String id = send(tenant.apiKey(), validBody()).expect(200).json().at("/messages/0/messageId").asText();
        Tenant other = app.newTenant("{\"name\":\"Other\"}", true);
        assertError(app.tenant("GET", "/v1/messages/" + id, other.apiKey(), null), 404, 1003);
        app.tenant("GET", "/v1/messages/" + id, tenant.apiKey(), null).expect(200);
    }

    // --- 2001 invalid or missing field ----------------------------------------------------

    @Test
    void missingCodeIs2001() {
        assertError(send(tenant.apiKey(), "{\"messages\":[{\"recipient\":\"a@example.com\"}]}"), 400, 2001);
    }

    @Test
    void missingMessagesIs2001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\"}"), 400, 2001);
    }

    @Test
    void emptyMessagesIs2001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[]}"), 400, 2001);
    }

    @Test
    void missingRecipientIs2001() {
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"parameters\":{\"a\":\"b\"}}]}"),
                400, 2001);
        assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"a@example.com\"},"
                + "{\"recipient\":\"\"}]}"), 400, 2001);
    }

    @Test
    void aMessageTooLongToStoreIsRejectedNotAnInternalError() {
        Tenant t = app.newTenant("{\"name\":\"Long\"}", true);
        String code = app.activeCampaign(t, "{\"name\":\"long\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"Order %recipient.items%\",\"text\":\"Hi %recipient.body%\"}").get("code").asText();
        ArrayNode messages = HeraldApp.JSON.createArrayNode();
        messages.add(message("a@example.com", Map.of("items", "i".repeat(3000), "body", "ok")));
        messages.add(message("b@example.com", Map.of("items", "short", "body", "ok")));
        messages.add(message("c@example.com", Map.of("items", "short", "body", "b".repeat(1_000_001))));
        JsonNode entries = send(t.apiKey(), request(code, messages)).expect(200).json().get("messages");
        assertThat(entries.get(0).get("status").asText()).isEqualTo("ERROR");
        assertThat(entries.get(0).get("message").asText()).contains("subject");
        assertThat(entries.get(0).get("messageId") == null || entries.get(0).get("messageId").isNull()).isTrue();
        assertEntry(entries.get(1), "OK", "OK");
        assertThat(entries.get(2).get("status").asText()).isEqualTo("ERROR");
        assertThat(entries.get(2).get("message").asText()).contains("text");
        app.awaitStatus(t, entries.get(1).get("messageId").asText(), "DELIVERED");

        assertError(send(t.apiKey(), request(code, HeraldApp.JSON.createArrayNode()
                .add(message("a@example.com", Map.of("items", "i".repeat(3000), "body", "ok"))))), 400, 2001);
        assertThat(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json().get("messagesSent").asLong())
                .isEqualTo(1);
    }

    // --- 2002 too many messages -----------------------------------------------------------

    @Test
    void elevenMessagesIs2002() {
        ArrayNode messages = HeraldApp.JSON.createArrayNode();
        for (int i = 0; i < 11; i++) {
            messages.add(message("user" + i + "@example.com", Map.of()));
        }
        assertError(send(tenant.apiKey(), request(emailCode, messages)), 400, 2002);
    }

    // --- 2003 / 2004 every message rejected -----------------------------------------------

    @Test
    void allInvalidPhoneNumbersIs2003() {
        JsonNode e = assertError(send(tenant.apiKey(), "{\"code\":\"" + smsCode + "\",\"messages\":[{\"recipient\":\"12\"},"
                + "{\"recipient\":\"+999123456789\"}]}"), 400, 2003);
        assertThat(e.get("message").asText()).isEqualTo("Invalid recipient phone number");
    }

    @Test
    void emailAddressToAnSmsCampaignIs2003() {
        JsonNode e = assertError(send(tenant.apiKey(), "{\"code\":\"" + smsCode + "\",\"messages\":[{\"recipient\":\"jane@example.com\"}]}"),
                400, 2003);
        assertThat(e.get("message").asText()).isEqualTo("Invalid recipient phone number");
    }

    @Test
    void allInvalidEmailsIs2004() {
        JsonNode e = assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"no-at-sign\"},"
                + "{\"recipient\":\"a@b.com\\r\\nBcc: x@y.com\"},{\"recipient\":\"Jane <jane@example.com>\"}]}"), 400, 2004);
        assertThat(e.get("message").asText()).isEqualTo("Invalid recipient email");
    }

    @Test
    void phoneNumberToAnEmailCampaignIs2004() {
        JsonNode e = assertError(send(tenant.apiKey(), "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"13108713613\"}]}"),
                400, 2004);
        assertThat(e.get("message").asText()).isEqualTo("Invalid recipient email");
    }

    // --- 2005 unknown campaign ------------------------------------------------------------

    @Test
    void unknownCampaignCodeIs2005() {
        assertError(send(tenant.apiKey(), "{\"code\":\"zzzzzzzzzzzzz\",\"messages\":[{\"recipient\":\"a@example.com\"}]}"),
                404, 2005);
    }

    @Test
    void anotherAccountsCampaignIs2005() {
        Tenant other = app.newTenant("{\"name\":\"Other campaign owner\"}", true);
        String foreign = app.activeCampaign(other, emailCampaign("Hi")).get("code").asText();
        assertError(send(tenant.apiKey(), "{\"code\":\"" + foreign + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}"),
                404, 2005);
        // another account's inactive campaign is just as unknown: its state is not revealed
        String foreignDraft = app.tenant("POST", "/v1/campaigns", other.apiKey(), emailCampaign("Hi")).expect(201).json()
                .get("code").asText();
        assertError(send(tenant.apiKey(), "{\"code\":\"" + foreignDraft + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}"),
                404, 2005);
    }

    // --- 2101 campaign inactive -----------------------------------------------------------

    @Test
    void draftCampaignIs2101() {
        String draft = app.tenant("POST", "/v1/campaigns", tenant.apiKey(), emailCampaign("Hi")).expect(201).json()
                .get("code").asText();
        JsonNode e = assertError(send(tenant.apiKey(), "{\"code\":\"" + draft + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}"),
                400, 2101);
        assertThat(e.get("message").asText()).isEqualTo("Campaign is inactive");
    }

    @Test
    void deactivatedCampaignIs2101() {
        String code = app.activeCampaign(tenant, emailCampaign("Hi")).get("code").asText();
        String body = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}";
        send(tenant.apiKey(), body).expect(200);
        app.tenant("POST", "/v1/campaigns/" + code + "/deactivate", tenant.apiKey(), null).expect(200);
        assertError(send(tenant.apiKey(), body), 400, 2101);
    }

    // --- 2102 message limit ---------------------------------------------------------------

    @Test
    void messageLimitStopsAcceptingAt2102() {
        Tenant limited = app.newTenant("{\"name\":\"Limited\",\"messageLimit\":2}", true);
        String code = app.activeCampaign(limited, emailCampaign("Hi")).get("code").asText();
        JsonNode entries = send(limited.apiKey(), "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"a@example.com\"},"
                + "{\"recipient\":\"b@example.com\"},{\"recipient\":\"c@example.com\"}]}").expect(200).json().get("messages");
        assertThat(entries).hasSize(3);
        assertEntry(entries.get(0), "OK", "OK");
        assertEntry(entries.get(1), "OK", "OK");
        assertEntry(entries.get(2), "ERROR", "Account message limit is reached");
        assertThat(entries.get(2).get("recipient").asText()).isEqualTo("c@example.com");
        app.awaitStatus(limited, entries.get(0).get("messageId").asText(), "DELIVERED");
        app.awaitStatus(limited, entries.get(1).get("messageId").asText(), "DELIVERED");

        JsonNode e = assertError(send(limited.apiKey(), "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"d@example.com\"}]}"),
                400, 2102);
        assertThat(e.get("message").asText()).isEqualTo("Account message limit is reached");
        assertThat(app.admin("GET", "/admin/accounts/" + limited.accountId(), null).expect(200).json().get("messagesSent").asLong())
                .isEqualTo(2);
    }

    // --- 1000 internal error --------------------------------------------------------------

    @Test
    void storageFailureIs1000(@TempDir Path brokenData) throws Exception {
        try (HeraldApp broken = HeraldApp.start(brokenData, Map.of())) {
            Tenant t = broken.newTenant("{\"name\":\"Broken\"}", true);
            String code = broken.activeCampaign(t, emailCampaign("Hi")).get("code").asText();
            String body = "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\"a@example.com\"}]}";
            DataSource ds = broken.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            execute(ds, "ALTER TABLE message RENAME TO message_broken");
            Response r;
            try {
                r = broken.tenant("POST", "/v1/messages", t.apiKey(), body);
            } finally {
                execute(ds, "ALTER TABLE message_broken RENAME TO message");
            }
            JsonNode e = assertError(r, 500, 1000, "SYSTEM");
            assertThat(e.get("message").asText()).isEqualTo("Internal system error");
            assertThat(e.get("error").asText()).isEqualTo("Internal Server Error");
            assertThat(r.body()).doesNotContain("message_broken").doesNotContainIgnoringCase("sql");

            // nothing of the failed call was kept: the limit is untouched and the next call works
            assertThat(broken.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json().get("messagesSent").asLong())
                    .isZero();
            String id = broken.tenant("POST", "/v1/messages", t.apiKey(), body).expect(200).json().at("/messages/0/messageId").asText();
            broken.awaitStatus(t, id, "DELIVERED");
        }
    }

    // --- helpers --------------------------------------------------------------------------

    static String emailCampaign(String text) {
        return "{\"name\":\"email\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"Hi\",\"text\":"
                + HeraldApp.JSON.valueToTree(text) + "}";
    }

    static String smsCampaign(String text) {
        return "{\"name\":\"sms\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":" + HeraldApp.JSON.valueToTree(text) + "}";
    }

    static ObjectNode message(String recipient, Map<String, String> parameters) {
        ObjectNode m = HeraldApp.JSON.createObjectNode();
        m.put("recipient", recipient);
        if (!parameters.isEmpty()) {
            ObjectNode p = m.putObject("parameters");
            parameters.forEach(p::put);
        }
        return m;
    }

    static String request(String code, ArrayNode messages) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        body.set("messages", messages);
        return body.toString();
    }

    static String validBody() {
        return "{\"code\":\"" + emailCode + "\",\"messages\":[{\"recipient\":\"valid@example.com\","
                + "\"parameters\":{\"first_name\":\"Val\"}}]}";
    }

    static Response send(String apiKey, String body) {
        return app.tenant("POST", "/v1/messages", apiKey, body);
    }

    static void assertEntry(JsonNode entry, String status, String message) {
        assertThat(entry.get("status").asText()).as(entry.toString()).isEqualTo(status);
        assertThat(entry.get("message").asText()).as(entry.toString()).isEqualTo(message);
        if ("ERROR".equals(status)) {
            assertThat(entry.get("messageId") == null || entry.get("messageId").isNull()).as(entry.toString()).isTrue();
        } else {
            assertThat(entry.get("messageId").asText()).as(entry.toString()).matches(UUID_PATTERN);
        }
    }

    /** Asserts the seed-001 error object, exactly its six fields, and answers it. */
    static JsonNode assertError(Response r, int httpStatus, int code) {
        return assertError(r, httpStatus, code, "CLIENT");
    }

    static JsonNode assertError(Response r, int httpStatus, int code, String type) {
        assertThat(r.status()).as(r.body()).isEqualTo(httpStatus);
        assertThat(r.header("Content-Type")).as("Content-Type").startsWith("application/json");
        JsonNode e = r.json();
        assertThat(fieldNames(e)).as(r.body()).containsExactlyInAnyOrder("type", "code", "status", "timestamp", "error", "message");
        assertThat(e.get("type").asText()).as(r.body()).isEqualTo(type);
        assertThat(e.get("code").isInt()).as(r.body()).isTrue();
        assertThat(e.get("code").asInt()).as(r.body()).isEqualTo(code);
        assertThat(e.get("status").isInt()).as(r.body()).isTrue();
        assertThat(e.get("status").asInt()).as(r.body()).isEqualTo(httpStatus);
        assertThat(e.get("timestamp").asText()).as(r.body()).matches(TIMESTAMP);
        assertThat(e.get("error").asText()).as(r.body()).isEqualTo(reason(httpStatus));
        assertThat(e.get("message").isTextual()).as(r.body()).isTrue();
        assertThat(e.get("message").asText()).as(r.body()).isNotBlank();
        return e;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            default -> throw new IllegalArgumentException("no reason phrase for " + status);
        };
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void execute(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String storedText(String messageId) throws Exception {
        return queryString("SELECT body_text FROM message WHERE id = ?", messageId);
    }

    private static String sandboxBody(String messageId) throws Exception {
        return queryString("SELECT body FROM sandbox_delivery WHERE message_id = ?", messageId);
    }

    private static String queryString(String sql, String param) throws Exception {
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql + " " + param).isTrue();
                return rs.getString(1);
            }
        }
    }
}
