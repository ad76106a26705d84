package io.herald.sms.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.sms.routing.RoutingTableReader.InvalidTable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The fields of one JSON object of a routing table, read with the table's checks; {@code at} says where it is. */
final class Fields {
    final String at;
    private final JsonNode node;

    /** {@code allowed}: the only fields it may have (null: checked later with {@link #only}). */
    Fields(String at, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new InvalidTable(at + ": must be a JSON object");
        }
        this.at = at;
        this.node = node;
        if (allowed != null) {
            only(allowed, "");
        }
    }

    void only(Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidTable(at + "." + name + ": not a field of " + (where.isEmpty() ? "this object" : "an upstream"
                        + where) + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    List<JsonNode> array(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new InvalidTable(at + "." + field + ": must be a non-empty array");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** A text field; absent (or null) gives null, unless {@code required}. */
    String text(String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidTable(at + "." + field + ": is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidTable(at + "." + field + ": must be a string");
        }
        return value.asText();
    }

    /** A text field of at most {@code max} characters; absent gives "" unless {@code required}. */
    String limited(String field, boolean required, int max) {
        String value = text(field, required);
        if (value != null && value.length() > max) {
            throw new InvalidTable(at + "." + field + ": must be at most " + max + " characters");
        }
        return value == null ? "" : value;
    }

    long integer(String field, long absent, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw new InvalidTable(at + "." + field + ": must be a whole number from " + min + " to " + max);
        }
        return value.asLong();
    }

    <E> E choice(String field, E absent, E[] values, Function<E, String> spelling) {
        String text = text(field, false);
        if (text == null) {
            return absent;
        }
        List<String> spelled = new ArrayList<>();
        for (E value : values) {
            if (spelling.apply(value).equals(text)) {
                return value;
            }
            spelled.add(spelling.apply(value));
        }
        throw new InvalidTable(at + "." + field + ": '" + text + "' is not one of " + String.join(", ", spelled));
    }
}
