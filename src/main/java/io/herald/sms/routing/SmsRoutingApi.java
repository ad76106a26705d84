package io.herald.sms.routing;

import io.herald.api.RequestJson;
import io.herald.api.ApiError;
import io.herald.sms.routing.RoutingTable.Match;
import io.herald.sms.routing.RoutingTable.Rule;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/sms-routing} (the table in force, secrets as {@code "***"}) and {@code PUT /admin/sms-routing}
 * (a whole new table; a table that is not valid is refused with 2001 naming its first fault, and the old one stays).
 * Without a routing file the table in force is the single upstream {@code default} of herald.sms.provider.*.
 */
public class SmsRoutingApi {
    private final SmsRouter router;

    public SmsRoutingApi(SmsRouter router) {
        this.router = router;
    }

    public Map<String, Object> get() {
        return json(router.table());
    }

    public Map<String, Object> put(Exchange exchange) {
        var body = RequestJson.requestObject(exchange);
        synchronized (router) {
            RoutingTable table;
            try {
                table = RoutingTableReader.read(body, router.table());
            } catch (RoutingTableReader.InvalidTable e) {
                throw ApiError.INVALID_FIELD.exception("Invalid routing table: " + e.getMessage());
            }
            router.replace(table, exchange.getContext());
            return json(table);
        }
    }

    /** A table as its JSON (SPEC §6), with every default spelled out and the secrets masked. */
    public static Map<String, Object> json(RoutingTable table) {
        List<Map<String, Object>> upstreams = new ArrayList<>();
        for (Upstream u : table.upstreams().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            m.put("kind", u.kind().json());
            switch (u.kind()) {
                case SMPP -> {
                    m.put("host", u.host());
                    m.put("port", u.port());
                    m.put("systemId", u.systemId());
                    m.put("password", mask(u.password()));
                    m.put("systemType", u.systemType());
                    m.put("bind", u.bind().json());
                    m.put("window", u.window());
                    m.put("tps", u.tps());
                    m.put("enquireLinkSeconds", u.enquireLinkSeconds());
                    m.put("longMessages", u.longMessages().json());
                }
                case HTTP -> {
                    m.put("url", u.url());
                    m.put("apiKey", u.apiKey());
                    m.put("apiSecret", mask(u.apiSecret()));
                }
                case SANDBOX -> {
                }
            }
            if (!u.price().isEmpty()) {
                m.put("price", new java.util.TreeMap<>(u.price()));
            }
            upstreams.add(m);
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Rule rule : table.rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("match", match(rule.match()));
            m.put("upstreams", rule.upstreams());
            rules.add(m);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upstreams", upstreams);
        answer.put("rules", rules);
        return answer;
    }

    private static Map<String, Object> match(Match match) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "prefix", match.prefix());
        putIf(m, "country", match.country());
        putIf(m, "account", match.account());
        putIf(m, "sender", match.sender());
        putIf(m, "encoding", match.encoding() == null ? null : match.encoding().name());
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** A secret as GET shows it: {@code "***"} when there is one, {@code ""} when there is none. */
    private static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "" : RoutingTableReader.MASK;
    }
}
