package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * COSMOS {@code POST /v1.0/sms/} (seed 003): credentials in the body, every failure {@code {"status": word}} with the
 * word's HTTP code (the seed's words, {@code not_found} for other paths and methods under {@code /v1.0/}, and the
 * documented edge words {@code invalid_idempotency_key}, {@code idempotency_conflict}, {@code too_many_requests}).
 * Each malformed request's defect ends with {@code " => word"}: the word its answer must carry (several, split by
 * {@code |}, where a generated value decides between two checks).
 */
public final class CosmosSmsFuzz implements Dialect {
    public static final int BODY_LIMIT = 4096;
    private static final String EXPECTS = " => ";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    /** Every word a COSMOS answer may carry, with its HTTP status. */
    static final Map<String, Integer> WORDS = Map.ofEntries(
            Map.entry("invalid_to", 400), Map.entry("invalid_from", 400), Map.entry("invalid_text", 400),
            Map.entry("invalid_callback", 400), Map.entry("invalid_json", 400), Map.entry("failed", 400),
            Map.entry("spam", 400), Map.entry("blacklist", 400), Map.entry("invalid_idempotency_key", 400),
            Map.entry("unauthorized", 401), Map.entry("not_found", 404), Map.entry("timeout", 408),
            Map.entry("idempotency_conflict", 409), Map.entry("large_request", 413), Map.entry("too_many_requests", 429));

    @Override
    public String name() {
        return "COSMOS /v1.0/sms/";
    }

