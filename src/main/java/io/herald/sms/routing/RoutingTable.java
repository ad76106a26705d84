package io.herald.sms.routing;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.herald.sms.GsmAlphabet;
import io.herald.store.StoredMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMS routing table of SPEC §6: the upstreams by name and the ordered rules that choose among them. Immutable;
 * {@link RoutingTableReader} reads and validates one, {@link SmsRouter} holds the one in force.
 *
 * @param guarded whether its upstreams sit behind circuit breakers: a configured table's do; the single upstream of
 *                the table in force without one ({@link #single}) does not, so that path works as it did before
 *                routing (every failure retried with backoff, none passed over)
 */
public record RoutingTable(Map<String, Upstream> upstreams, List<Rule> rules, boolean guarded) {
    /** The name of the one upstream of the table in force without a routing file (SPEC §6, first paragraph). */
    public static final String DEFAULT_UPSTREAM = "default";

    public enum Encoding { GSM7, UCS2 }

    /** What a rule's {@code match} requires; a null field requires nothing. */
    public record Match(String prefix, String country, Long account, String sender, Encoding encoding) {
        public boolean isEmpty() {
            return prefix == null && country == null && account == null && sender == null && encoding == null;
        }
    }

    public record Rule(Match match, List<String> upstreams) {
        public Rule {
            upstreams = List.copyOf(upstreams);
        }
    }

    public RoutingTable {
        upstreams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
        rules = List.copyOf(rules);
    }

    /** The table without a routing file: every SMS to the one upstream of §4 (HTTP, or the sandbox without its URL). */
    public static RoutingTable single(Upstream upstream) {
        return new RoutingTable(Map.of(upstream.name(), upstream),
                List.of(new Rule(new Match(null, null, null, null, null), List.of(upstream.name()))), false);
    }

    /**
     * The upstreams that may carry {@code message}, in the order to try them: those of the first matching rule, the ones
     * with a price for the destination first, cheapest first (equal prices in rule order), then the others in rule order.
     */
    public List<Upstream> candidates(StoredMessage message) {
        Destination destination = new Destination(message);
        for (Rule rule : rules) {
            if (destination.matches(rule.match())) {
                String digits = destination.digits;
                List<Upstream> priced = new ArrayList<>();
                List<Upstream> unpriced = new ArrayList<>();
                for (String name : rule.upstreams()) {
                    Upstream upstream = upstreams.get(name);
                    (upstream.priceFor(digits) != null ? priced : unpriced).add(upstream);
                }
                priced.sort(Comparator.comparing((Upstream u) -> u.priceFor(digits)));
                priced.addAll(unpriced);
                return priced;
            }
        }
        return List.of(); // not reached: the last rule matches everything
    }

    /** The message's traits that rules match, each worked out when a rule first asks for it. */
    private static final class Destination {
        private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
        private final StoredMessage message;
        private final String digits;
        private String country;
        private Encoding encoding;

        Destination(StoredMessage message) {
            this.message = message;
            String to = message.recipient() == null ? "" : message.recipient();
            this.digits = to.startsWith("+") ? to.substring(1) : to;
        }

        boolean matches(Match m) {
            return (m.prefix() == null || digits.startsWith(m.prefix()))
                    && (m.account() == null || m.account() == message.accountId())
                    && (m.sender() == null || m.sender().equals(message.from()))
                    && (m.country() == null || m.country().equals(country()))
                    && (m.encoding() == null || m.encoding() == encoding());
        }

        private String country() {
            if (country == null) {
                try {
                    String region = PHONES.getRegionCodeForNumber(PHONES.parse("+" + digits, "ZZ"));
                    country = region == null ? "" : region;
                } catch (NumberParseException e) {
                    country = "";
                }
            }
            return country;
        }

        private Encoding encoding() {
            if (encoding == null) {
                encoding = GsmAlphabet.isGsm(message.text() == null ? "" : message.text()) ? Encoding.GSM7 : Encoding.UCS2;
            }
            return encoding;
        }
    }
}
