package io.herald.production;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.Pages;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list queries and migration V12 on PostgreSQL (docs/lists.md): keyset paging over messages accepted in the same
 * instant, each filter, the dispatch counts, the campaign list without COSMOS's hidden campaign, the key list, and
 * a disabled account's keys refused. The H2 side is io.herald.api's TenantListsTest and AccountListsTest.
 */
@ExtendWith(Engines.class)
class ListsPostgresTest {
    @TempDir
    Path data;

    @Test
    void listsPageAndFilterOnPostgresql() {
        Map<String, String> config = Map.of("herald.db.url", Engines.newDatabase("lists"), "herald.db.user", "postgres",
                "herald.db.password", "postgres");
        try (HeraldApp app = HeraldApp.start(data, config)) {
            Tenant a = app.newTenant("{\"name\":\"A\"}", true);
            Tenant b = app.newTenant("{\"name\":\"B\"}", true);
            String code = app.activeCampaign(a, "{\"name\":\"s\",\"channel\":\"SMS\",\"from\":\"Acme\",\"text\":\"Hi\"}")
                    .get("code").asText();
            List<String> first = send(app, a, code, "+30694000000");
            OffsetDateTime between = OffsetDateTime.now(ZoneOffset.UTC);
            HeraldApp.sleep(20);
            List<String> second = send(app, a, code, "+30694100000");
            second.forEach(id -> app.awaitStatus(a, id, "DELIVERED"));
            assertThat(app.send("POST", "/v1.0/sms/", "application/json", "{\"api_key\":\"" + a.apiKey() + "\",\"api_secret\":\""
                    + a.apiSecret() + "\",\"to\":\"012345678901234\",\"from\":\"Acme\",\"text\":\"hi\"}", Map.of()).status()).isEqualTo(200);

            List<String> all = ids(Pages.all(q -> app.tenant("GET", "/v1/messages?limit=3&" + q, a.apiKey(), null), 3));
            assertThat(all).hasSize(21).doesNotHaveDuplicates().containsAll(first).containsAll(second);
            String t = URLEncoder.encode(between.toString(), StandardCharsets.UTF_8);
            assertThat(ids(Pages.all(q -> app.tenant("GET", "/v1/messages?limit=4&channel=SMS&status=DELIVERED&from=" + t + "&"
                    + q, a.apiKey(), null), 4))).containsAll(second).doesNotContainAnyElementsOf(first);
            assertThat(ids(Pages.all(q -> app.tenant("GET", "/v1/messages?to=" + t + "&" + q, a.apiKey(), null), 50)))
                    .containsExactlyInAnyOrderElementsOf(first);
            assertThat(ids(Pages.all(q -> app.tenant("GET", "/v1/messages?recipient=306941000003&" + q, a.apiKey(), null), 50)))
                    .containsExactly(second.get(3));
            long dispatch = app.tenant("GET", "/v1/messages/" + first.get(0), a.apiKey(), null).json().get("dispatchId").asLong();
            assertThat(ids(Pages.all(q -> app.tenant("GET", "/v1/messages?limit=3&dispatch=" + dispatch + "&" + q, a.apiKey(), null), 3)))
                    .containsExactlyInAnyOrderElementsOf(first);
            assertThat(Pages.all(q -> app.tenant("GET", "/v1/messages?" + q, b.apiKey(), null), 50)).isEmpty();

            List<JsonNode> dispatches = Pages.all(q -> app.tenant("GET", "/v1/dispatches?limit=1&" + q, a.apiKey(), null), 1);
            assertThat(dispatches).hasSize(3);
            assertThat(dispatches.get(1).get("messages").get("DELIVERED").asLong()).isEqualTo(10);
            assertThat(Pages.all(q -> app.tenant("GET", "/v1/dispatches?campaign=" + code + "&" + q, a.apiKey(), null), 50)).hasSize(2);
            assertThat(Pages.all(q -> app.tenant("GET", "/v1/campaigns?status=ACTIVE&channel=SMS&" + q, a.apiKey(), null), 50))
                    .extracting(c -> c.get("code").asText()).containsExactly(code);

            assertThat(Pages.longs(Pages.all(q -> app.admin("GET", "/admin/accounts?limit=1&" + q, null), 1), "id"))
                    .containsExactly(b.accountId(), a.accountId());
            List<JsonNode> keys = Pages.all(q -> app.admin("GET", "/admin/accounts/" + a.accountId() + "/keys?" + q, null), 50);
            assertThat(keys).hasSize(1);
            assertThat(keys.get(0).get("lastUsedAt").isTextual()).isTrue();
            app.admin("PATCH", "/admin/accounts/" + a.accountId(), "{\"disabled\":true,\"messageLimit\":null}").expect(200);
            app.tenant("GET", "/v1/messages", a.apiKey(), null).expect(401);
            app.admin("PATCH", "/admin/accounts/" + a.accountId(), "{\"disabled\":false}").expect(200);
            app.tenant("GET", "/v1/messages", a.apiKey(), null).expect(200);
        }
    }

    private static List<String> send(HeraldApp app, Tenant t, String code, String stem) {
        StringBuilder body = new StringBuilder("{\"code\":\"" + code + "\",\"messages\":[");
        for (int i = 0; i < 10; i++) {
            body.append(i == 0 ? "" : ",").append("{\"recipient\":\"").append(stem).append(i).append("\"}");
        }
        List<String> ids = new ArrayList<>();
        app.tenant("POST", "/v1/messages", t.apiKey(), body + "]}").expect(200).json().get("messages")
                .forEach(m -> ids.add(m.get("messageId").asText()));
        return ids;
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("messageId").asText()).toList();
    }
}
