package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.retention.RetentionRun;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static io.herald.api.CoSenderMessagesTest.assertError;
import static io.herald.api.CoSenderMessagesTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/messages/{id}'s rendered content (until retention erases it) and POST /v1/campaigns/{code}/preview. */
class ContentAndPreviewTest {
    static final String EMAIL = "{\"name\":\"News\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"replyTo\":\"help@acme.com\","
            + "\"subject\":\"Hi %recipient.name%\",\"html\":\"<p>Hi %recipient.name%, ${company_address}</p>\","
            + "\"text\":\"Hi %recipient.name% %recipient.city%\",\"companyAddress\":\"1 Main St\"}";
    static final String SMS = "{\"name\":\"Codes\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":\"Code %recipient.code% for %recipient.phone_number%\"}";

    @TempDir
    static Path data;
    static HeraldApp app;
    static Tenant a;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of("herald.housekeeping.delay-ms", "3600000"));
        a = app.newTenant("{\"name\":\"A\"}", true);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static String send(Tenant t, String code, String recipient, String parameters) {
        return app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + code + "\",\"messages\":[{\"recipient\":\""
                + recipient + "\",\"parameters\":" + parameters + "}]}").expect(200).json().get("messages").get(0)
                .get("messageId").asText();
    }

    @Test
    void aMessageShowsItsRenderedContentUntilRetentionErasesIt() throws Exception {
        String email = app.activeCampaign(a, EMAIL).get("code").asText();
        String sms = app.activeCampaign(a, SMS).get("code").asText();
        String mail = send(a, email, "jane@example.com", "{\"name\":\"<Jane>\"}");
        String text = send(a, sms, "+306936862208", "{\"code\":\"\u0105 42\"}");

        JsonNode m = app.awaitStatus(a, mail, "DELIVERED");
        assertThat(fieldNames(m.get("content"))).containsExactly("from", "replyTo", "subject", "text", "html");
        assertThat(m.get("content").get("from").asText()).isEqualTo("news@acme.com");
        assertThat(m.get("content").get("replyTo").asText()).isEqualTo("help@acme.com");
        assertThat(m.get("content").get("subject").asText()).isEqualTo("Hi <Jane>");
        assertThat(m.get("content").get("html").asText()).isEqualTo("<p>Hi &lt;Jane&gt;, 1 Main St</p>");
        assertThat(m.get("content").get("text").asText()).isEqualTo("Hi <Jane> %recipient.city%");

        JsonNode s = app.awaitStatus(a, text, "DELIVERED");
        assertThat(fieldNames(s.get("content"))).containsExactly("from", "text");
        assertThat(s.get("content").get("text").asText()).isEqualTo("Code \u0105 42 for +306936862208");
        assertThat(s.get("encoding").asText()).isEqualTo("UCS-2");

        // made old honestly (final for longer than herald.retention.message-content), then a retention run
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE message SET updated_at = DATEADD('DAY', -31, updated_at) WHERE id IN (?, ?)")) {
            ps.setString(1, mail);
            ps.setString(2, text);
            assertThat(ps.executeUpdate()).isEqualTo(2);
        }
        RetentionRun run = app.context().createProducerTemplate().requestBody("direct:retention", null, RetentionRun.class);
        assertThat(run.erasedMessages()).isEqualTo(2);
        for (String id : List.of(mail, text)) {
            JsonNode erased = app.tenant("GET", "/v1/messages/" + id, a.apiKey(), null).expect(200).json();
            assertThat(erased.has("content")).as(erased.toString()).isFalse();
            assertThat(erased.has("contentErasedAt")).isTrue();
        }
        // in the list too: no recipient, the time it was erased
        JsonNode listed = app.tenant("GET", "/v1/messages?limit=200", a.apiKey(), null).expect(200).json().get("items");
        for (JsonNode item : listed) {
            if (List.of(mail, text).contains(item.get("messageId").asText())) {
                assertThat(item.has("recipient")).isFalse();
                assertThat(item.get("contentErasedAt").isTextual()).isTrue();
            }
        }
        assertThat(app.tenant("GET", "/v1/messages/" + text, a.apiKey(), null).json().get("encoding").asText()).isEqualTo("UCS-2");
    }

    @Test
    void previewRendersWithTheMissingParameterWarningAndSendsNothing() {
        Tenant t = app.newTenant("{\"name\":\"Preview\"}", false);
        // a draft can be previewed
        String email = app.tenant("POST", "/v1/campaigns", t.apiKey(), EMAIL).expect(201).json().get("code").asText();
        JsonNode p = app.tenant("POST", "/v1/campaigns/" + email + "/preview", t.apiKey(),
                "{\"recipient\":\"jane@example.com\",\"parameters\":{\"name\":\"<b>Jane</b>\"}}").expect(200).json();
        assertThat(fieldNames(p)).containsExactly("code", "channel", "from", "replyTo", "subject", "html", "text",
                "missingParameters", "warning");
        assertThat(p.get("subject").asText()).isEqualTo("Hi <b>Jane</b>");
        assertThat(p.get("html").asText()).isEqualTo("<p>Hi &lt;b&gt;Jane&lt;/b&gt;, 1 Main St</p>");
        assertThat(p.get("text").asText()).isEqualTo("Hi <b>Jane</b> %recipient.city%");
        assertThat(p.get("missingParameters")).extracting(JsonNode::asText).containsExactly("city");
        assertThat(p.get("warning").asText()).isEqualTo("Missing parameters: city");

        JsonNode all = app.tenant("POST", "/v1/campaigns/" + email + "/preview", t.apiKey(),
                "{\"parameters\":{\"name\":\"Jo\",\"city\":\"Athens\",\"company_address\":\"2 High St\"}}").expect(200).json();
        assertThat(all.get("text").asText()).isEqualTo("Hi Jo Athens");
        assertThat(all.get("html").asText()).isEqualTo("<p>Hi Jo, 2 High St</p>");
        assertThat(all.get("missingParameters")).isEmpty();
        assertThat(all.get("warning").isNull()).isTrue();

        // no body at all: every tag without a value stays as written, and is listed
        String sms = app.activeCampaign(t, SMS).get("code").asText();
        JsonNode bare = app.send("POST", "/v1/campaigns/" + sms + "/preview", null, null,
                Map.of("Authorization", HeraldApp.basic(t.apiKey()))).expect(200).json();
        assertThat(bare.get("text").asText()).isEqualTo("Code %recipient.code% for %recipient.phone_number%");
        assertThat(bare.get("missingParameters")).extracting(JsonNode::asText).containsExactly("code", "phone_number");
        assertThat(bare.get("warning").asText()).isEqualTo("Missing parameters: code, phone_number");
        assertThat(bare.get("encoding").asText()).isEqualTo("GSM-7");
        assertThat(bare.get("segments").asInt()).isEqualTo(1);
        // the recipient fills phone_number, as it does when sending
        JsonNode ucs = app.tenant("POST", "/v1/campaigns/" + sms + "/preview", t.apiKey(),
                "{\"recipient\":\"+306936862208\",\"parameters\":{\"code\":\"\u0105\"}}").expect(200).json();
        assertThat(ucs.get("text").asText()).isEqualTo("Code \u0105 for +306936862208");
        assertThat(ucs.get("encoding").asText()).isEqualTo("UCS-2");
        assertThat(ucs.get("missingParameters")).isEmpty();

        // nothing was sent or counted
        assertThat(app.tenant("GET", "/v1/messages", t.apiKey(), null).expect(200).json().get("items")).isEmpty();
        assertThat(app.admin("GET", "/admin/accounts/" + t.accountId(), null).expect(200).json().get("messagesSent").asLong()).isZero();
    }

    @Test
    void badPreviewsAreRefusedAndOtherTenantsGet404() {
        Tenant t = app.newTenant("{\"name\":\"Owner\"}", false);
        Tenant other = app.newTenant("{\"name\":\"Other\"}", false);
        String code = app.tenant("POST", "/v1/campaigns", t.apiKey(), SMS).expect(201).json().get("code").asText();
        String path = "/v1/campaigns/" + code + "/preview";
        assertError(app.tenant("POST", path, other.apiKey(), "{}"), 404, 1003);
        assertError(app.tenant("POST", "/v1/campaigns/nosuchcode1234/preview", t.apiKey(), "{}"), 404, 1003);
        assertError(app.tenant("POST", path, t.apiKey(), "not json"), 400, 1001);
        assertError(app.tenant("POST", path, t.apiKey(), "{\"parameters\":{\"code\":{\"x\":1}}}"), 400, 1001);
        assertError(app.tenant("POST", path, t.apiKey(), "{\"recipient\":5}"), 400, 1001);
        assertError(app.tenant("POST", path, t.apiKey(), "{\"parameters\":{\"code\":\"a\\u0000b\"}}"), 400, 2001);
        assertError(app.tenant("POST", path, "key_nope", "{}"), 401, 1002);
    }
}
