package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answer format of CO-SENDER, the Messaging API and the operator API for every failure: the seed-001 error object
 * {@code {"type","code","status","timestamp","error","message"}} (SPEC §3) with its HTTP status in the body.
 */
public final class ErrorObjectFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000";

    /** The HTTP status each code of SPEC §3 answers with (1001 is also 413 for a body over the limit). */
    private static final Map<Integer, Set<Integer>> STATUS_OF_CODE = Map.ofEntries(
            Map.entry(1001, Set.of(400, 413)), Map.entry(1002, Set.of(401)), Map.entry(1003, Set.of(404)),
            Map.entry(1004, Set.of(429)), Map.entry(1005, Set.of(409)), Map.entry(2001, Set.of(400)),
            Map.entry(2002, Set.of(400)), Map.entry(2003, Set.of(400)), Map.entry(2004, Set.of(400)),
            Map.entry(2005, Set.of(404)), Map.entry(2101, Set.of(400)), Map.entry(2102, Set.of(400)));
    private static final Map<Integer, String> REASON = Map.of(400, "Bad Request", 401, "Unauthorized", 404, "Not Found",
            405, "Method Not Allowed", 409, "Conflict", 413, "Payload Too Large", 429, "Too Many Requests");

    private ErrorObjectFormat() {
    }

    /** Asserts a 4xx answer with a well-formed error object; answers {@code "status/code"}. */
    public static String check(FuzzRequest request, FuzzAnswer answer) {
        String context = "answer " + answer + "\nto " + request;
        assertThat(answer.status()).as("a 4xx: " + context).isBetween(400, 499);
        assertThat(answer.header("Content-Type")).as("Content-Type of " + context).startsWith("application/json");
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("the body is not JSON: " + context, e);
        }
        assertThat(body != null && body.isObject()).as("an error object: " + context).isTrue();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("fields of " + context).containsExactly("type", "code", "status", "timestamp", "error", "message");
        assertThat(body.get("type").asText()).as("type of " + context).isEqualTo("CLIENT");
        assertThat(body.get("status").isInt() && body.get("status").asInt() == answer.status())
                .as("status in the body equals the HTTP status: " + context).isTrue();
        int code = body.get("code").asInt();
        assertThat(body.get("code").isInt() && STATUS_OF_CODE.containsKey(code)).as("a known code: " + context).isTrue();
        assertThat(STATUS_OF_CODE.get(code)).as("the status of code " + code + ": " + context).contains(answer.status());
        assertThat(body.get("timestamp").asText()).as("timestamp of " + context).matches(TIMESTAMP);
        assertThat(body.get("error").asText()).as("error of " + context).isEqualTo(REASON.get(answer.status()));
        assertThat(body.get("message").isTextual() && !body.get("message").asText().isBlank()).as("message of " + context).isTrue();
        if (answer.status() == 429) {
            assertThat(answer.header("Retry-After")).as("Retry-After of " + context).matches("[1-9][0-9]*");
        }
        return answer.status() + "/" + code;
    }
}
