package io.herald.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.HeraldClient;
import io.herald.support.MessagingApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.herald.support.MessagingApi.assertError;
import static io.herald.support.MessagingApi.count;
import static io.herald.support.MessagingApi.dispatch;
import static io.herald.support.MessagingApi.fieldNames;
import static io.herald.support.MessagingApi.messagesByRecipient;
import static io.herald.support.MessagingApi.recipient;
import static io.herald.support.MessagingApi.recipients;
import static io.herald.support.MessagingApi.request;
import static io.herald.support.MessagingApi.send;
import static io.herald.support.MessagingApi.sendOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/SendMessages} and {@code GET /api/Dispatches/{id}} of the Messaging API (seed 002, SPEC §3),
 * against the real application over HTTP.
 */
class SendMessagesTest {
    /** The seed's own sample request, as written; only its obfuscated email addresses are replaced. */
    static final String SEED_SAMPLE = """
            {
            "templateId":71,
            "scheduleDate":"2016-05-12T10:00:00+03:00",
            "recipients":
            [
            {
            "uniqueId":"CustomerIdA",
            "email":"customer.a@example.com",
            "mobilePhone":"6936862208",
            "password":"ABC123",
            "payload":
            {
            "voucherCode": "SPRING19",
            "voucherAmount": "100 €",
            "expirationDate": "28/09/2019"
            }
            },
            {
            "uniqueId":"CustomerIdB",
            "email":"customer.b@example.com",
            "mobilePhone":"1936862208",
            "password":"XXXYYY",
            "payload":
            {
            "voucherCode": "VIP-SALES",
            "voucherAmount": "200 €",
            "expirationDate": "28/09/2019"
            }
            }
            ]
            }""";

    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of());
    /** A sandbox key of an account that allows Greek numbers only, with an active SMS and EMAIL template. */
    static Tenant tenant;
    static long smsTemplate;
    static long emailTemplate;

    @BeforeAll
    static void start() {
        tenant = app.newTenant("{\"name\":\"Voucher shop\",\"allowedCountries\":[\"GR\"]}", true);
        smsTemplate = app.activeCampaign(tenant, "{\"name\":\"promo\",\"channel\":\"SMS\",\"from\":\"Shop\","
                + "\"text\":\"Code %recipient.voucherCode% for %recipient.voucherAmount%, until %recipient.expirationDate%\"}")
                .get("id").asLong();
        emailTemplate = app.activeCampaign(tenant, "{\"name\":\"mail\",\"channel\":\"EMAIL\",\"from\":\"news@shop.gr\","
                + "\"subject\":\"Hi %recipient.name%\",\"html\":\"<p>%recipient.name%: %recipient.voucherCode%</p>\","
                + "\"text\":\"%recipient.name% (%recipient.email%): %recipient.voucherCode% %recipient.unknown%\"}").get("id").asLong();
    }

    // --- the seed's sample -------------------------------------------------------------------

    @Test
    void theSeedSampleRequestIsAcceptedAsWritten() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonNode answer = sendOk(app, tenant.apiKey(), SEED_SAMPLE.replace("\"templateId\":71", "\"templateId\":" + smsTemplate));
        Instant after = Instant.now();

        assertThat(answer.get("dispatch").isIntegralNumber()).isTrue();
        assertThat(answer.get("totalRecipients").asInt()).isEqualTo(2);
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(1);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(1);
        assertThat(answer.get("invalidEmails")).isEmpty();
        assertThat(answer.get("invalidMobiles").toString()).isEqualTo("[{\"uniqueId\":\"CustomerIdB\",\"mobile\":\"1936862208\"}]");
        // the schedule date is in the past: sent now, echoed in the offset the client used
        OffsetDateTime sendDate = OffsetDateTime.parse(answer.get("sendDate").asText());
        assertThat(answer.get("sendDate").asText()).endsWith("+03:00");
        assertThat(sendDate.toInstant()).isBetween(before, after);

        long dispatchId = answer.get("dispatch").asLong();
        Map<String, String> messages = messagesByRecipient(app, dispatchId);
        assertThat(messages).containsOnlyKeys("+306936862208");
        String id = messages.get("+306936862208");
        app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(MessagingApi.query(app, "SELECT body_text FROM message WHERE id = ?", id).get(0).get(0))
                .isEqualTo("Code SPRING19 for 100 €, until 28/09/2019");

        JsonNode d = MessagingApi.awaitDispatch(app, tenant.apiKey(), dispatchId, x -> x.get("sendStatusId").asInt() == 3);
        assertThat(d.get("dispatchId").asLong()).isEqualTo(dispatchId);
        assertThat(d.get("campaignMessageId").asLong()).isEqualTo(smsTemplate);
        assertThat(d.get("messageTypeId").asInt()).isEqualTo(1);
        assertThat(d.get("totalRecipients").asInt()).isEqualTo(1);
    }

    // --- invalid recipients ------------------------------------------------------------------

    @Test
    void invalidAndMissingEmailsOfAnEmailTemplateAreListedInRequestOrder() {
        ArrayNode list = recipients();
        recipient(list, "u1", "jane@example.com", null);
        recipient(list, "u2", "not-an-email", "+306936862208");
        recipient(list, "u3", null, "+306936862208");
        recipient(list, "u4", "a@b.com\r\nBcc: x@y.com", null);
        recipient(list, "u5", "joe@example.com", "garbage");
        recipient(list, "u6", "", null);
        JsonNode answer = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString());

        assertThat(answer.get("totalRecipients").asInt()).isEqualTo(6);
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(2);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(4);
        assertThat(strings(answer.get("invalidEmails"))).containsExactly("not-an-email", "", "a@b.com\r\nBcc: x@y.com", "");
        assertThat(answer.get("invalidMobiles")).isEmpty();
        assertThat(messagesByRecipient(app, answer.get("dispatch").asLong()))
                .containsOnlyKeys("jane@example.com", "joe@example.com");
    }

    @Test
    void invalidAndMissingMobilesOfAnSmsTemplateAreListedWithTheirUniqueId() {
        ArrayNode list = recipients();
        recipient(list, "ok-national", "a@example.com", "6936862208");
        recipient(list, "ok-international", null, "+30 693 686 2209");
        recipient(list, "landline", null, "+302101234567");
        recipient(list, "us-not-allowed", null, "+13108713613");
        recipient(list, "missing", "only@example.com", null);
        recipient(list, "letters", null, "call me");
        list.addObject().put("uniqueId", "numeric").put("mobilePhone", 306936862210L);
        JsonNode answer = sendOk(app, tenant.apiKey(), request(smsTemplate, null, list).toString());

        assertThat(answer.get("totalRecipients").asInt()).isEqualTo(7);
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(3);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(4);
        assertThat(answer.get("invalidEmails")).isEmpty();
        assertThat(answer.get("invalidMobiles").toString()).isEqualTo("[{\"uniqueId\":\"landline\",\"mobile\":\"+302101234567\"},"
                + "{\"uniqueId\":\"us-not-allowed\",\"mobile\":\"+13108713613\"},{\"uniqueId\":\"missing\",\"mobile\":\"\"},"
                + "{\"uniqueId\":\"letters\",\"mobile\":\"call me\"}]");
        assertThat(messagesByRecipient(app, answer.get("dispatch").asLong()))
                .containsOnlyKeys("+306936862208", "+306936862209", "+306936862210");
    }

    @Test
    void aDuplicateOrMissingUniqueIdMakesTheRecipientInvalidAndTheFirstOccurrenceIsSent() {
        ArrayNode list = recipients();
        recipient(list, "A", "first-a@example.com", null);
        recipient(list, "A", "second-a@example.com", null);
        recipient(list, null, "no-id@example.com", null);
        recipient(list, " ", "blank-id@example.com", null);
        recipient(list, "B", "b@example.com", null);
        recipient(list, "C", "bad-address", null);
        recipient(list, "C", "c@example.com", null);
        list.addObject().put("uniqueId", 42).put("email", "numeric-id@example.com");
        JsonNode answer = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString());

        assertThat(answer.get("totalRecipients").asInt()).isEqualTo(8);
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(3);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(5);
        assertThat(strings(answer.get("invalidEmails")))
                .containsExactly("second-a@example.com", "no-id@example.com", "blank-id@example.com", "bad-address", "c@example.com");
        assertThat(messagesByRecipient(app, answer.get("dispatch").asLong()))
                .containsOnlyKeys("first-a@example.com", "b@example.com", "numeric-id@example.com");
    }

    @Test
    void aCallWithoutAValidRecipientIsRecordedAsAnErrorDispatch() {
        ArrayNode list = recipients();
        recipient(list, "x", "nope", null);
        recipient(list, "y", null, null);
        JsonNode answer = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString());
        assertThat(answer.get("totalRecipientsSent").asInt()).isZero();
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(2);
        assertThat(strings(answer.get("invalidEmails"))).containsExactly("nope", "");

        JsonNode d = dispatch(app, tenant.apiKey(), answer.get("dispatch").asLong()).expect(200).json();
        assertThat(d.get("sendStatusId").asInt()).isEqualTo(7);
        assertThat(d.get("errorMessage").asText()).isEqualTo("No valid recipients");
        assertThat(d.get("totalRecipients").asInt()).isZero();
        assertThat(d.get("hasStartedQueuing").asBoolean()).isFalse();
        assertThat(d.get("isInitialized").asBoolean()).isTrue();
    }

    // --- personalisation ---------------------------------------------------------------------

    @Test
    void payloadKeysFillTheSamePlaceholdersAsCoSenderParameters() {
        ArrayNode list = recipients();
        ObjectNode r = recipient(list, "p1", "Pat@Example.COM", null);
        r.putObject("payload").put("name", "<Pat & Co>").put("voucherCode", 1234).put("ignored", true).putNull("nothing");
        JsonNode answer = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString());
        String id = messagesByRecipient(app, answer.get("dispatch").asLong()).get("Pat@example.com");
        assertThat(id).isNotNull();
        List<Object> row = MessagingApi.query(app, "SELECT subject, body_html, body_text FROM message WHERE id = ?", id).get(0);
        assertThat(row.get(0)).isEqualTo("Hi <Pat & Co>");
        assertThat(row.get(1)).isEqualTo("<p>&lt;Pat &amp; Co&gt;: 1234</p>");
        // the derived email parameter, and a placeholder without a value stays as written
        assertThat(row.get(2)).isEqualTo("<Pat & Co> (Pat@example.com): 1234 %recipient.unknown%");
        app.awaitStatus(tenant, id, "DELIVERED");
    }

    // --- message limit, test dispatches, idempotency -------------------------------------------

    @Test
    void theMessageLimitCutsADispatchAndThen2102() {
        Tenant limited = app.newTenant("{\"name\":\"Limited\",\"messageLimit\":2}", true);
        long template = app.activeCampaign(limited, "{\"name\":\"m\",\"channel\":\"EMAIL\",\"from\":\"a@shop.gr\",\"subject\":\"s\","
                + "\"text\":\"t\"}").get("id").asLong();
        ArrayNode list = recipients();
        recipient(list, "1", "one@example.com", null);
        recipient(list, "2", "bad", null);
        recipient(list, "3", "three@example.com", null);
        recipient(list, "4", "four@example.com", null);
        JsonNode answer = sendOk(app, limited.apiKey(), request(template, null, list).toString());
        assertThat(answer.get("totalRecipientsSent").asInt()).isEqualTo(2);
        assertThat(answer.get("invalidRecipients").asInt()).isEqualTo(2);
        assertThat(strings(answer.get("invalidEmails"))).containsExactly("bad", "four@example.com");

        assertError(send(app, limited.apiKey(), request(template, null, list).toString()), 400, 2102);
        assertThat(app.admin("GET", "/admin/accounts/" + limited.accountId(), null).json().get("messagesSent").asLong())
                .isEqualTo(2);
    }

    @Test
    void dispatchesOfASandboxKeyAreTestDispatches() {
        Tenant live = app.newTenant("{\"name\":\"Live\"}", false);
        long template = app.activeCampaign(live, "{\"name\":\"m\",\"channel\":\"EMAIL\",\"from\":\"a@shop.gr\",\"subject\":\"s\","
                + "\"text\":\"t\"}").get("id").asLong();
        ArrayNode list = recipients();
        recipient(list, "1", "one@example.com", null);
        long liveDispatch = sendOk(app, live.apiKey(), request(template, null, list).toString()).get("dispatch").asLong();
        long testDispatch = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString()).get("dispatch").asLong();
        assertThat(dispatch(app, live.apiKey(), liveDispatch).expect(200).json().get("isTest").asBoolean()).isFalse();
        assertThat(dispatch(app, tenant.apiKey(), testDispatch).expect(200).json().get("isTest").asBoolean()).isTrue();
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswer() {
        ArrayNode list = recipients();
        recipient(list, "1", "idem@example.com", null);
        String body = request(emailTemplate, null, list).toString();
        Map<String, String> headers = Map.of("Authorization", HeraldApp.basic(tenant.apiKey()), "Idempotency-Key", "order-17");
        Response first = app.send("POST", "/api/SendMessages", "application/json", body, headers).expect(200);
        Response again = app.send("POST", "/api/SendMessages", "application/json", body, headers).expect(200);
        assertThat(again.json().get("dispatch")).isEqualTo(first.json().get("dispatch"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(count(app, "SELECT COUNT(*) FROM message WHERE recipient = 'idem@example.com'")).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyCoversTheWholeOfALargeBody() {
        ArrayNode list = recipients();
        for (int i = 0; i < 2000; i++) {
            recipient(list, "big-" + i, "big" + i + "@example.com", null);
        }
        String body = request(emailTemplate, null, list).toString();
        assertThat(body.length()).isGreaterThan(100_000); // larger than what the stream cache keeps in one buffer
        Map<String, String> headers = Map.of("Authorization", HeraldApp.basic(tenant.apiKey()), "Idempotency-Key", "big-order");
        Response first = app.send("POST", "/api/SendMessages", "application/json", body, headers).expect(200);
        assertThat(first.json().get("totalRecipientsSent").asInt()).isEqualTo(2000);

        Response again = app.send("POST", "/api/SendMessages/", "application/json", body, headers).expect(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("dispatch")).isEqualTo(first.json().get("dispatch"));
        // one byte changed at the very end of the body: another request
        String changed = body.substring(0, body.length() - 1) + " }";
        assertError(app.send("POST", "/api/SendMessages", "application/json", changed, headers), 409, 1005);
        MessagingApi.awaitStored(app, first.json().get("dispatch").asLong());
        assertThat(count(app, "SELECT COUNT(*) FROM message WHERE recipient LIKE 'big%@example.com'")).isEqualTo(2000);
    }

    // --- GET /api/Dispatches/{id} ---------------------------------------------------------------

    @Test
    void aDispatchAnswersEveryFieldOfTheSeedSample() {
        ArrayNode list = recipients();
        recipient(list, "1", "d1@example.com", null);
        recipient(list, "2", "d2@example.com", null);
        recipient(list, "3", "invalid", null);
        JsonNode answer = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString());
        long id = answer.get("dispatch").asLong();

        // queuing runs after the answer: the dispatch is Queued once every accepted message was handed to delivery
        JsonNode d = MessagingApi.awaitDispatch(app, tenant.apiKey(), id, x -> x.get("sendStatusId").asInt() == 3);
        assertThat(fieldNames(d)).containsExactlyElementsOf(MessagingApi.DISPATCH_FIELDS);
        assertThat(d.get("dispatchId").asLong()).isEqualTo(id);
        assertThat(d.get("campaignMessageId").asLong()).isEqualTo(emailTemplate);
        assertThat(d.get("scheduleId").isNull()).isTrue();
        assertThat(d.get("messageTypeId").asInt()).isEqualTo(2);
        assertThat(d.get("isTest").asBoolean()).isTrue();
        assertThat(d.get("isInitialized").asBoolean()).isTrue();
        assertThat(d.get("hasStartedQueuing").asBoolean()).isTrue();
        assertThat(d.get("hasFinishedQueuing").asBoolean()).isTrue();
        assertThat(d.get("totalRecipients").asInt()).isEqualTo(2);
        assertThat(d.get("sendStatusId").asInt()).isEqualTo(3);
        assertThat(d.get("errorMessage").isNull()).isTrue();
        assertThat(d.get("legacyCode1").isNull()).isTrue();
        assertThat(d.get("gatewayId").asText()).isEmpty();
        assertThat(d.get("gatewayId1").asText()).isEmpty();

        Instant created = MessagingApi.dispatchTime(d.get("createdAt"));
        Instant started = MessagingApi.dispatchTime(d.get("startedQueuingAt"));
        Instant finished = MessagingApi.dispatchTime(d.get("finishedQueuingAt"));
        Instant sendAt = MessagingApi.dispatchTime(d.get("sendAt"));
        assertThat(created).isBeforeOrEqualTo(started);
        assertThat(started).isBeforeOrEqualTo(finished);
        assertThat(finished).isBeforeOrEqualTo(Instant.now());
        assertThat(Duration.between(created, finished)).isLessThan(Duration.ofSeconds(5));
        assertThat(sendAt).isEqualTo(OffsetDateTime.parse(answer.get("sendDate").asText()).toInstant());
        assertThat(d.get("queueAt")).isEqualTo(d.get("sendAt"));
        assertThat(d.get("creationDate")).isEqualTo(d.get("createdAt"));
        assertThat(d.get("lastUpdate")).isEqualTo(d.get("modifiedDate"));
        assertThat(MessagingApi.dispatchTime(d.get("lastUpdate"))).isEqualTo(finished);
        // without a schedule date the send time is the time of the call, in UTC
        assertThat(answer.get("sendDate").asText()).endsWith("+00:00");
    }

    @Test
    void anotherAccountsDispatchIsNotFound() {
        ArrayNode list = recipients();
        recipient(list, "1", "mine@example.com", null);
        long id = sendOk(app, tenant.apiKey(), request(emailTemplate, null, list).toString()).get("dispatch").asLong();
        Tenant other = app.newTenant("{\"name\":\"Other\"}", true);
        assertError(dispatch(app, other.apiKey(), id), 404, 1003);
        assertError(dispatch(app, tenant.apiKey(), 987654321L), 404, 1003);
        assertError(app.tenant("GET", "/api/Dispatches/abc", tenant.apiKey(), null), 404, 1003);
        assertError(app.send("GET", "/api/Dispatches/" + id, null, null, Map.of()), 401, 1002);
    }

    // --- malformed requests -------------------------------------------------------------------

    @Test
    void authenticationAndContentTypeErrors() {
        String valid = validBody();
        assertError(app.send("POST", "/api/SendMessages", "application/json", valid, Map.of()), 401, 1002);
        assertError(app.send("POST", "/api/SendMessages", "application/json", valid,
                Map.of("Authorization", HeraldApp.basic("key_notakey00000000000000000"))), 401, 1002);
        assertError(app.send("POST", "/api/SendMessages", "text/plain", valid,
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 400, 1001);
        assertError(app.send("POST", "/api/SendMessages", null, valid,
                Map.of("Authorization", HeraldApp.basic(tenant.apiKey()))), 400, 1001);
    }

    @Test
    void malformedJsonAndWrongTypesAre1001() {
        for (String body : List.of("", "{\"templateId\":", "[]", "\"text\"", "{} {}", "{}x",
                "{\"templateId\":\"" + emailTemplate + "\",\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}]}",
                "{\"templateId\":1.5,\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}]}",
                "{\"templateId\":99999999999999999999999,\"recipients\":[]}",
                body("\"recipients\":{}"),
                body("\"recipients\":[1]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"email\":{\"a\":1}}]"),
                body("\"recipients\":[{\"uniqueId\":true,\"email\":\"a@example.com\"}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"mobilePhone\":[\"1\"]}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"cardNumber\":{},\"email\":\"a@example.com\"}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\",\"payload\":[]}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\",\"payload\":{\"a\":{\"b\":1}}}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\",\"email\":\"b@example.com\"}]"),
                body("\"scheduleDate\":20230610,\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}],\"deep\":"
                        + "[".repeat(100) + "]".repeat(100)))) {
            JsonNode e = assertError(send(app, tenant.apiKey(), body), 400, 1001);
            assertThat(e.get("error").asText()).isEqualTo("Bad Request");
        }
    }

    /** Found by the fuzz suite: Jackson's byte parser took UTF-16 by itself and the call sent messages. */
    @Test
    void aBodyThatIsNotUtf8Is1001AndSendsNothing() throws Exception {
        String valid = validBody();
        long dispatches = count(app, "SELECT COUNT(*) FROM dispatch");
        byte[] quote = valid.substring(0, valid.indexOf("a@example.com")).getBytes(StandardCharsets.UTF_8);
        byte[] rest = valid.substring(valid.indexOf("a@example.com")).getBytes(StandardCharsets.UTF_8);
        List<byte[]> bodies = new java.util.ArrayList<>(List.of(valid.getBytes(StandardCharsets.UTF_16LE),
                valid.getBytes(StandardCharsets.UTF_16BE), valid.getBytes(StandardCharsets.UTF_16), valid.getBytes("UTF-32"),
                (" " + valid).replace(' ', '\u0000').getBytes(StandardCharsets.UTF_8)));
        for (byte[] bad : List.of(new byte[]{(byte) 0xc0, (byte) 0xaf}, new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[]{(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[]{(byte) 0xff}, new byte[]{(byte) 0xc3},
                new byte[]{(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, new byte[]{0})) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(quote);
            body.writeBytes(bad);
            body.writeBytes(rest);
            bodies.add(body.toByteArray());
        }
        for (byte[] body : bodies) {
            Response r = app.client().request("POST", "/api/SendMessages",
                    Map.of("Authorization", HeraldApp.basic(tenant.apiKey()), "Content-Type", "application/json"), body, HeraldClient.TIMEOUT);
            assertError(r, 400, 1001);
        }
        assertThat(count(app, "SELECT COUNT(*) FROM dispatch")).isEqualTo(dispatches);
    }

    @Test
    void missingOrInvalidFieldsAre2001() {
        String recipient = "[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}]";
        String inTwoYears = OffsetDateTime.now(ZoneOffset.UTC).plusYears(2).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        for (String body : List.of(
                "{\"recipients\":" + recipient + "}",
                "{\"templateId\":null,\"recipients\":" + recipient + "}",
                body("\"recipients\":[]"),
                body("\"recipients\":null"),
                "{\"templateId\":" + emailTemplate + "}",
                body("\"scheduleDate\":\"tomorrow\",\"recipients\":" + recipient),
                body("\"scheduleDate\":\"2023-06-10T10:00:00+0300x\",\"recipients\":" + recipient),
                body("\"scheduleDate\":\"" + inTwoYears + "\",\"recipients\":" + recipient),
                body("\"recipients\":[{\"uniqueId\":\"" + "u".repeat(201) + "\",\"email\":\"a@example.com\"}]"),
                body("\"recipients\":[{\"uniqueId\":\"1\",\"cardNumber\":\"" + "9".repeat(201) + "\",\"email\":\"a@example.com\"}]"))) {
            assertError(send(app, tenant.apiKey(), body), 400, 2001);
        }
    }

    @Test
    void unknownInactiveAndForeignTemplates() {
        String recipient = ",\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}]}";
        assertError(send(app, tenant.apiKey(), "{\"templateId\":987654321" + recipient), 404, 2005);
        assertError(send(app, tenant.apiKey(), "{\"templateId\":-1" + recipient), 404, 2005);

        Tenant other = app.newTenant("{\"name\":\"Foreign\"}", true);
        assertError(send(app, other.apiKey(), "{\"templateId\":" + emailTemplate + recipient), 404, 2005);

        JsonNode draft = app.tenant("POST", "/v1/campaigns", tenant.apiKey(), "{\"name\":\"draft\",\"channel\":\"EMAIL\","
                + "\"from\":\"a@shop.gr\",\"subject\":\"s\",\"text\":\"t\"}").expect(201).json();
        assertError(send(app, tenant.apiKey(), "{\"templateId\":" + draft.get("id").asLong() + recipient), 400, 2101);
        // nothing of the refused calls was stored
        assertThat(count(app, "SELECT COUNT(*) FROM dispatch WHERE campaign_id = ?", draft.get("id").asLong())).isZero();
    }

    // --- helpers ---------------------------------------------------------------------------------

    static String validBody() {
        return body("\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}]");
    }

    static String body(String rest) {
        return "{\"templateId\":" + emailTemplate + "," + rest + "}";
    }

    static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