    @Override
    public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
        Arbitrary<FuzzRequest> send = Arbitraries.of("/v1.0/sms/", "/v1.0/sms").map(path -> FuzzRequest.to("POST", path));
        return Arbitraries.<FuzzRequest>frequencyOf(
                Tuple.of(14, badCredentials(f, send)),
                Tuple.of(5, wrongMethodOrPath(f, send)),
                Tuple.of(7, wrongContentType(f, send)),
                Tuple.of(20, brokenBody(f, send)),
                Tuple.of(34, badFields(f, send, allowsPrivateCallbacks(f))),
                Tuple.of(4, badIdempotencyKey(f, send)),
                Tuple.of(2, usedIdempotencyKey(f, send)),
                Tuple.of(2, overLimit(f, send)),
                Tuple.of(3, validSend(f, send)))
                .map(CosmosSmsFuzz::overTheLimit);
    }

    /** Whatever else is wrong with it, a COSMOS POST whose body is over 4096 bytes is {@code large_request} first. */
    private static FuzzRequest overTheLimit(FuzzRequest r) {
        boolean send = r.method().equals("POST") && r.path().startsWith("/v1.0/sms") && r.path().length() <= "/v1.0/sms/".length();
        if (!send || r.body() == null || r.body().length <= BODY_LIMIT || r.expectedStatus() == 413) {
            return r;
        }
        String was = r.defect().contains(EXPECTS) ? r.defect().substring(0, r.defect().lastIndexOf(EXPECTS)) : r.defect();
        return r.defect("over the body limit: " + was + EXPECTS + "large_request").expect(413);
    }

    @Override
    public Outcome verify(FuzzRequest request, FuzzAnswer answer) {
        String context = "answer " + answer + "\nto " + request;
        assertThat(answer.header("Content-Type")).as("Content-Type of " + context).startsWith("application/json");
        JsonNode body = parse(answer.body(), context);
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        String word = body.path("status").asText();
        if (request.valid()) {
            assertThat(answer.status()).as("a valid request succeeds: " + context).isEqualTo(200);
            assertThat(fields).as("fields of " + context).containsExactly("status", "message_id", "price");
            assertThat(word).as(context).isEqualTo("ok");
            assertThat(body.get("message_id").asText()).as("message id of " + context).matches(UUID_PATTERN);
            assertThat(body.get("price").isNumber()).as("price of " + context).isTrue();
            if (request.headers().containsKey("Idempotency-Key")) {
                assertThat(answer.header("Idempotent-Replayed")).as("a fresh key is no replay: " + context).isNull();
            }
            return new Outcome("200/ok", Set.of(body.get("message_id").asText()));
        }
        assertThat(answer.status()).as("a 4xx: " + context).isBetween(400, 499);
        assertThat(fields).as("only the status word: " + context).containsExactly("status");
        assertThat(body.get("status").isTextual()).as("the status is a string: " + context).isTrue();
        assertThat(WORDS).as("a COSMOS word: " + context).containsKey(word);
        assertThat(WORDS.get(word)).as("the HTTP status of " + word + ": " + context).isEqualTo(answer.status());
        int at = request.defect().lastIndexOf(EXPECTS);
        if (at >= 0) {
            assertThat(List.of(request.defect().substring(at + EXPECTS.length()).split("\\|")))
                    .as("the word the defect calls for: " + context).contains(word);
        }
        if (answer.status() == 429) {
            assertThat(answer.header("Retry-After")).as("Retry-After of " + context).matches("[1-9][0-9]*");
        }
        return Outcome.of(answer.status() + "/" + word);
    }

    // --- valid bodies -------------------------------------------------------------------------------------------

    /** {@code ^0[0-9]{14}$}, random, so that content rules (the same text to the same number) never bite. */
    static Arbitrary<String> validTo() {
        return Arbitraries.longs().between(0, 99_999_999_999_999L).map(n -> String.format("0%014d", n));
    }

    static Arbitrary<String> validFrom() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Noise.words().map(w -> w.length() > 16 ? w.substring(0, 16) : w)),
                Tuple.of(1, Arbitraries.of("Company Name 123", "Acme", "日本語", "straße", "Ω≈ç√∫", "\ud83d\ude00 Shop", "İstanbul",
                        "مرحبا", "x", "1234567890123456", "e\u0301")));
    }

    /** Under 180 GSM septets, or under 70 UTF-16 units with other characters; CR/LF are GSM characters. */
    static Arbitrary<String> validText() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Noise.words().list().ofMinSize(1).ofMaxSize(8).map(ws -> String.join(" ", ws))),
                Tuple.of(1, Arbitraries.of("Hello world!", "x".repeat(179), "€".repeat(89), "日".repeat(69), "Привет, мир",
                        "\ud83d\ude00".repeat(34), "line one\r\nline two", "a\nb\rc", "{}[]~^|\\€", "%recipient.name% ${x}",
                        "' OR '1'='1", "<script>alert(1)</script>")));
    }

    static ObjectNode validBody(FuzzFixture f, String to, String from, String text) {
        ObjectNode body = JsonText.object();
        body.put("api_key", f.tenant.apiKey());
        body.put("api_secret", f.tenant.apiSecret());
        body.put("to", to);
        body.put("from", from);
        body.put("text", text);
        return body;
    }

    static Arbitrary<ObjectNode> validBody(FuzzFixture f) {
        Arbitrary<Map<String, JsonNode>> extra = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Map.<String, JsonNode>of())),
                Tuple.of(1, Arbitraries.just(Map.<String, JsonNode>of("callback", JsonText.JSON.nullNode()))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("unknown", "id", "message_id", "price", "status"), Noise.smallStrings())
                        .as((k, v) -> Map.<String, JsonNode>of(k, TextNode.valueOf(v)))));
        return Combinators.combine(validTo(), validFrom(), validText(), extra).as((to, from, text, more) -> {
            ObjectNode body = validBody(f, to, from, text);
            more.forEach(body::set);
            return body;
        });
    }

    private static Arbitrary<FuzzRequest> withBody(Arbitrary<FuzzRequest> send, Arbitrary<ObjectNode> bodies) {
        return Combinators.combine(send, bodies, Arbitraries.of(false, true)).as((r, body, escape) -> r.json(write(body, escape)));
    }

    /** Lone surrogates only survive escaped: written as UTF-8 they would become '?'. */
    private static String write(JsonNode body, boolean escape) {
        String plain = JsonText.write(body, false);
        return escape || hasLoneSurrogate(plain) ? JsonText.write(body, true) : plain;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    // --- malformed requests -------------------------------------------------------------------------------------

    private static Arbitrary<FuzzRequest> badCredentials(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        String key = f.tenant.apiKey();
        String secret = f.tenant.apiSecret();
        Arbitrary<String> wrongStrings = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("", " ", "null", key.toUpperCase(), key + "x", key.substring(1), key + "\r\n", "\r\n" + key,
                        key + "\u0000", " " + key, key + " ", secret, f.other.apiSecret(), f.other.apiKey(), f.revokedKey, "key_")),
                Tuple.of(2, Noise.smallStrings()),
                Tuple.of(1, Noise.withLineBreaks()),
                Tuple.of(1, Arbitraries.integers().between(201, 3000).map("k"::repeat)));
        Arbitrary<Tuple.Tuple2<String, UnaryOperator<ObjectNode>>> change = Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(Arbitraries.of("api_key", "api_secret"), wrongStrings)
                        .filter((field, v) -> !v.equals(field.equals("api_key") ? key : secret))
                        .as((field, v) -> Tuple.of(field + " " + shown(v), (UnaryOperator<ObjectNode>) b -> b.put(field, v)))),
                Tuple.of(2, Combinators.combine(Arbitraries.of("api_key", "api_secret"), Noise.nullOrNonStringJson())
                        .as((field, v) -> Tuple.of(field + " " + shown(v) + EXPECTS + wordFor(v, "unauthorized"),
                                (UnaryOperator<ObjectNode>) b -> (ObjectNode) b.set(field, JsonText.raw(v))))),
                Tuple.of(2, Arbitraries.of("api_key", "api_secret", "both").map(field -> Tuple.of(field + " missing",
                        (UnaryOperator<ObjectNode>) b -> field.equals("both") ? b.without(List.of("api_key", "api_secret")) : b.without(field)))),
                Tuple.of(2, Arbitraries.of(
                        Tuple.of("revoked key with the secret", (UnaryOperator<ObjectNode>) b -> b.put("api_key", f.revokedKey)),
                        Tuple.of("another account's key with this secret", (UnaryOperator<ObjectNode>) b -> b.put("api_key", f.other.apiKey())),
                        Tuple.of("this key with another account's secret", (UnaryOperator<ObjectNode>) b -> b.put("api_secret", f.other.apiSecret())),
                        Tuple.of("key and secret swapped", (UnaryOperator<ObjectNode>) b -> b.put("api_key", secret).put("api_secret", key)),
                        Tuple.of("credentials in an object", (UnaryOperator<ObjectNode>) b -> {
                            ObjectNode auth = b.putObject("auth");
                            auth.put("api_key", key).put("api_secret", secret);
                            return b.without(List.of("api_key", "api_secret"));
                        }),
                        Tuple.of("credentials with other names", (UnaryOperator<ObjectNode>) b -> {
                            b.put("apiKey", key).put("API_KEY", key).put("apiSecret", secret);
                            return b.without(List.of("api_key", "api_secret"));
                        }))));
        return Combinators.combine(send, validBody(f), change, Arbitraries.of(false, true)).as((r, body, c, escape) -> {
            String defect = "credentials: " + c.get1();
            return r.json(write(c.get2().apply(body), escape)).defect(defect.contains(EXPECTS) ? defect : defect + EXPECTS + "unauthorized")
                    .expect(0);
        });
    }

    private static Arbitrary<FuzzRequest> wrongMethodOrPath(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        Arbitrary<FuzzRequest> valid = withBody(send, validBody(f));
        Arbitrary<FuzzRequest> methods = Combinators.combine(valid, Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FUZZ", "post"))
                .as((r, method) -> r.method(method).defect("method: " + method + EXPECTS + "not_found").expect(404));
        Arbitrary<FuzzRequest> paths = Combinators.combine(valid, Arbitraries.of("/v1.0/sms/x", "/v1.0/smss", "/v1.0/SMS/", "/v1.0/",
                        "/v1.0/sms/sms/", "/v1.0/sms.json", "/v1.0/mms/", "/v1.0/sms/" + UUID.randomUUID(), "/v1.0/sms/%0d%0a"))
                .as((r, path) -> r.path(path).defect("path: " + path + EXPECTS + "not_found").expect(404));
        return Arbitraries.oneOf(methods, paths);
    }

    private static Arbitrary<FuzzRequest> wrongContentType(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        return Combinators.combine(withBody(send, validBody(f)), Noise.notJson()).as((r, notJson) -> {
            FuzzRequest changed = notJson.apply(r);
            return changed.defect(changed.defect() + EXPECTS + "invalid_json");
        });
    }

    private static Arbitrary<FuzzRequest> brokenBody(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        return Combinators.combine(send, validBody(f), Arbitraries.of(false, true), Noise.breaks()).as((r, body, escape, breaking) -> {
            Tuple.Tuple2<String, byte[]> broken = breaking.apply(write(body, escape));
            return r.header("Content-Type", "application/json").body(broken.get2())
                    .defect("json: " + broken.get1() + EXPECTS + "invalid_json").expect(400);
        });
    }

    /** A valid body with one of to, from, text, callback made wrong; each check has its word. */
    private static Arbitrary<FuzzRequest> badFields(FuzzFixture f, Arbitrary<FuzzRequest> send, boolean allowPrivate) {
        return Combinators.combine(send, validBody(f), fieldDefects(allowPrivate), Arbitraries.of(false, true)).as((r, body, defect, escape) -> {
            ObjectNode changed = defect.get2().apply(body.deepCopy());
            return r.json(write(changed, escape)).defect("field: " + defect.get1()).expect(0);
        });
    }

    /** The word for a non-string JSON value of a field: the field's own, unless the value already breaks the parser. */
    static String wordFor(String json, String fieldWord) {
        if (json.length() > 1000 && json.chars().allMatch(c -> c == '1')) {
            return "invalid_json"; // longer than the parser's 1000-digit number limit
        }
        int depth = 0;
        int deepest = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '[' || c == '{') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        // the body object is one level; the parser follows 64
        return deepest + 1 > 64 ? "invalid_json" : fieldWord;
    }

    /** The fixture's setting: with {@code herald.callbacks.allow-private=true} a private address is a valid callback. */
    private static boolean allowsPrivateCallbacks(FuzzFixture f) {
        return Boolean.parseBoolean(f.app.context().resolvePropertyPlaceholders("{{herald.callbacks.allow-private}}"));
    }

    private static Arbitrary<Tuple.Tuple2<String, UnaryOperator<ObjectNode>>> fieldDefects(boolean allowPrivate) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, fieldDefects("to", "invalid_to", invalidTo())),
                Tuple.of(3, fieldDefects("from", "invalid_from", invalidFrom())),
                Tuple.of(3, fieldDefects("text", "invalid_text", invalidText())),
                Tuple.of(2, callbackDefects(allowPrivate)));
    }

    /** Missing, null, another JSON type, or one of the strings given. */
    private static Arbitrary<Tuple.Tuple2<String, UnaryOperator<ObjectNode>>> fieldDefects(String field, String word, Arbitrary<String> strings) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Tuple.of(field + " missing" + EXPECTS + word, (UnaryOperator<ObjectNode>) b -> b.without(field)))),
                Tuple.of(3, Noise.nullOrNonStringJson().map(v -> Tuple.of(field + " " + shown(v) + EXPECTS + wordFor(v, word),
                        (UnaryOperator<ObjectNode>) b -> (ObjectNode) b.set(field, JsonText.raw(v))))),
                Tuple.of(6, strings.map(v -> Tuple.of(field + " " + shown(v) + EXPECTS + word,
                        (UnaryOperator<ObjectNode>) b -> b.put(field, v)))));
    }

    static Arbitrary<String> invalidTo() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("", " ", "033334445566770 ", " 033334445566770", "033334445566770\n", "\r\n033334445566770",
                        "33334445566770", "0333344455667700", "+033334445566770", "03333444556677a", "0333 3444 5566 770",
                        "０３３３３４４４５５６６７７０", "٠٣٣٣٣٤٤٤٥٥٦٦٧٧٠", "033334445566770\u0000", "0x3334445566770", "1e14",
                        "-33334445566770", "033334445566770\u200b", "O33334445566770", "+306936862208", "13108713613")),
                Tuple.of(1, Noise.strings().filter(s -> !s.matches("0[0-9]{14}"))),
                Tuple.of(1, Noise.withLineBreaks()),
                Tuple.of(1, Noise.withControlCharacters()));
    }

    /** Blank, over 16 characters, or with a control, format, separator, surrogate, private-use or unassigned character. */
    static Arbitrary<String> invalidFrom() {
        Arbitrary<String> bad = Arbitraries.of("\r\n", "\n", "\r", "\u2028", "\u2029", "\u0085", "\r\nBcc: x@y.com", "\u0000", "\t",
                "\u0007", "\u007f", "\u001b", "\u200b", "\u200d", "\ufeff", "\u202e", "\u00ad", "\u2066", "\ud800", "\udfff", "\uffff",
                "\ufffe", "\ue000", "\u0378");
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", " ", "\t", "\u00a0", "\u3000", "   ", "\r\n")),
                Tuple.of(2, Arbitraries.integers().between(17, 300).map("x"::repeat)),
                Tuple.of(1, Arbitraries.of("Company Name 1234", "日本語日本語日本語日本語日本語日本", "\ud83d\ude00".repeat(17))),
                Tuple.of(1, Noise.huge()),
                Tuple.of(5, Combinators.combine(Noise.words().map(w -> w.substring(0, Math.min(w.length(), 6))), bad,
                        Noise.words().map(w -> w.substring(0, Math.min(w.length(), 6))), Arbitraries.integers().between(0, 2))
                        .as((a, c, b, where) -> switch (where) {
                            case 0 -> c + a;
                            case 1 -> a + c + b;
                            default -> a + c;
                        })));
    }

    /** Empty, or at the limits: 180 GSM septets (extension characters count 2), 70 UTF-16 units otherwise. */
    static Arbitrary<String> invalidText() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just("")),
                Tuple.of(2, Arbitraries.integers().between(180, 3000).map("x"::repeat)),
                Tuple.of(1, Arbitraries.integers().between(90, 1000).map("€"::repeat)),
                Tuple.of(1, Arbitraries.integers().between(70, 1000).map("日"::repeat)),
                Tuple.of(1, Arbitraries.integers().between(35, 500).map("\ud83d\ude00"::repeat)),
                Tuple.of(1, Arbitraries.of("x".repeat(178) + "€", "x".repeat(69) + "ą" + "x", "日".repeat(69) + "x", "\u0000".repeat(70), "a\u0000b")),
                Tuple.of(1, Noise.huge()));
    }

    private static Arbitrary<Tuple.Tuple2<String, UnaryOperator<ObjectNode>>> callbackDefects(boolean allowPrivate) {
        List<String> invalid = new ArrayList<>(List.of("", " ", "not a url", "ftp://example.com/x", "http://", "https://", "http:///path",
                "//example.com/x", "/response", "example.com/response", "javascript:alert(1)", "mailto:a@example.com",
                "http://user:pw@example.com/x", "http://exa mple.com/x", "http://example.com/\r\nX-Evil: 1", "http://example.com/\u0000",
                "file:///etc/passwd", "gopher://example.com/", "http://[zz]/x"));
        if (!allowPrivate) {
            invalid.addAll(List.of("http://127.0.0.1/x", "http://localhost:8080/x", "http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data",
                    "http://[::1]/x", "http://0.0.0.0/", "http://192.168.1.1/cb", "http://a.localhost/x"));
        }
        Arbitrary<String> urls = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(invalid)),
                Tuple.of(1, Arbitraries.integers().between(1990, 3000).map(n -> "http://example.com/" + "p".repeat(n))),
                Tuple.of(1, Noise.withLineBreaks().filter(s -> !s.contains("%")).map(s -> "http://example.com/" + s)),
                Tuple.of(1, Noise.words().map(w -> "http://" + w + "\r\n.example.com/")));
        return Arbitraries.frequencyOf(
                Tuple.of(3, Noise.nonStringJson().map(v -> Tuple.of("callback " + shown(v) + EXPECTS + wordFor(v, "invalid_callback"),
                        (UnaryOperator<ObjectNode>) b -> (ObjectNode) b.set("callback", JsonText.raw(v))))),
                Tuple.of(6, urls.map(v -> Tuple.of("callback " + shown(v) + EXPECTS + "invalid_callback",
                        (UnaryOperator<ObjectNode>) b -> b.put("callback", v)))));
    }

    /** Keys that are empty, too long or have a tab (non-ASCII keys: CosmosEdgeTest; this client sends them as '?'). */
    private static Arbitrary<FuzzRequest> badIdempotencyKey(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", "a\tb", "\t", "key\tkey")),
                Tuple.of(1, Arbitraries.integers().between(256, 1000).map("k"::repeat)));
        return Combinators.combine(withBody(send, validBody(f)), keys)
                .as((r, key) -> r.header("Idempotency-Key", key).defect("idempotency key: " + shown(key)
                        + EXPECTS + "invalid_idempotency_key").expect(400));
    }

    /** The fixture's key was used by a CO-SENDER send of the same account: with any COSMOS request it is a conflict. */
    private static Arbitrary<FuzzRequest> usedIdempotencyKey(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        return withBody(send, validBody(f)).map(r -> r.header("Idempotency-Key", f.usedIdempotencyKey)
                .defect("used idempotency key: another request" + EXPECTS + "idempotency_conflict").expect(409));
    }

    /** Bodies over 4096 bytes, valid or garbage, JSON or not: the limit answers first. */
    private static Arbitrary<FuzzRequest> overLimit(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        Arbitrary<byte[]> garbage = Combinators.combine(Arbitraries.integers().between(1, 50_000), Arbitraries.of("x", "{", "[", "\u00e9", "\u0000"))
                .as((extra, unit) -> unit.repeat((BODY_LIMIT + extra) / unit.getBytes(StandardCharsets.UTF_8).length + 1)
                        .getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> padded = Combinators.combine(validBody(f), Arbitraries.integers().between(1, 20_000))
                .as((body, extra) -> body.put("padding", "p".repeat(BODY_LIMIT + extra)).toString().getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(send, Arbitraries.oneOf(garbage, padded), Arbitraries.of("application/json", "text/plain"))
                .as((r, body, type) -> r.header("Content-Type", type).body(body)
                        .defect("over the body limit: " + body.length + " bytes" + EXPECTS + "large_request").expect(413));
    }

    private static Arbitrary<FuzzRequest> validSend(FuzzFixture f, Arbitrary<FuzzRequest> send) {
        return Combinators.combine(withBody(send, validBody(f)),
                        Arbitraries.of("application/json", "application/json; charset=utf-8", "application/JSON", "Application/Json;charset=UTF-8"),
                        Arbitraries.of(false, true))
                .as((r, type, keyed) -> {
                    FuzzRequest valid = r.header("Content-Type", type).valid("send");
                    return keyed ? valid.header("Idempotency-Key", "fuzz-cosmos-" + UUID.randomUUID()) : valid;
                });
    }

    /** A generated value as the defect shows it: escaped, cut to 80 characters. */
    private static String shown(String value) {
        String escaped = FuzzRequest.escape(value);
        return escaped.length() <= 80 ? escaped : escaped.substring(0, 80) + "…(" + value.length() + " chars)";
    }

    private static JsonNode parse(String text, String context) {
        try {
            JsonNode node = JsonText.JSON.readTree(text);
            assertThat(node != null && node.isObject()).as("a JSON object: " + context).isTrue();
            return node;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + context, e);
        }
    }
}
