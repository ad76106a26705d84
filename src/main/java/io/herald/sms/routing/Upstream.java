package io.herald.sms.routing;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One upstream of the SMS routing table (SPEC §6), with the §6 defaults applied: an SMSC over SMPP, a provider over
 * the HTTP protocol of §4, or the sandbox. Fields that do not concern its kind are null (texts) or their default.
 *
 * @param price price per message by destination prefix (E.164 digits without {@code +}; {@code ""} matches every
 *              number), empty when none is given; the longest matching prefix counts ({@link #priceFor})
 */
public record Upstream(String name, Kind kind,
                       String host, int port, String systemId, String password, String systemType, Bind bind,
                       int window, int tps, int enquireLinkSeconds, LongMessages longMessages,
                       String url, String apiKey, String apiSecret,
                       Map<String, BigDecimal> price) {

    public static final int DEFAULT_PORT = 2775;
    public static final String DEFAULT_SYSTEM_TYPE = "";
    public static final int DEFAULT_WINDOW = 10;
    public static final int DEFAULT_TPS = 0;
    public static final int DEFAULT_ENQUIRE_LINK_SECONDS = 30;

    public enum Kind {
        SMPP, HTTP, SANDBOX;

        /** The table's spelling: {@code smpp}, {@code http}, {@code sandbox}. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code transceiver} (default): one bind both ways; {@code transmitter+receiver}: two binds. */
    public enum Bind {
        TRANSCEIVER("transceiver"), TRANSMITTER_RECEIVER("transmitter+receiver");

        private final String json;

        Bind(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /** {@code udh} (default; 8-bit reference concatenation), {@code sar} (SAR TLVs), {@code payload} (one PDU). */
    public enum LongMessages {
        UDH, SAR, PAYLOAD;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Upstream {
        price = price == null ? Map.of() : Map.copyOf(price);
    }

    /** An {@code http} upstream (§4) with the given URL and credentials. */
    public static Upstream http(String name, String url, String apiKey, String apiSecret) {
        return new Upstream(name, Kind.HTTP, null, 0, null, null, null, Bind.TRANSCEIVER, DEFAULT_WINDOW, DEFAULT_TPS,
                DEFAULT_ENQUIRE_LINK_SECONDS, LongMessages.UDH, url, apiKey, apiSecret, Map.of());
    }

    /** A {@code sandbox} upstream: the sandbox transport, which records the message and reports it delivered. */
    public static Upstream sandbox(String name) {
        return new Upstream(name, Kind.SANDBOX, null, 0, null, null, null, Bind.TRANSCEIVER, DEFAULT_WINDOW, DEFAULT_TPS,
                DEFAULT_ENQUIRE_LINK_SECONDS, LongMessages.UDH, null, null, null, Map.of());
    }

    /** The price of a message to {@code digits} (E.164 without {@code +}) by the longest matching prefix; null if none. */
    public BigDecimal priceFor(String digits) {
        String best = null;
        for (String prefix : price.keySet()) {
            if (digits.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : price.get(best);
    }
}
