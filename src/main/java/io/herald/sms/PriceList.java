package io.herald.sms;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one SMS costs (US dollars): the price of the longest configured number prefix that matches the recipient's
 * digits ({@code herald.sms.price.by-prefix}, e.g. {@code 0333:0.02,30:0.05}), else the default
 * ({@code herald.sms.price.default}).
 */
public final class PriceList {
    private final BigDecimal defaultPrice;
    private final Map<String, BigDecimal> byPrefix;

    public PriceList(BigDecimal defaultPrice, Map<String, BigDecimal> byPrefix) {
        this.defaultPrice = defaultPrice;
        Map<String, BigDecimal> ordered = new LinkedHashMap<>();
        byPrefix.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, BigDecimal> e) -> e.getKey().length()).reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        this.byPrefix = ordered;
    }

    /** Reads {@code 0.01} and {@code prefix:price, prefix:price}; a malformed entry stops the start. */
    public static PriceList parse(String defaultPrice, String byPrefix) {
        BigDecimal fallback = price(defaultPrice == null || defaultPrice.isBlank() ? "0.0" : defaultPrice.trim());
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        if (byPrefix != null) {
            for (String entry : byPrefix.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.split(":");
                if (parts.length != 2 || !parts[0].trim().matches("\\+?[0-9]+")) {
                    throw new IllegalStateException("herald.sms.price.by-prefix: expected prefix:price, got '" + entry.trim() + "'");
                }
                prices.put(parts[0].trim().replace("+", ""), price(parts[1].trim()));
            }
        }
        return new PriceList(fallback, prices);
    }

    private static BigDecimal price(String text) {
        try {
            BigDecimal price = new BigDecimal(text);
            if (price.signum() < 0) {
                throw new IllegalStateException("SMS prices must not be negative: " + text);
            }
            return price;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("not a price: " + text, e);
        }
    }

    public BigDecimal priceOf(String number) {
        String digits = number == null ? "" : number.replaceAll("[^0-9]", "");
        for (Map.Entry<String, BigDecimal> entry : byPrefix.entrySet()) {
            if (digits.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return defaultPrice;
    }

    /** The price as the JSON number COSMOS answers and calls back with ({@code 0.0}, {@code 0.02}). */
    public static double asJson(BigDecimal price) {
        return price.doubleValue();
    }
}
