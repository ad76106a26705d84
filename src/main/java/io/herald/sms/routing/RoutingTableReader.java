package io.herald.sms.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.herald.sms.routing.RoutingTable.Encoding;
import io.herald.sms.routing.RoutingTable.Match;
import io.herald.sms.routing.RoutingTable.Rule;
import io.herald.sms.routing.Upstream.Bind;
import io.herald.sms.routing.Upstream.Kind;
import io.herald.sms.routing.Upstream.LongMessages;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a routing table (SPEC §6) from its JSON and validates it whole; the first fault found is thrown as an
 * {@link InvalidTable} whose message names where it is ({@code rules[2].match.country: ...}). A secret given as
 * {@code "***"} (as GET shows it) keeps the secret of the upstream of that name in the table in force.
 */
public final class RoutingTableReader {
    public static final String MASK = "***";
    private static final Set<String> COMMON = Set.of("name", "kind", "price");
    private static final Set<String> SMPP = Set.of("host", "port", "systemId", "password", "systemType", "bind", "window",
            "tps", "enquireLinkSeconds", "longMessages");
    private static final Set<String> HTTP = Set.of("url", "apiKey", "apiSecret");
    private static final Set<String> MATCH = Set.of("prefix", "country", "account", "sender", "encoding");
    private static final Set<String> COUNTRIES = PhoneNumberUtil.getInstance().getSupportedRegions();

    /** A table that is not valid; the message names the first fault. */
    public static final class InvalidTable extends RuntimeException {
        public InvalidTable(String message) {
            super(message);
        }
    }

    private final RoutingTable current;

    /** {@code current}: the table in force, whose secrets {@code "***"} keeps (null: none to keep). */
    private RoutingTableReader(RoutingTable current) {
        this.current = current;
    }

    public static RoutingTable read(JsonNode json, RoutingTable current) {
        return new RoutingTableReader(current).table(json);
    }

    private RoutingTable table(JsonNode json) {
        Fields top = new Fields("table", json, Set.of("upstreams", "rules"));
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        List<JsonNode> upstreamNodes = top.array("upstreams");
        for (int i = 0; i < upstreamNodes.size(); i++) {
            Upstream upstream = upstream("upstreams[" + i + "]", upstreamNodes.get(i));
            if (upstreams.put(upstream.name(), upstream) != null) {
                throw new InvalidTable("upstreams[" + i + "].name: '" + upstream.name() + "' is named twice (names are unique)");
            }
        }
        List<Rule> rules = new ArrayList<>();
        List<JsonNode> ruleNodes = top.array("rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            String at = "rules[" + i + "]";
            Rule rule = rule(at, ruleNodes.get(i), upstreams.keySet());
            boolean last = i == ruleNodes.size() - 1;
            if (last && !rule.match().isEmpty()) {
                throw new InvalidTable(at + ".match: the last rule must have an empty match (the catch-all)");
            }
            if (!last && rule.match().isEmpty()) {
                throw new InvalidTable(at + ".match: only the last rule may have an empty match (no later rule could match)");
            }
            rules.add(rule);
        }
        return new RoutingTable(upstreams, rules, true);
    }

    private Upstream upstream(String at, JsonNode node) {
        Fields f = new Fields(at, node, null);
        String name = f.text("name", true);
        if (name.isBlank() || name.length() > 100 || !name.equals(name.strip())) {
            throw new InvalidTable(at + ".name: must be 1 to 100 characters without leading or trailing spaces");
        }
        at = at + " (" + name + ")";
        f = new Fields(at, node, null);
        String kindText = f.text("kind", true);
        Kind kind = switch (kindText) {
            case "smpp" -> Kind.SMPP;
            case "http" -> Kind.HTTP;
            case "sandbox" -> Kind.SANDBOX;
            default -> throw new InvalidTable(at + ".kind: '" + kindText + "' is not one of smpp, http, sandbox");
        };
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.addAll(kind == Kind.SMPP ? SMPP : kind == Kind.HTTP ? HTTP : Set.of());
        f.only(allowed, " for kind " + kindText);
        Map<String, BigDecimal> price = price(at + ".price", node.get("price"));
        Upstream old = current == null ? null : current.upstreams().get(name);
        return switch (kind) {
            case SANDBOX -> new Upstream(name, kind, null, 0, null, null, null, Bind.TRANSCEIVER, Upstream.DEFAULT_WINDOW,
                    Upstream.DEFAULT_TPS, Upstream.DEFAULT_ENQUIRE_LINK_SECONDS, LongMessages.UDH, null, null, null, price);
            case HTTP -> new Upstream(name, kind, null, 0, null, null, null, Bind.TRANSCEIVER, Upstream.DEFAULT_WINDOW,
                    Upstream.DEFAULT_TPS, Upstream.DEFAULT_ENQUIRE_LINK_SECONDS, LongMessages.UDH, url(f), f.limited("apiKey", false, 1000),
                    secret(f, "apiSecret", old == null ? null : old.apiSecret()), price);
            case SMPP -> new Upstream(name, kind, host(f), (int) f.integer("port", Upstream.DEFAULT_PORT, 1, 65535),
                    f.limited("systemId", true, 15), secret(f, "password", old == null ? null : old.password()),
                    f.limited("systemType", false, 12), f.choice("bind", Bind.TRANSCEIVER, Bind.values(), Bind::json),
                    (int) f.integer("window", Upstream.DEFAULT_WINDOW, 1, 10_000),
                    (int) f.integer("tps", Upstream.DEFAULT_TPS, 0, 1_000_000),
                    (int) f.integer("enquireLinkSeconds", Upstream.DEFAULT_ENQUIRE_LINK_SECONDS, 1, 3600),
                    f.choice("longMessages", LongMessages.UDH, LongMessages.values(), LongMessages::json),
                    null, null, null, price);
        };
    }

