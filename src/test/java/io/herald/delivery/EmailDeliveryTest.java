package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.Smtp;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EMAIL delivery end to end: the real application renders a campaign and hands it to a real SMTP server
 * (GreenMail), and the test reads what that server received.
 */
class EmailDeliveryTest {
    static final int SMTP_PORT = HeraldApp.freePort();
    @RegisterExtension
    @Order(1)
    static final GreenMailExtension greenMail = Smtp.perClass(SMTP_PORT);
    @RegisterExtension
    @Order(2)
    static final HeraldApp app = HeraldApp.perClass(port -> Map.of(
            "herald.smtp.host", "127.0.0.1",
            "herald.smtp.port", String.valueOf(SMTP_PORT),
            "herald.public-url", "http://localhost:" + port));
    static Tenant tenant;

    @BeforeAll
    static void start() {
        tenant = app.newTenant("{\"name\":\"Mailer\"}", false);
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }

    // --- headers, parts, events ----------------------------------------------------------------------

    @Test
    void htmlAndTextCampaignArrivesAsMultipartAlternativeWithRenderedHeaders() throws Exception {
        String code = campaign(Map.of(
                "from", "news@acme.com",
                "replyTo", "support@acme.com",
                "subject", "Hello %recipient.first_name%, your order %recipient.order%",
                "html", "<p>Dear %recipient.first_name%, order <b>%recipient.order%</b></p>",
                "text", "Dear %recipient.first_name%, order %recipient.order%"));
        String id = send(code, "jane@example.com", Map.of("first_name", "Jane", "order", "A-17"));

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");

        MimeMessage mail = receivedOnly();
        assertThat(addresses(mail.getRecipients(Message.RecipientType.TO))).containsExactly("jane@example.com");
        assertThat(addresses(mail.getFrom())).containsExactly("news@acme.com");
        assertThat(addresses(mail.getReplyTo())).containsExactly("support@acme.com");
        assertThat(mail.getSubject()).isEqualTo("Hello Jane, your order A-17");
        assertThat(mail.getHeader("List-Unsubscribe")).isNull();

        assertThat(mail.getContentType()).startsWithIgnoringCase("multipart/alternative");
        MimeMultipart multipart = (MimeMultipart) mail.getContent();
        assertThat(multipart.getCount()).isEqualTo(2);
        BodyPart text = part(multipart, "text/plain");
        BodyPart html = part(multipart, "text/html");
        assertThat(text).as("text/plain part").isNotNull();
        assertThat(html).as("text/html part").isNotNull();
        assertThat(content(text)).isEqualTo("Dear Jane, order A-17");
        assertThat(content(html)).isEqualTo("<p>Dear Jane, order <b>A-17</b></p>");
    }

    @Test
    void textOnlyCampaignArrivesAsASingleTextPart() throws Exception {
        String code = campaign(Map.of(
                "from", "news@acme.com",
                "subject", "Plain %recipient.first_name%",
                "text", "Only text for %recipient.first_name%"));
        String id = send(code, "tom@example.com", Map.of("first_name", "Tom"));
        app.awaitStatus(tenant, id, "DELIVERED");

        MimeMessage mail = receivedOnly();
        assertThat(mail.getSubject()).isEqualTo("Plain Tom");
        assertThat(mail.getReplyTo()).extracting(Address::toString).containsExactly("news@acme.com"); // no Reply-To: From
        assertThat(mail.getHeader("Reply-To")).isNull();
        assertThat(mail.getContentType()).startsWithIgnoringCase("text/plain");
        assertThat(mail.getContent()).isInstanceOf(String.class);
        assertThat(((String) mail.getContent()).trim()).isEqualTo("Only text for Tom");
    }

    @Test
    void parameterValuesAreHtmlEscapedInTheHtmlPartOnly() throws Exception {
        String code = campaign(Map.of(
                "from", "news@acme.com",
                "subject", "Escaping",
                "html", "<p>Hi %recipient.name%</p>",
                "text", "Hi %recipient.name%"));
        String id = send(code, "esc@example.com", Map.of("name", "<script>alert('x')</script> & co"));
        app.awaitStatus(tenant, id, "DELIVERED");

        MimeMultipart multipart = (MimeMultipart) receivedOnly().getContent();
        String html = content(part(multipart, "text/html"));
        String text = content(part(multipart, "text/plain"));
        assertThat(html).isEqualTo("<p>Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>");
        assertThat(html).doesNotContain("<script>");
        assertThat(text).isEqualTo("Hi <script>alert('x')</script> & co");
    }

    @Test
    void lineBreaksInASubjectParameterDoNotInjectHeaders() throws Exception {
        String code = campaign(Map.of(
                "from", "news@acme.com",
                "subject", "Hello %recipient.name%",
                "text", "Body"));
        String id = send(code, "victim@example.com", Map.of("name", "x\r\nBcc: evil@x.com\r\nX-Injected: yes"));
        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");

        MimeMessage mail = receivedOnly();
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("X-Injected")).isNull();
        assertThat(mail.getSubject()).doesNotContain("\r").doesNotContain("\n").startsWith("Hello x");
        assertThat(addresses(mail.getAllRecipients())).containsExactly("victim@example.com");
        assertThat(greenMail.getReceivedMessagesForDomain("x.com")).isEmpty();
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void listUnsubscribeHeaderIsSetOnlyWhenTheCampaignHasAnUnsubscribeUrl() throws Exception {
        String with = campaign(Map.of(
                "from", "news@acme.com",
                "subject", "With",
                "text", "Leave: ${unsubscribe}",
                "unsubscribeUrl", "https://acme.com/unsubscribe?u=42"));
        String id = send(with, "unsub@example.com", Map.of());
        app.awaitStatus(tenant, id, "DELIVERED");
        MimeMessage mail = receivedOnly();
        assertThat(mail.getHeader("List-Unsubscribe")).containsExactly("<https://acme.com/unsubscribe?u=42>");
        assertThat(((String) mail.getContent()).trim()).isEqualTo("Leave: https://acme.com/unsubscribe?u=42");

        greenMail.purgeEmailFromAllMailboxes();
        String without = campaign(Map.of("from", "news@acme.com", "subject", "Without", "text", "Stay"));
        String id2 = send(without, "stay@example.com", Map.of());
        app.awaitStatus(tenant, id2, "DELIVERED");
        assertThat(receivedOnly().getHeader("List-Unsubscribe")).isNull();
    }

