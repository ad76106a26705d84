package io.herald.edge.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The building blocks of malformed requests, shared by every dialect. */
public final class Noise {
    private Noise() {
    }

    // --- strings ---------------------------------------------------------------------------------------------

    /** Strings that break naive code: CR/LF, control characters, unicode edge cases, injections, empty, huge. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(40, smallStrings()),
                Tuple.of(1, huge()));
    }

    /** {@link #strings()} without the huge ones. */
    public static Arbitrary<String> smallStrings() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, words()),
                Tuple.of(3, withLineBreaks()),
                Tuple.of(2, withControlCharacters()),
                Tuple.of(3, unicodeEdgeCases()),
                Tuple.of(2, injections()),
                Tuple.of(1, Arbitraries.of("", " ", "\t", "\u00a0", "\u3000")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
    }

    private static final String WORD_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

    /** 1 to 20 letters, digits, '-', '_', '.' (drawn directly: jqwik's own string generation costs ~5 µs a character). */
    public static Arbitrary<String> words() {
        return Arbitraries.randomValue(random -> {
            char[] word = new char[1 + random.nextInt(20)];
            for (int i = 0; i < word.length; i++) {
                word[i] = WORD_CHARACTERS.charAt(random.nextInt(WORD_CHARACTERS.length()));
            }
            return new String(word);
        });
    }

    public static Arbitrary<String> withLineBreaks() {
        return Combinators.combine(words(), Arbitraries.of("\r\n", "\n", "\r", "\r\nBcc: evil@example.com\r\n",
                        "\r\n\r\n<html>", "\u2028", "\u2029", "\u0085", "%0d%0a"), words())
                .as((a, lineBreak, b) -> a + lineBreak + b);
    }

    public static Arbitrary<String> withControlCharacters() {
        return Combinators.combine(words(), Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f')
                .ofMinLength(1).ofMaxLength(4), words()).as((a, control, b) -> a + control + b);
    }

    public static Arbitrary<String> unicodeEdgeCases() {
        return Arbitraries.of(
                "\ud800", "\udfff", "a\ud800b", "\udbff\udfff", "\ufeff", "\u202e" + "gnp.exe", "\u200b", "a\u200db",
                "e\u0301\u0301\u0301", "\ud83d\ude00", "\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67", "\uffff", "\ufffe",
                "\u0000", "\ufffd", "Ω≈ç√∫", "ｆｕｌｌｗｉｄｔｈ", "ǅ", "İstanbul", "straße", "مرحبا", "שלום", "日本語",
                "Z̴̡̛̮̈́a̶̘̓l̷̰̈́g̵̳̈́o̸̖̔", "\u0301", "\ud834\udd1e", "\u00ad", "\u2066x\u2069");
    }

    public static Arbitrary<String> injections() {
        return Arbitraries.of("' OR '1'='1", "\"; DROP TABLE message; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
                "%recipient.first_name%", "${company_address}", "${unsubscribe}", "{{herald.admin.token}}", "#{1+1}",
                "${header.Authorization}", "../../etc/passwd", "%s%s%s%n", "\\u0000", "null", "true", "NaN", "-1",
                "\\", "\"", "{}", "[]", "%", "%%", "%recipient.%", "%recipient.a%recipient.b%");
    }

    /** 10,000 to 100,000 characters. */
    public static Arbitrary<String> huge() {
        return Combinators.combine(Arbitraries.integers().between(10_000, 100_000), Arbitraries.of("x", "é", "\ud83d\ude00", "\r\n", "%"))
                .as((length, unit) -> unit.repeat(length / unit.length()));
    }

    // --- JSON values of the wrong type -------------------------------------------------------------------------

    /** JSON text that is not a string: numbers (huge ones too), booleans, arrays, objects, deep nesting. */
    public static Arbitrary<String> nonStringJson() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("true", "false", "0", "-1", "1.5", "-0", "1e309", "-1e309", "1E-400",
                        "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
                        "0.000000000000000000000000000001")),
                Tuple.of(1, Arbitraries.integers().between(1001, 5000).map(n -> "1".repeat(n))),
                Tuple.of(3, containerJson()));
    }

    /** Arrays and objects, also nested deeper than any parser should follow. */
    public static Arbitrary<String> containerJson() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("[]", "{}", "[1,2]", "[\"a\"]", "{\"a\":1}", "[null]", "[[[]]]", "{\"\":{}}")),
                Tuple.of(1, deepNesting()));
    }

    /** Arrays or objects nested 63 to 100,000 deep (Herald's parser stops at 64). */
    public static Arbitrary<String> deepNesting() {
        return nesting(Arbitraries.of(63, 64, 65, 100, 1000, 100_000));
    }

    /** Arrays or objects nested deeper than Herald's parser follows. */
    public static Arbitrary<String> tooDeep() {
        return nesting(Arbitraries.of(65, 100, 1000, 100_000));
    }

    private static Arbitrary<String> nesting(Arbitrary<Integer> depths) {
        return Combinators.combine(depths, Arbitraries.of(true, false))
                .as((depth, arrays) -> arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    /** {@code null} or a non-string; for required string fields. */
    public static Arbitrary<String> nullOrNonStringJson() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("null")), Tuple.of(4, nonStringJson()));
    }

    // --- broken bodies -------------------------------------------------------------------------------------------

    /** One way to break a JSON text, chosen before the text is known (so bodies and breaks are generated apart). */
    public interface JsonBreak {
        /** The broken text's bytes and a description of the break. */
        Tuple.Tuple2<String, byte[]> apply(String json);
    }

    private static final Arbitrary<Double> WHERE = Arbitraries.doubles().between(0, 1);

    private static final Arbitrary<JsonBreak> BREAKS = Arbitraries.frequencyOf(
            Tuple.of(3, WHERE.map(w -> (JsonBreak) json -> {
                byte[] bytes = utf8(json);
                int p = pick(w, bytes.length);
                return Tuple.of("truncated at " + p, slice(bytes, 0, p));
            })),
            Tuple.of(3, WHERE.map(w -> (JsonBreak) json -> {
                byte[] bytes = utf8(json);
                int p = pick(w, JsonPositions.of(bytes).delimiters());
                return Tuple.of("lost '" + (char) bytes[p] + "' at " + p, concat(slice(bytes, 0, p), slice(bytes, p + 1, bytes.length)));
            })),
            Tuple.of(3, Combinators.combine(WHERE, Arbitraries.integers().between(0, 0x1f)).as((w, c) -> (JsonBreak) json -> {
                byte[] bytes = utf8(json);
                return Tuple.of(String.format("raw control character 0x%02x in a string", c),
                        insert(bytes, pick(w, JsonPositions.of(bytes).insideStrings()), new byte[]{c.byteValue()}));
            })),
            Tuple.of(3, Combinators.combine(WHERE, invalidUtf8()).as((w, bad) -> (JsonBreak) json -> {
                byte[] bytes = utf8(json);
                return Tuple.of("bytes that are not UTF-8 in a string", insert(bytes, pick(w, JsonPositions.of(bytes).insideStrings()), bad));
            })),
            Tuple.of(2, Combinators.combine(WHERE, Arbitraries.of("x", "}", "]", "{", "[", ",", ":", "\\", "#", "\u0000", "NaN", "'", "\"", "/"))
                    .as((w, garbage) -> (JsonBreak) json -> {
                        byte[] bytes = utf8(json);
                        int p = pick(w, JsonPositions.of(bytes).betweenTokens());
                        return Tuple.of("inserted " + FuzzRequest.escape(garbage) + " at " + p, insert(bytes, p, utf8(garbage)));
                    })),
            Tuple.of(2, Arbitraries.of("x", "}", "]", ",", " {}", "\u0000", " garbage", "{\"code\":1}", "\n[]", ";", "\"")
                    .map(garbage -> (JsonBreak) json -> Tuple.of("trailing " + FuzzRequest.escape(garbage), concat(utf8(json), utf8(garbage))))),
            Tuple.of(1, Arbitraries.of("x", ")]}',\n", "\u0000", "[", "//\n", "<", ",")
                    .map(garbage -> (JsonBreak) json -> Tuple.of("leading " + FuzzRequest.escape(garbage), concat(utf8(garbage), utf8(json))))),
            Tuple.of(1, Arbitraries.<JsonBreak>of(
                    json -> Tuple.of("single quotes", utf8(json.replace('"', '\''))),
                    json -> Tuple.of("a comment", utf8(json.replaceFirst("\\{", "{/* c */"))),
                    json -> Tuple.of("a trailing comma", utf8(json.substring(0, json.length() - 1) + ",}")),
                    json -> Tuple.of("UTF-16", json.getBytes(StandardCharsets.UTF_16)),
                    json -> Tuple.of("UTF-16LE", json.getBytes(StandardCharsets.UTF_16LE)),
                    json -> Tuple.of("base64", Base64.getEncoder().encode(utf8(json))))),
            Tuple.of(3, Arbitraries.lazy(Noise::notAJsonObject).map(other -> (JsonBreak) json -> Tuple.of("not a JSON object", utf8(other)))));

    /**
     * Breaks of a JSON text: truncated, a delimiter lost, garbage between tokens or around the text, a raw control
     * character or bytes that are not UTF-8 inside a string, another syntax or encoding, another text altogether.
     * Every result is malformed: changes inside strings only add what JSON forbids there.
     */
    public static Arbitrary<JsonBreak> breaks() {
        return BREAKS;
    }

    private static int pick(double where, int length) {
        return Math.max(0, Math.min(length - 1, (int) (where * length)));
    }

    private static int pick(double where, List<Integer> positions) {
        return positions.get(pick(where, positions.size()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Where in a JSON text a change is sure to break it. */
    record JsonPositions(List<Integer> insideStrings, List<Integer> delimiters, List<Integer> betweenTokens) {
        static JsonPositions of(byte[] bytes) {
            List<Integer> inside = new java.util.ArrayList<>();
            List<Integer> delimiters = new java.util.ArrayList<>();
            List<Integer> between = new java.util.ArrayList<>();
            boolean inString = false;
            boolean escaped = false;
            for (int i = 0; i < bytes.length; i++) {
                byte b = bytes[i];
                if (inString) {
                    inside.add(i);
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                        delimiters.add(i);
                    }
                } else {
                    between.add(i);
                    if (b == '"') {
                        inString = true;
                        delimiters.add(i);
                    } else if ("{}[]:,".indexOf(b) >= 0) {
                        delimiters.add(i);
                    }
                }
            }
            // a change right before an escape's second character would make a new escape, not a broken string
            inside.removeIf(i -> i > 0 && bytes[i - 1] == '\\');
            return new JsonPositions(orZero(inside), orZero(delimiters), orZero(between));
        }

        private static List<Integer> orZero(List<Integer> positions) {
            return positions.isEmpty() ? List.of(0) : positions;
        }
    }

    /** Bodies that are not a JSON object at all. */
    public static Arbitrary<String> notAJsonObject() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("", " ", "\r\n", "null", "true", "0", "\"text\"", "[]", "[{}]", "{", "}", "[", "\"",
                        "{\"", "{\"code\"", "{\"code\":", "{\"code\":}", "{,}", "{\"a\" 1}", "<xml/>", "code=x&messages=y",
                        "NaN", "Infinity", "undefined", "\u0000", "{\"code\":\"x\"}}", "\ufeff")),
                Tuple.of(1, containerJson().filter(s -> s.startsWith("["))),
                Tuple.of(1, tooDeep()),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
    }

    public static Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(new byte[]{(byte) 0xff}, new byte[]{(byte) 0xc0, (byte) 0xaf}, new byte[]{(byte) 0xc3},
                new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[]{(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[]{(byte) 0x80}, new byte[]{(byte) 0xfe, (byte) 0xfe}, new byte[]{(byte) 0xe2, (byte) 0x82});
    }

    // --- credentials -----------------------------------------------------------------------------------------

    /**
     * Authorization header values that must not authenticate (null = no header): other schemes, broken Base64,
     * another user name, unknown, revoked or mangled keys, CR/LF and unicode inside the credentials.
     */
    public static Arbitrary<String> badBasicAuth(String validKey, String revokedKey) {
        Arbitrary<String> credentials = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("api:" + revokedKey, "api:", "api", ":" + validKey, validKey, "API:" + validKey,
                        "user:" + validKey, "api :" + validKey, "api:" + validKey.toUpperCase(), "api:" + validKey + "x",
                        "api:" + validKey.substring(0, validKey.length() - 1), "api:" + validKey + "\r\n", "api:" + validKey + "\u0000",
                        "api:\r\n" + validKey, "api:" + validKey + " ", "api: " + validKey, "api:key_", "api:null")),
                Tuple.of(2, smallStrings().map(s -> "api:" + s)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(26).map(s -> "api:key_" + s)),
                Tuple.of(1, Arbitraries.integers().between(201, 2000).map(n -> "api:" + "k".repeat(n))));
        Arbitrary<String> basic = credentials.map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(null)),
                Tuple.of(6, basic),
                Tuple.of(2, Arbitraries.of("Basic", "Basic ", "Basic =", "Basic ====", "Basic !!!!", "Basic YXBp", "Basic \t",
                        "Bearer " + validKey, "Digest username=\"api\"", "Token " + validKey, validKey,
                        "Basic " + validKey, "Basic " + Base64.getEncoder().encodeToString(("api:" + validKey).getBytes(StandardCharsets.UTF_8)) + "!",
                        "Basic " + Base64.getUrlEncoder().withoutPadding().encodeToString(("api:" + validKey + "??>>").getBytes(StandardCharsets.UTF_8)),
                        "Basic " + Base64.getEncoder().encodeToString(("api:" + validKey).getBytes(StandardCharsets.UTF_16)))),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300)));
    }

    /** Bearer header values that are not the operator token (null = no header). */
    public static Arbitrary<String> badBearer(String token) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(4, Arbitraries.of("Bearer", "Bearer ", "Bearer " + token.substring(1), "Bearer " + token + "x",
                        "Bearer " + token.toUpperCase(), "Bearer " + token.substring(0, token.length() - 1), "Bearerx" + token,
                        "Basic " + Base64.getEncoder().encodeToString(("api:" + token).getBytes(StandardCharsets.UTF_8)), token,
                        "Bearer  x" + token, "Bearer null", "Bearer " + "t".repeat(4000))),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(100).map(s -> "Bearer " + s)));
    }

    /** Content types that are not JSON (null = no header). Form types are in {@link #notJson()}. */
    public static Arbitrary<String> notJsonContentType() {
        return Arbitraries.of(null, "text/plain", "application/xml", "text/json", "application/jsonx", "application/json-patch+json",
                "json", "*/*", "application/*", "text/html; charset=utf-8", "application/octet-stream", "application/problem+json",
                "application/x-json", "application", "/", ";", "application/json\tx", "x-application/json");
    }

    /**
     * A request's JSON body sent with another content type: a type that is not JSON, or the body as a well-formed
     * form (URL-encoded or multipart). Labels the defect and expects 400 (a form: any 4xx).
     */
    public static Arbitrary<java.util.function.UnaryOperator<FuzzRequest>> notJson() {
        Arbitrary<java.util.function.UnaryOperator<FuzzRequest>> types = notJsonContentType()
                .map(type -> r -> r.header("Content-Type", type).defect("content type: " + type).expect(400));
        Arbitrary<java.util.function.UnaryOperator<FuzzRequest>> forms = Arbitraries.of(false, true).map(multipart -> r -> {
            String json = r.bodyText() == null ? "{}" : r.bodyText();
            String form = multipart
                    ? "--xyz\r\nContent-Disposition: form-data; name=\"body\"\r\nContent-Type: application/json\r\n\r\n" + json + "\r\n--xyz--\r\n"
                    : "body=" + java.net.URLEncoder.encode(json, StandardCharsets.UTF_8) + "&code=x&messages=%5B%5D";
            String type = multipart ? "multipart/form-data; boundary=xyz" : "application/x-www-form-urlencoded";
            // refused before any route (FormsAndQueryParameters): 400 in the dialect's format
            return r.header("Content-Type", type).body(utf8(form)).defect("content type: " + type).expect(400);
        });
        return Arbitraries.frequencyOf(Tuple.of(6, types), Tuple.of(1, forms));
    }

    // --- paths ---------------------------------------------------------------------------------------------------

    /** A path segment from any text, percent-encoded as UTF-8 (lone surrogates become '?'). */
    public static String segment(String raw) {
        StringBuilder out = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Path segments that name nothing, encoded: unknown ids, noise, dot segments, very long ids. */
    public static Arbitrary<String> unknownSegments() {
        // never "." (or its escape): /collection/. is /collection/, which is a list endpoint, not an unknown item
        return Arbitraries.<String>frequencyOf(
                Tuple.of(3, smallStrings().filter(s -> !s.isEmpty()).map(Noise::segment)),
                Tuple.of(1, Arbitraries.of("..", "%2e%2e", "..%2f..%2fadmin", "%00", "%ff", "%c0%af", "0", "-1",
                        "99999999999999999999", "9223372036854775807", "1e3", "0x10", "%20", "null", "undefined")),
                Tuple.of(1, Arbitraries.integers().between(256, 1500).map(n -> "a".repeat(n))))
                .filter(s -> !s.equals(".") && !s.equalsIgnoreCase("%2E"));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** {@link Arbitraries#frequencyOf} that leaves out the choices of weight 0. */
    @SafeVarargs
    public static <T> Arbitrary<T> weighted(Tuple.Tuple2<Integer, Arbitrary<T>>... choices) {
        List<Tuple.Tuple2<Integer, Arbitrary<T>>> kept = java.util.Arrays.stream(choices).filter(c -> c.get1() > 0).toList();
        return Arbitraries.frequencyOf(kept);
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, Math.min(from, bytes.length), Math.min(Math.max(from, to), bytes.length));
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        int p = Math.min(at, bytes.length);
        return concat(concat(slice(bytes, 0, p), inserted), slice(bytes, p, bytes.length));
    }
}
