package io.herald.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hides secrets in a log line (README "Security"), whoever wrote it: Herald, Camel (its property-placeholders summary,
 * its error handler's exchange dump) or a library's exception message. Applied to every line by the {@code %mask}
 * converter of {@code log4j2.properties} ({@link MaskingPatternConverter}).
 * <ul>
 *   <li>a URL's user info and query string (and fragment): {@code https://***@host/cb?***};</li>
 *   <li>the value of a setting or field whose name holds a {@linkplain Secrets#SECRET_WORDS secret word} or
 *   {@code authorization}: {@code name = value} (to the end of the line, the form of Camel's settings summary),
 *   {@code name=value}, {@code name: value} and JSON's {@code "name":"value"};</li>
 *   <li>the credentials after {@code Bearer} or {@code Basic}.</li>
 * </ul>
 */
public final class LogMasking {
    public static final String MASK = "***";

    /** A name holding a secret word, dashes or underscores allowed between its letters (api-key, pass_word). */
    private static final String SECRET_NAME = "[\\w.-]*?(?:" + Stream.concat(Secrets.SECRET_WORDS.stream(), Stream.of("authorization"))
            .map(word -> word.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining("[-_]?")))
            .collect(Collectors.joining("|")) + ")[\\w.-]*";
    /** Where a value written without quotes or spaces ends. */
    private static final String VALUE_END = "\\s,;&\"'<>()\\[\\]{}";

    private static final Pattern SECRETS = Pattern.compile(
            // a URL with an authority: scheme, user info, host and path, query, fragment
            "(?<scheme>\\b[A-Za-z][A-Za-z0-9+.-]*://)(?<userinfo>[^\\s/?#@\"'<>]*@)?(?<path>[^\\s?#\"'<>]*)"
                    + "(?<query>\\?[^\\s#\"'<>]*)?(?<fragment>#[^\\s\"'<>]*)?"
                    // JSON: "apiSecret": "value"
                    + "|(?<jsonName>\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""
                    // a settings summary line: name = value, to the end of the line
                    + "|(?<spacedName>" + SECRET_NAME + "\\s+=\\s+)[^\\r\\n]*"
                    // name=value, name: value, Authorization: Bearer value (not a stack frame's ApiKeyCache.java:42)
                    + "|(?<name>" + SECRET_NAME + "(?:\\s*=\\s*|:\\s+))(?:(?:Bearer|Basic)\\s+)?[^" + VALUE_END + "]+"
                    + "|(?<scheme2>\\b(?:Bearer|Basic)\\s+)[^" + VALUE_END + "]+",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern EXCEPTION_NAME = Pattern.compile("(?:Exception|Error|Throwable):\\s+$");

    private LogMasking() {
    }

    public static String mask(CharSequence text) {
        Matcher m = SECRETS.matcher(text);
        if (!m.find()) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement(m)));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    private static String replacement(Matcher m) {
        if (m.group("scheme") != null) {
            return m.group("scheme") + (m.group("userinfo") == null ? "" : MASK + "@") + m.group("path")
                    + (m.group("query") == null ? "" : "?" + MASK) + (m.group("fragment") == null ? "" : "#" + MASK);
        }
        if (m.group("jsonName") != null) {
            return m.group("jsonName") + "\"" + MASK + "\"";
        }
        if (m.group("name") != null && EXCEPTION_NAME.matcher(m.group("name")).find()) {
            return m.group(); // "Caused by: java.security.InvalidKeyException: message": a class, not a setting
        }
        for (String prefix : new String[] {"spacedName", "name", "scheme2"}) {
            if (m.group(prefix) != null) {
                return m.group(prefix) + MASK;
            }
        }
        return m.group();
    }
}
