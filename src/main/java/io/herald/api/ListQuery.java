package io.herald.api;

import org.apache.camel.Exchange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The query of a list endpoint (docs/lists.md): {@code limit}, the opaque {@code cursor} and the endpoint's filters.
 * Anything wrong with them — an unknown or repeated parameter, a limit out of range, a cursor this list did not
 * give, a filter value of the wrong form — is 400 / 2001 naming the parameter, before anything is read.
 * <p>
 * Every list answers {@code {"items": [...], "next": cursor | null}}, newest first; {@code next} is null on the last
 * page. A cursor is base64url of {@code <list>:<key of the last item>}: opaque to clients, which pass it back as given.
 * <p>
 * The query string is read from the raw {@code CamelHttpQuery} header: the edge drops the decoded query parameters
 * before any route ({@code FormsAndQueryParameters}), so they can never stand in for headers.
 */
public final class ListQuery {
    /** The default and largest {@code limit}: herald.api.page.default-limit and herald.api.page.max-limit. */
    public record Limits(int defaultLimit, int maxLimit) {
    }

    private final String list;
    private final Map<String, String> params;
    private final int limit;

    private ListQuery(String list, Map<String, String> params, int limit) {
        this.list = list;
        this.params = params;
        this.limit = limit;
    }

    /** Reads the query of {@code list}'s endpoint, which takes {@code filters} besides limit and cursor. */
    public static ListQuery read(Exchange exchange, String list, Limits limits, Set<String> filters) {
        Map<String, String> params = parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        for (String name : params.keySet()) {
            if (!name.equals("limit") && !name.equals("cursor") && !filters.contains(name)) {
                throw invalid("unknown query parameter '" + name + "'" + (filters.isEmpty() ? ""
                        : "; this list takes limit, cursor, " + String.join(", ", filters.stream().sorted().toList())));
            }
        }
        int limit = limits.defaultLimit();
        String raw = params.get("limit");
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > limits.maxLimit()) {
                throw invalid("limit must be a whole number from 1 to " + limits.maxLimit());
            }
        }
        return new ListQuery(list, params, limit);
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid("the query string is not correctly percent-encoded");
            }
            if ((name + value).chars().anyMatch(Character::isISOControl)) {
                // U+0000 and the like: PostgreSQL refuses them in text, and no filter value holds one
                throw invalid("query parameter '" + name.replaceAll("\\p{Cntrl}", "?") + "' holds a control character");
            }
            if (params.put(name, value) != null) {
                throw invalid("query parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    public int limit() {
        return limit;
    }

    /** A filter as given (surrounding space trimmed); null when absent or empty. */
    public String text(String name) {
        String value = params.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A filter that must be one of {@code allowed} (any case); null when absent. */
    public String oneOf(String name, List<String> allowed) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw invalid(name + " must be one of " + String.join(", ", allowed));
        }
        return upper;
    }

    /** A filter holding a positive whole number (an id); null when absent. */
    public Long id(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(name + " must be a positive whole number");
    }

    /**
     * A time filter: an ISO-8601 date-time with an offset ({@code 2026-12-06T19:00:00Z}, {@code …+02:00}), without one
     * (UTC), or a date (its start, UTC). A {@code +} left unencoded in the query arrives as a space and is read as
     * {@code +}. Null when absent.
     */
    public OffsetDateTime time(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        OffsetDateTime time = parseTime(name, value.replace(' ', '+'));
        if (!storable(time)) {
            throw invalid(name + " must be a time in the years 1 to 9999");
        }
        return time;
    }

    /** Whether both databases can compare a column with this time (PostgreSQL's timestamps end in 294276). */
    public static boolean storable(OffsetDateTime time) {
        return time.getYear() >= 1 && time.getYear() <= 9999;
    }

    private static OffsetDateTime parseTime(String name, String v) {
        try {
            return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(v).atOffset(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                try {
                    return LocalDate.parse(v).atStartOfDay().atOffset(ZoneOffset.UTC);
                } catch (DateTimeException e3) {
                    throw invalid(name + " must be an ISO-8601 date-time, e.g. 2026-12-06T19:00:00Z");
                }
            }
        }
    }

    /** The key the cursor carries (read by {@code key}), or null for the first page; a cursor of another list is 400. */
    public <K> K after(Function<String, K> key) {
        String cursor = params.get("cursor");
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(list + ":")) {
                K parsed = key.apply(decoded.substring(list.length() + 1));
                if (parsed != null) {
                    return parsed;
                }
            }
        } catch (RuntimeException e) {
            // refused below: any cursor this list did not give
        }
        throw invalid("cursor is not valid: pass the 'next' value of a previous answer of this list unchanged");
    }

    /** The key of an id-ordered list's cursor. */
    public Long afterId() {
        return after(Long::valueOf);
    }

    /**
     * The answer: the first {@link #limit()} of {@code rows} (read with one more than the limit, to know whether
     * another page follows) as {@code view} shows them, and the cursor after the last of them ({@code key}).
     */
    public <T> Map<String, Object> page(List<T> rows, Function<T, Object> view, Function<T, String> key) {
        List<T> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", shown.stream().map(view).toList());
        answer.put("next", rows.size() > limit ? cursor(key.apply(shown.get(shown.size() - 1))) : null);
        return answer;
    }

    private String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((list + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** A time in a list item: as the tenant API writes times (the error object's format), null stays null. */
    public static String at(OffsetDateTime time) {
        return time == null ? null : ErrorObject.TIMESTAMP.format(time);
    }

    public static ApiException invalid(String message) {
        return ApiError.INVALID_FIELD.exception(message);
    }
}
