package io.herald.edge.fuzz;

import java.util.List;
import java.util.Map;

/** The answer to one fuzz request. */
public record FuzzAnswer(int status, Map<String, List<String>> headers, String body) {

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + headers + "\n  " + FuzzRequest.escape(body.length() > 600 ? body.substring(0, 600) + "…" : body);
    }
}