    private static String host(Fields f) {
        String host = f.text("host", true);
        if (host.isBlank() || host.contains("/") || host.contains(" ")) {
            throw new InvalidTable(f.at + ".host: '" + host + "' is not a host name or address");
        }
        return host;
    }

    private static String url(Fields f) {
        String url = f.text("url", true);
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getFragment() == null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidTable(f.at + ".url: '" + url + "' is not an http:// or https:// URL");
    }

    /** A password or API secret; {@code "***"} keeps the one the upstream of that name has in the table in force. */
    private static String secret(Fields f, String field, String kept) {
        String value = f.limited(field, false, "password".equals(field) ? 8 : 1000);
        if (!MASK.equals(value)) {
            return value;
        }
        if (kept == null) {
            throw new InvalidTable(f.at + "." + field + ": '***' keeps the secret in force, but no upstream of that name and"
                    + " kind has one");
        }
        return kept;
    }

    private static Map<String, BigDecimal> price(String at, JsonNode node) {
        Map<String, BigDecimal> price = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return price;
        }
        if (!node.isObject()) {
            throw new InvalidTable(at + ": must be an object of destination prefix to price, e.g. {\"30\": 0.02, \"\": 0.05}");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getKey().matches("[0-9]{0,15}")) {
                throw new InvalidTable(at + ": '" + e.getKey() + "' is not a prefix of digits (\"\" for every number)");
            }
            if (!e.getValue().isNumber() || e.getValue().decimalValue().signum() < 0) {
                throw new InvalidTable(at + "." + e.getKey() + ": must be a number of at least 0");
            }
            price.put(e.getKey(), e.getValue().decimalValue());
        }
        return price;
    }

    private static Rule rule(String at, JsonNode node, Set<String> names) {
        Fields f = new Fields(at, node, Set.of("match", "upstreams"));
        JsonNode matchNode = node.get("match");
        Match match = matchNode == null || matchNode.isNull() ? new Match(null, null, null, null, null)
                : match(at + ".match", matchNode);
        List<JsonNode> listed = f.array("upstreams");
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            String where = at + ".upstreams[" + i + "]";
            if (!listed.get(i).isTextual()) {
                throw new InvalidTable(where + ": must be an upstream's name");
            }
            String name = listed.get(i).asText();
            if (!names.contains(name)) {
                throw new InvalidTable(where + ": no upstream is named '" + name + "'");
            }
            if (upstreams.contains(name)) {
                throw new InvalidTable(where + ": '" + name + "' is listed twice");
            }
            upstreams.add(name);
        }
        return new Rule(match, upstreams);
    }

    private static Match match(String at, JsonNode node) {
        Fields f = new Fields(at, node, MATCH);
        String prefix = f.text("prefix", false);
        if (prefix != null && !prefix.matches("[0-9]{1,15}")) {
            throw new InvalidTable(at + ".prefix: '" + prefix + "' is not 1 to 15 digits (E.164 without +)");
        }
        String country = f.text("country", false);
        if (country != null && !COUNTRIES.contains(country)) {
            throw new InvalidTable(at + ".country: '" + country + "' is not an ISO 3166 alpha-2 country code (e.g. GR)");
        }
        Long account = node.has("account") ? f.integer("account", 0, 1, Long.MAX_VALUE) : null;
        String sender = f.text("sender", false);
        if (sender != null && sender.isEmpty()) {
            throw new InvalidTable(at + ".sender: must not be empty");
        }
        Encoding encoding = f.choice("encoding", null, Encoding.values(), Encoding::name);
        return new Match(prefix, country, account, sender, encoding);
    }
}
