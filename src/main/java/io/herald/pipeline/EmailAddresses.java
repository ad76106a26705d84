package io.herald.pipeline;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict recipient e-mail validation: dot-atom local part and a DNS host name only, no display names,
 * quoted strings, comments, IP literals, lists or anything that could smuggle extra headers.
 * Unicode letters are accepted in both parts (SMTPUTF8 / IDN).
 */
public final class EmailAddresses {

    private static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;

    private static final String ATEXT = "[\\p{L}\\p{M}0-9!#$%&'*+/=?^_`{|}~-]";
    private static final Pattern LOCAL = Pattern.compile(ATEXT + "+(?:\\." + ATEXT + "+)*");
    private static final Pattern LABEL = Pattern.compile(
            "[\\p{L}\\p{M}0-9](?:[\\p{L}\\p{M}0-9-]{0,61}[\\p{L}\\p{M}0-9])?");
    private static final Pattern TLD = Pattern.compile("\\p{L}[\\p{L}\\p{M}]+|xn--[a-z0-9-]*[a-z0-9]");

    private EmailAddresses() {
    }

    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String address = raw.strip();
        if (address.isEmpty() || address.length() > MAX_LENGTH || hasControlOrSpace(address)) {
            return Optional.empty();
        }
        int at = address.indexOf('@');
        if (at <= 0 || at != address.lastIndexOf('@')) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (local.length() > MAX_LOCAL_LENGTH || !LOCAL.matcher(local).matches() || !validDomain(domain)) {
            return Optional.empty();
        }
        return Optional.of(local + "@" + domain);
    }

    private static boolean hasControlOrSpace(String s) {
        return s.codePoints().anyMatch(cp -> Character.isISOControl(cp)
                || Character.isWhitespace(cp)
                || Character.isSpaceChar(cp));
    }

    private static boolean validDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return TLD.matcher(labels[labels.length - 1]).matches();
    }
}