    @Test
    void companyAddressTakesTheCampaignDefaultUnlessAParameterOverridesIt() throws Exception {
        String code = campaign(Map.of(
                "from", "news@acme.com",
                "subject", "Address",
                "text", "Sent by ${company_address}",
                "companyAddress", "Acme Ltd, 1 Main St, Springfield"));
        String byDefault = send(code, "default@example.com", Map.of());
        app.awaitStatus(tenant, byDefault, "DELIVERED");
        assertThat(((String) receivedOnly().getContent()).trim()).isEqualTo("Sent by Acme Ltd, 1 Main St, Springfield");

        greenMail.purgeEmailFromAllMailboxes();
        String overridden = send(code, "override@example.com", Map.of("company_address", "Acme GmbH, Hauptstr. 2, Berlin"));
        app.awaitStatus(tenant, overridden, "DELIVERED");
        assertThat(((String) receivedOnly().getContent()).trim()).isEqualTo("Sent by Acme GmbH, Hauptstr. 2, Berlin");
    }

    // --- SMTP down at first ---------------------------------------------------------------------------

    @Test
    void smtpDownAtFirstIsRetriedUntilTheRelayComesUp(@TempDir Path otherData) throws Exception {
        int smtpPort = HeraldApp.freePort();
        int port = HeraldApp.freePort();
        GreenMail late = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        try (HeraldApp down = HeraldApp.start(otherData, port, Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(smtpPort),
                "herald.public-url", "http://localhost:" + port))) {
            Tenant t = down.newTenant("{\"name\":\"Late\"}", false);
            String code = down.activeCampaign(t, "{\"name\":\"late\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"Later\",\"text\":\"Eventually\"}").get("code").asText();
            String id = send(down, t, code, "late@example.com", Map.of());

            // the relay refuses connections: the message stays queued and records its retries
            JsonNode retrying = down.awaitMessage(t, id, m -> retryEvents(m) >= 2, Duration.ofSeconds(20));
            assertThat(retrying.get("status").asText()).isEqualTo("QUEUED");

            late.start();
            JsonNode message = down.awaitStatus(t, id, "DELIVERED");
            assertThat(late.waitForIncomingEmail(5000, 1)).isTrue();
            assertThat(late.getReceivedMessages()).hasSize(1);
            assertThat(addresses(late.getReceivedMessages()[0].getAllRecipients())).containsExactly("late@example.com");
            assertThat(retryEvents(message)).isGreaterThanOrEqualTo(2);
            List<String> statuses = statuses(message);
            assertThat(statuses.get(0)).isEqualTo("ACCEPTED");
            assertThat(statuses.subList(statuses.size() - 2, statuses.size())).containsExactly("SENT", "DELIVERED");
        } finally {
            late.stop();
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static String campaign(Map<String, String> content) {
        ObjectNode json = HeraldApp.JSON.createObjectNode();
        json.put("name", "c-" + UUID.randomUUID());
        json.put("channel", "EMAIL");
        content.forEach(json::put);
        return app.activeCampaign(tenant, json.toString()).get("code").asText();
    }

    private static String send(String code, String recipient, Map<String, String> parameters) {
        return send(app, tenant, code, recipient, parameters);
    }

    static String send(HeraldApp target, Tenant t, String code, String recipient, Map<String, String> parameters) {
        ObjectNode body = HeraldApp.JSON.createObjectNode();
        body.put("code", code);
        ObjectNode message = body.putArray("messages").addObject();
        message.put("recipient", recipient);
        ObjectNode params = message.putObject("parameters");
        parameters.forEach(params::put);
        JsonNode answer = target.tenant("POST", "/v1/messages", t.apiKey(), body.toString()).expect(200).json();
        assertThat(answer.at("/messages/0/status").asText()).as(answer.toString()).isIn("OK", "WARNING");
        return answer.at("/messages/0/messageId").asText();
    }

    /** The one message the relay received since the mailboxes were emptied; delivery is recorded after the relay took it. */
    private static MimeMessage receivedOnly() {
        assertThat(greenMail.waitForIncomingEmail(5000, 1)).as("an email reached the SMTP server").isTrue();
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    static List<String> statuses(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.get("events").forEach(e -> out.add(e.get("status").asText()));
        return out;
    }

    static long retryEvents(JsonNode message) {
        List<JsonNode> events = new ArrayList<>();
        message.get("events").forEach(events::add);
        return events.stream().filter(e -> e.path("detail").asText("").startsWith("retrying")).count();
    }

    static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of()
                : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    private static BodyPart part(MimeMultipart multipart, String type) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart p = multipart.getBodyPart(i);
            if (p.getContentType().toLowerCase().startsWith(type)) {
                return p;
            }
        }
        return null;
    }

    private static String content(BodyPart part) throws Exception {
        assertThat(part).isNotNull();
        return part.getContent().toString().trim();
    }
}
