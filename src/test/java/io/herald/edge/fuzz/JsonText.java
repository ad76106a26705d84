package io.herald.edge.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/** Writing generated JSON: as UTF-8 text or with every non-ASCII character escaped (so lone surrogates survive). */
public final class JsonText {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter ESCAPING = JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private JsonText() {
    }

    public static String write(JsonNode node, boolean escapeNonAscii) {
        try {
            return escapeNonAscii ? ESCAPING.writeValueAsString(node) : JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node written as the given JSON text, verbatim. */
    public static JsonNode raw(String jsonText) {
        return JSON.getNodeFactory().rawValueNode(new RawValue(jsonText));
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static ArrayNode array() {
        return JSON.createArrayNode();
    }
}
