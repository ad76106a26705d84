package io.herald.edge;

import io.herald.support.Await;
import io.herald.support.CoSender;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.herald.support.CoSender.assertError;
import static io.herald.support.CoSender.body;
import static io.herald.support.CoSender.emailCode;
import static io.herald.support.CoSender.messageIds;
import static io.herald.support.CoSender.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's caches of keys, accounts and campaigns (herald.cache.ttl): what this instance's API changes applies to
 * the next request; what is changed behind its back (another instance, the database) applies once the TTL has run
 * out. This app's TTL is an hour, so that "still served from memory" is certain; the TTL case starts its own app.
 */
class EdgeCacheTest {
    @RegisterExtension
    static final HeraldApp app = HeraldApp.perClass(Map.of("herald.cache.ttl", "PT1H"));

    static Response getCampaign(Tenant t, String code) {
        return app.tenant("GET", "/v1/campaigns/" + code, t.apiKey(), null);
    }

    static void update(HeraldApp on, String sql, Object... params) {
        assertThat(Sql.update(on.dataSource(), sql, params)).isEqualTo(1);
    }

    @Test
    void aKeyRevokedThroughTheOperatorApiStopsAtOnce() {
        Tenant t = app.newTenant("{\"name\":\"Revoked at once\"}", true);
        String code = emailCode(app, t);
        getCampaign(t, code).expect(200);
        send(app, t, body(code, "a@example.com"), null).expect(200);

        app.admin("DELETE", "/admin/accounts/" + t.accountId() + "/keys/" + t.keyId(), null).expect(204);

        assertError(getCampaign(t, code), 401, 1002);
        assertError(send(app, t, body(code, "a@example.com"), null), 401, 1002);
    }

    @Test
    void aKeyRevokedBehindThisInstancesBackIsServedFromMemoryUntilTheTtl() {
        Tenant t = app.newTenant("{\"name\":\"Revoked elsewhere\"}", true);
        String code = emailCode(app, t);
        getCampaign(t, code).expect(200);

        update(app, "UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE id = ?", t.keyId());

        // the TTL is an hour here: the key is still the cached one (the bound the README documents)
        getCampaign(t, code).expect(200);
        // and the operator API's revocation of an already revoked key still drops it (404: nothing left to revoke)
        assertError(app.admin("DELETE", "/admin/accounts/" + t.accountId() + "/keys/" + t.keyId(), null), 404, 1003);
        assertError(getCampaign(t, code), 401, 1002);
    }

    @Test
    void aKeyRevokedInTheDatabaseStopsWithinTheTtl(@TempDir Path otherData) {
        try (HeraldApp shortTtl = HeraldApp.start(otherData, Map.of("herald.cache.ttl", "PT0.5S"))) {
            Tenant t = shortTtl.newTenant("{\"name\":\"Short TTL\"}", true);
            String code = emailCode(shortTtl, t);
            shortTtl.tenant("GET", "/v1/campaigns/" + code, t.apiKey(), null).expect(200);

            update(shortTtl, "UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE id = ?", t.keyId());

            Response r = Await.until("the revoked key refused", Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> shortTtl.tenant("GET", "/v1/campaigns/" + code, t.apiKey(), null), a -> a.status() != 200);
            assertError(r, 401, 1002);
        }
    }

    @Test
    void aCampaignUpdateIsSeenByTheNextSend() {
        Tenant t = app.newTenant("{\"name\":\"Campaign edits\"}", true);
        String code = emailCode(app, t);
        String first = messageIds(send(app, t, body(code, "a@example.com"), null)).get(0);
        assertThat(CoSender.count(app, "SELECT COUNT(*) FROM message WHERE id = ? AND subject = 'Hi'", first)).isEqualTo(1);

        app.tenant("PUT", "/v1/campaigns/" + code, t.apiKey(), "{\"subject\":\"Changed\"}").expect(200);
        String second = messageIds(send(app, t, body(code, "b@example.com"), null)).get(0);
        assertThat(CoSender.count(app, "SELECT COUNT(*) FROM message WHERE id = ? AND subject = 'Changed'", second)).isEqualTo(1);

        app.tenant("POST", "/v1/campaigns/" + code + "/deactivate", t.apiKey(), null).expect(200);
        assertError(send(app, t, body(code, "c@example.com"), null), 400, 2101);

        app.tenant("POST", "/v1/campaigns/" + code + "/activate", t.apiKey(), null).expect(200);
        send(app, t, body(code, "d@example.com"), null).expect(200);
    }

    @Test
    void aRateLimitOverrideAppliesToTheNextRequest() {
        Tenant t = app.newTenant("{\"name\":\"Override at once\"}", true);
        String code = emailCode(app, t);
        getCampaign(t, code).expect(200);

        app.admin("PUT", "/admin/accounts/" + t.accountId() + "/rate-limit", "{\"requestsPerSecond\":1}").expect(200);

        // the old rate (200 a second) would serve all of these; the new one (1) refuses some
        Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            Response r = getCampaign(t, code);
            refused = r.status() == 429 ? r : null;
        }
        assertThat(refused).as("a 429 among 20 requests at 1 a second").isNotNull();
        assertError(refused, 429, 1004);
    }
}
