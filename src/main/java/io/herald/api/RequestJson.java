package io.herald.api;

    import com.fasterxml.jackson.core.JsonProcessingException;
    import com.fasterxml.jackson.databind.JsonNode;
    import com.fasterxml.jackson.databind.node.JsonNodeType;
    import com.fasterxml.jackson.databind.node.ObjectNode;
    import io.herald.store.StorableText;
    import org.apache.camel.Exchange;

    import java.nio.ByteBuffer;
    import java.nio.charset.CharacterCodingException;
    import java.nio.charset.CodingErrorAction;
    import java.nio.charset.StandardCharsets;
    import java.util.LinkedHashMap;
    import java.util.Locale;
    import java.util.Map;

    import static io.herald.api.ApiError.wrongType;

    /**
     * Reading a JSON request, shared by the HTTP dialects: a body that is not JSON, or a field of the wrong type, is 1001;
     * a missing or invalid field is 2001 (docs/contract.md#errors-and-edge-rules). Errors come from {@link ApiError}.
     */
    public final class RequestJson {
        private RequestJson() {
        }

        /**
     * The request body as a JSON object; a missing or non-JSON Content-Type, a body that is not UTF-8 (RFC 8259 §8.1)
     * or a malformed body is error 1001.
     */
    public static ObjectNode requestObject(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw ApiError.GENERAL.exception("Content-Type must be application/json");
        }
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setBody(raw);
        String body;
        try {
            body = raw == null ? null : StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.GENERAL.exception("Request body is not valid UTF-8");
        }
        if (body == null || body.isBlank()) {
            throw ApiError.GENERAL.exception("Request body is missing");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.GENERAL.exception("Malformed JSON request body");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.GENERAL.exception("Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * The request body as text (UTF-8, malformed bytes replaced). The body is kept as its bytes, so that it can be
     * read again and {@link #requestObject} still sees what the client sent.
     */
    public static String bodyText(Exchange exchange) {
        byte[] raw = bodyBytes(exchange);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    /** The request body as its bytes, kept as the body so that it can be read again. */
    public static byte[] bodyBytes(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setBody(raw);
        return raw;
    }

    /** A string field: absent or null gives null, another JSON type is error 1001. */
    public static String text(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return value.asText();
    }

    public static String requiredText(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null || value.isBlank()) {
            throw ApiError.INVALID_FIELD.exception(field + " is required");
        }
        return value;
    }

    /**
     * A stored text field: at most {@code max} characters and {@link StorableText storable} (no U+0000), else error
     * 2001. Null passes.
     */
    public static String storedText(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiError.INVALID_FIELD.exception(field + " must be at most " + max + " characters");
        }
        if (!StorableText.storable(value)) {
            throw ApiError.INVALID_FIELD.exception(field + " must not contain U+0000");
        }
        return value;
    }

    public static Long integer(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer");
        }
        return value.asLong();
    }

    public static Boolean bool(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return value.asBoolean();
    }

    /** A map of personalisation values: scalars become text, nulls are dropped, nested objects are error 1001. */
    public static Map<String, String> stringMap(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        Map<String, String> result = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (!value.isObject()) {
            throw wrongType(field, "an object");
        }
        value.fields().forEachRemaining(entry -> {
            JsonNode v = entry.getValue();
            if (v.isNull()) {
                return;
            }
            if (v.isContainerNode() || v.getNodeType() == JsonNodeType.BINARY || v.getNodeType() == JsonNodeType.POJO) {
                throw wrongType(field + "." + entry.getKey(), "a string");
            }
            result.put(entry.getKey(), v.asText());
        });
        return result;
    }
}
