package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.herald.api.CoSenderMessagesTest.assertError;
import static io.herald.api.CoSenderMessagesTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's lists (docs/lists.md): paging, each filter, bad queries, tenant isolation; real application, H2. */
class TenantListsTest {
    static final String SMS = "{\"name\":\"Alerts\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":\"Code %recipient.code%\"}";
    static final String EMAIL = "{\"name\":\"News\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\",\"subject\":\"Hi\","
            + "\"text\":\"Hello %recipient.name%\"}";

    @TempDir
    static Path data;
    static HeraldApp app;
    static Tenant a;
    static Tenant b;
    static String smsCode;
    static String emailCode;
    /** A's messages: the SMS ones (23, in 3 requests) then the email ones (2, one request). */
    static final List<String> smsIds = new ArrayList<>();
    static final List<String> emailIds = new ArrayList<>();
    static OffsetDateTime between;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of());
        a = app.newTenant("{\"name\":\"A\"}", true);
        b = app.newTenant("{\"name\":\"B\"}", true);
        smsCode = app.activeCampaign(a, SMS).get("code").asText();
        emailCode = app.activeCampaign(a, EMAIL).get("code").asText();
        smsIds.addAll(send(a, smsCode, 10, "+30694000000"));
        smsIds.addAll(send(a, smsCode, 10, "+30694100000"));
        HeraldApp.sleep(20);
        between = OffsetDateTime.now(ZoneOffset.UTC);
        HeraldApp.sleep(20);
        smsIds.addAll(send(a, smsCode, 3, "+30694200000"));
        emailIds.addAll(send(a, emailCode, 2, "person"));
        // B has a message of its own to one of A's recipients
        send(b, app.activeCampaign(b, SMS).get("code").asText(), 1, "+30694000000");
        for (String id : smsIds.subList(20, 23)) {
            app.awaitStatus(a, id, "DELIVERED");
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static List<String> send(Tenant t, String code, int n, String recipientStem) {
        StringBuilder body = new StringBuilder("{\"code\":\"" + code + "\",\"messages\":[");
        for (int i = 0; i < n; i++) {
            String recipient = recipientStem.startsWith("+") ? recipientStem + i : recipientStem + i + "@example.com";
            body.append(i == 0 ? "" : ",").append("{\"recipient\":\"").append(recipient).append("\",\"parameters\":{\"code\":")
                    .append(i).append(",\"name\":\"N").append(i).append("\"}}");
        }
        JsonNode answer = app.tenant("POST", "/v1/messages", t.apiKey(), body + "]}").expect(200).json();
        List<String> ids = new ArrayList<>();
        answer.get("messages").forEach(m -> ids.add(m.get("messageId").asText()));
        return ids;
    }

    static List<JsonNode> messages(Tenant t, String filters, int limit) {
        return Pages.all(q -> app.tenant("GET", "/v1/messages?limit=" + limit + filters + "&" + q, t.apiKey(), null), limit);
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("messageId").asText()).toList();
    }

    @Test
    void messagesArePagedNewestFirstWithoutDuplicatesOrGaps() {
        for (int limit : List.of(1, 4, 7, 25)) {
            List<JsonNode> items = messages(a, "", limit);
            List<String> ids = ids(items);
            assertThat(ids).as("limit " + limit).doesNotHaveDuplicates().hasSize(25)
                    .containsExactlyInAnyOrderElementsOf(concat(smsIds, emailIds));
            List<String> accepted = items.stream().map(i -> i.get("acceptedAt").asText()).toList();
            assertThat(accepted).isSortedAccordingTo((x, y) -> OffsetDateTime.parse(y, ErrorObject.TIMESTAMP)
                    .compareTo(OffsetDateTime.parse(x, ErrorObject.TIMESTAMP)));
        }
        JsonNode first = messages(a, "&recipient=%2B306940000" + "003", 5).get(0);
        assertThat(fieldNames(first)).containsExactly("messageId", "recipient", "channel", "status", "dispatchId", "campaignId",
                "sandbox", "acceptedAt", "updatedAt");
        assertThat(first.get("recipient").asText()).isEqualTo("+306940000003");
        assertThat(first.get("sandbox").asBoolean()).isTrue();
    }

    @Test
    void eachFilterNarrowsTheList() {
        assertThat(ids(messages(a, "&channel=EMAIL", 5))).containsExactlyInAnyOrderElementsOf(emailIds);
        assertThat(ids(messages(a, "&channel=sms", 5))).containsExactlyInAnyOrderElementsOf(smsIds);
        // recipient: encoded +, an unencoded + (a space), without +, with separators; email with its domain in any case
        for (String r : List.of("%2B306941000002", "+306941000002", "306941000002", "%2B30%20694-100-0002")) {
            assertThat(ids(messages(a, "&recipient=" + r, 5))).as(r).containsExactly(smsIds.get(12));
        }
        assertThat(ids(messages(a, "&recipient=person1%40Example.COM", 5))).containsExactly(emailIds.get(1));
        // dispatch: the one of the third request
        long dispatch = app.tenant("GET", "/v1/messages/" + smsIds.get(21), a.apiKey(), null).expect(200).json().get("dispatchId").asLong();
        assertThat(ids(messages(a, "&dispatch=" + dispatch, 2))).containsExactlyInAnyOrderElementsOf(smsIds.subList(20, 23));
        // accepted time: from inclusive, to exclusive
        String t = URLEncoder.encode(between.toString(), StandardCharsets.UTF_8);
        assertThat(ids(messages(a, "&from=" + t, 5))).containsExactlyInAnyOrderElementsOf(
                concat(smsIds.subList(20, 23), emailIds));
        assertThat(ids(messages(a, "&to=" + t, 5))).containsExactlyInAnyOrderElementsOf(smsIds.subList(0, 20));
        assertThat(ids(messages(a, "&to=" + between.toLocalDate(), 5))).isEmpty();
        assertThat(ids(messages(a, "&from=" + between.toLocalDate(), 5))).hasSize(25);
        // status, combined with the others
        assertThat(ids(messages(a, "&status=DELIVERED&from=" + t + "&channel=SMS", 5)))
                .containsExactlyInAnyOrderElementsOf(smsIds.subList(20, 23));
        assertThat(ids(messages(a, "&status=REJECTED", 5))).isEmpty();
    }

    @Test
    void badQueriesAre400AndNameTheParameter() {
        Map<String, String> bad = Map.of("status=SENDING", "status", "channel=FAX", "channel", "dispatch=abc", "dispatch",
                "dispatch=-3", "dispatch", "from=yesterday", "from", "to=2026-13-01", "to", "cursor=bm9wZQ", "cursor",
                "limit=201", "limit", "recipients=x", "recipients", "from=2026-12-06&to=2026-12-05", "from");
        bad.forEach((q, parameter) -> {
            JsonNode e = assertError(app.tenant("GET", "/v1/messages?" + q, a.apiKey(), null), 400, 2001);
            assertThat(e.get("message").asText()).as(q).contains(parameter);
        });
        // nothing reaches the database that it could choke on: control characters, times beyond its range
        String farCursor = java.util.Base64.getUrlEncoder().encodeToString("messages:9000000000000.0.x".getBytes(StandardCharsets.UTF_8));
        for (String q : List.of("recipient=%00", "campaign=a%00b", "from=%2B200000-01-01T00:00:00Z",
                "to=%2B999999999-12-31T23:59:59-18:00", "cursor=" + farCursor)) {
            String path = (q.startsWith("campaign") ? "/v1/dispatches?" : "/v1/messages?") + q;
            assertError(app.tenant("GET", path, a.apiKey(), null), 400, 2001);
        }
        assertError(app.tenant("GET", "/v1/campaigns?status=SENT", a.apiKey(), null), 400, 2001);
        assertError(app.tenant("GET", "/v1/dispatches?status=SENT", a.apiKey(), null), 400, 2001);
        assertError(app.tenant("GET", "/v1/dispatches?from=nope", a.apiKey(), null), 400, 2001);
        // a messages cursor is not a dispatches cursor
        String next = app.tenant("GET", "/v1/messages?limit=1", a.apiKey(), null).expect(200).json().get("next").asText();
        assertError(app.tenant("GET", "/v1/dispatches?cursor=" + next, a.apiKey(), null), 400, 2001);
        assertError(app.tenant("GET", "/v1/messages?limit=1", "key_wrong", null), 401, 1002);
    }

    @Test
    void anotherTenantSeesNoneOfItAndGets404() {
        List<JsonNode> bItems = messages(b, "", 10);
        assertThat(bItems).hasSize(1);
        assertThat(ids(bItems)).doesNotContainAnyElementsOf(concat(smsIds, emailIds));
        assertThat(messages(b, "&recipient=%2B306940000000", 10)).hasSize(1);
        long dispatch = app.tenant("GET", "/v1/messages/" + smsIds.get(0), a.apiKey(), null).expect(200).json().get("dispatchId").asLong();
        assertThat(messages(b, "&dispatch=" + dispatch, 10)).isEmpty();
        assertError(app.tenant("GET", "/v1/messages/" + smsIds.get(0), b.apiKey(), null), 404, 1003);
        // A's cursor in B's hands is only a position: still only B's messages
        String next = app.tenant("GET", "/v1/messages?limit=1", a.apiKey(), null).expect(200).json().get("next").asText();
        JsonNode page = app.tenant("GET", "/v1/messages?cursor=" + next, b.apiKey(), null).expect(200).json();
        page.get("items").forEach(i -> assertThat(concat(smsIds, emailIds)).doesNotContain(i.get("messageId").asText()));

        List<JsonNode> campaigns = Pages.all(q -> app.tenant("GET", "/v1/campaigns?" + q, b.apiKey(), null), 50);
        assertThat(campaigns).hasSize(1);
        List<JsonNode> dispatches = Pages.all(q -> app.tenant("GET", "/v1/dispatches?" + q, b.apiKey(), null), 50);
        assertThat(dispatches).hasSize(1);
        assertThat(dispatches.get(0).get("dispatchId").asLong()).isNotEqualTo(dispatch);
        assertThat(Pages.all(q -> app.tenant("GET", "/v1/dispatches?campaign=" + smsCode + "&" + q, b.apiKey(), null), 50)).isEmpty();
    }

    @Test
    void campaignsAreListedWithFiltersButNotCosmosHiddenOne() {
        Tenant c = app.newTenant("{\"name\":\"C\"}", true);
        JsonNode active = app.activeCampaign(c, SMS);
        JsonNode draft = app.tenant("POST", "/v1/campaigns", c.apiKey(), EMAIL).expect(201).json();
        Response cosmos = app.send("POST", "/v1.0/sms/", "application/json", "{\"api_key\":\"" + c.apiKey() + "\",\"api_secret\":\""
                + c.apiSecret() + "\",\"to\":\"012345678901234\",\"from\":\"Acme\",\"text\":\"hi\"}", Map.of());
        assertThat(cosmos.status()).as(cosmos.body()).isEqualTo(200);

        List<JsonNode> all = Pages.all(q -> app.tenant("GET", "/v1/campaigns?limit=1&" + q, c.apiKey(), null), 1);
        assertThat(all).extracting(i -> i.get("code").asText()).containsExactly(draft.get("code").asText(),
                active.get("code").asText());
        assertThat(all.get(1)).isEqualTo(app.tenant("GET", "/v1/campaigns/" + active.get("code").asText(), c.apiKey(), null).json());
        assertThat(Pages.all(q -> app.tenant("GET", "/v1/campaigns?status=active&" + q, c.apiKey(), null), 50))
                .extracting(i -> i.get("code").asText()).containsExactly(active.get("code").asText());
        assertThat(Pages.all(q -> app.tenant("GET", "/v1/campaigns?channel=EMAIL&" + q, c.apiKey(), null), 50))
                .extracting(i -> i.get("code").asText()).containsExactly(draft.get("code").asText());

        // the COSMOS message is a dispatch of its own, listed with its dialect
        List<JsonNode> dispatches = Pages.all(q -> app.tenant("GET", "/v1/dispatches?" + q, c.apiKey(), null), 50);
        assertThat(dispatches).hasSize(1);
        assertThat(dispatches.get(0).get("dialect").asText()).isEqualTo("COSMOS");
    }

    @Test
    void dispatchesShowProgressNewestFirst() {
        List<JsonNode> items = Pages.all(q -> app.tenant("GET", "/v1/dispatches?limit=2&" + q, a.apiKey(), null), 2);
        assertThat(items).hasSize(4);
        assertThat(Pages.longs(items, "dispatchId")).isSortedAccordingTo((x, y) -> Long.compare(y, x)).doesNotHaveDuplicates();
        JsonNode third = items.get(1); // the third request: 3 SMS, delivered
        assertThat(third.get("campaignCode").asText()).isEqualTo(smsCode);
        assertThat(third.get("channel").asText()).isEqualTo("SMS");
        assertThat(third.get("accepted").asInt()).isEqualTo(3);
        assertThat(third.get("test").asBoolean()).isTrue();
        assertThat(third.get("messages").get("DELIVERED").asLong()).isEqualTo(3);
        assertThat(fieldNames(third)).contains("dispatchId", "campaignId", "dialect", "scheduled", "sendStatus",
                "totalRecipients", "createdAt", "sendAt", "errorMessage");
        List<JsonNode> email = Pages.all(q -> app.tenant("GET", "/v1/dispatches?campaign=" + emailCode + "&" + q, a.apiKey(), null), 5);
        assertThat(email).hasSize(1);
        assertThat(email.get(0).get("dispatchId").asLong()).isEqualTo(items.get(0).get("dispatchId").asLong());
        String t = URLEncoder.encode(between.toString(), StandardCharsets.UTF_8);
        assertThat(Pages.all(q -> app.tenant("GET", "/v1/dispatches?from=" + t + "&" + q, a.apiKey(), null), 5)).hasSize(2);
        assertThat(Pages.all(q -> app.tenant("GET", "/v1/dispatches?to=" + t + "&" + q, a.apiKey(), null), 5)).hasSize(2);
    }

    static List<String> concat(List<String> x, List<String> y) {
        List<String> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }
}
