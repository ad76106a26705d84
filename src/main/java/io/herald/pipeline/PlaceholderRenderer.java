package io.herald.pipeline;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-pass placeholder substitution shared by every dialect (docs/contract.md#placeholders).
 * Unresolved placeholders are left exactly as written and reported in {@link Rendered#missing()}.
 */
public final class PlaceholderRenderer {

    public enum Target { TEXT, HTML, HEADER }

    public record Rendered(String text, SortedSet<String> missing) {
        public Rendered {
            missing = missing == null
                    ? Collections.emptySortedSet()
                    : Collections.unmodifiableSortedSet(new TreeSet<>(missing));
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile(
            "%recipient\\.([\\p{L}\\p{Nd}_.\\-]+)%|\\$\\{(permission_reminder|unsubscribe|company_address)}");

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}|[\\u0080-\\u009F]");

    private PlaceholderRenderer() {
    }

    public static Rendered render(String template, Map<String, String> params, Map<String, String> defaults,
                                  Target target) {
        if (template == null) {
            return new Rendered(null, null);
        }
        Map<String, String> p = params == null ? Map.of() : params;
        Map<String, String> d = defaults == null ? Map.of() : defaults;
        SortedSet<String> missing = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (m.find()) {
            String name;
            String value;
            if (m.group(1) != null) {
                name = m.group(1);
                value = p.get(name);
            } else {
                name = m.group(2);
                value = p.get(name);
                if (value == null) {
                    value = d.get(name);
                }
            }
            String replacement;
            if (value == null) {
                missing.add(name);
                replacement = m.group();
            } else {
                replacement = encode(value, target);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String text = target == Target.HEADER ? stripControls(out.toString()) : out.toString();
        return new Rendered(text, missing);
    }

    private static String encode(String value, Target target) {
        return switch (target) {
            case HTML -> escapeHtml(value);
            case HEADER -> stripControls(value);
            case TEXT -> value;
        };
    }

    static String escapeHtml(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String stripControls(String value) {
        return CONTROL.matcher(value).replaceAll("");
    }
}
