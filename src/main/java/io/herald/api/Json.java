package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * JSON reading and writing shared by the HTTP dialects: a body that is not JSON, or a field of the wrong type, is 1001;
 * a missing or invalid field is 2001 (docs/contract.md#errors-and-edge-rules).
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        // a JSON value followed by anything but whitespace is not a JSON text
        MAPPER.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
