package io.herald.edge.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated HTTP request and what it must get: a request sent valid on purpose must succeed, every other one is
 * malformed by construction (its {@code defect} says how) and must get a 4xx in its dialect's format, with
 * {@code expectedStatus} when the defect decides the status (0 = any 4xx).
 */
public record FuzzRequest(String defect, String method, String path, Map<String, String> headers, byte[] body, boolean valid,
                          int expectedStatus) {

    public static FuzzRequest to(String method, String path) {
        return new FuzzRequest("", method, path, Map.of(), null, false, 0);
    }

    /** A request that is valid on purpose; it must succeed. */
    public FuzzRequest valid(String what) {
        return new FuzzRequest("valid: " + what, method, path, headers, body, true, 0);
    }

    public FuzzRequest defect(String what) {
        return new FuzzRequest(what, method, path, headers, body, false, expectedStatus);
    }

    public FuzzRequest expect(int status) {
        return new FuzzRequest(defect, method, path, headers, body, valid, status);
    }

    public FuzzRequest method(String newMethod) {
        return new FuzzRequest(defect, newMethod, path, headers, body, valid, expectedStatus);
    }

    public FuzzRequest path(String newPath) {
        return new FuzzRequest(defect, method, newPath, headers, body, valid, expectedStatus);
    }

    /** Sets a header; {@code null} removes it. */
    public FuzzRequest header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(name::equalsIgnoreCase);
        if (value != null) {
            copy.put(name, value);
        }
        return new FuzzRequest(defect, method, path, Collections.unmodifiableMap(copy), body, valid, expectedStatus);
    }

    public FuzzRequest body(byte[] newBody) {
        return new FuzzRequest(defect, method, path, headers, newBody, valid, expectedStatus);
    }

    public FuzzRequest json(String json) {
        return header("Content-Type", "application/json").body(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The defect's category, the part before the first colon ("auth: missing" is "auth"). */
    public String category() {
        int colon = defect.indexOf(':');
        return colon < 0 ? defect : defect.substring(0, colon);
    }

    public String bodyText() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** Readable in a jqwik failure report: control and non-ASCII characters escaped, long bodies cut. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append('[').append(defect).append("] ").append(method).append(' ').append(shorten(path, 300));
        headers.forEach((k, v) -> s.append("\n  ").append(k).append(": ").append(escape(shorten(v, 300))));
        if (expectedStatus != 0) {
            s.append("\n  (expects ").append(expectedStatus).append(')');
        }
        if (body != null) {
            s.append("\n  body (").append(body.length).append(" bytes): ").append(escape(shorten(bodyText(), 600)));
        }
        return s.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
            } else {
                out.append(cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%06x", cp));
            }
        });
        return out.toString();
    }
}
