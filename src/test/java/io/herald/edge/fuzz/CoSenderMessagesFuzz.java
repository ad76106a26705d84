package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.herald.support.HeraldApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** CO-SENDER {@code POST /v1/messages} and {@code GET /v1/messages/{id}} (seed 001); every failure is the error object. */
public final class CoSenderMessagesFuzz implements Dialect {
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Override
    public String name() {
        return "CO-SENDER /v1/messages";
    }

    @Override
    public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
        FuzzRequest send = FuzzRequest.to("POST", "/v1/messages").header("Authorization", HeraldApp.basic(f.tenant.apiKey()));
        return Arbitraries.<FuzzRequest>frequencyOf(
                Tuple.of(12, badAuth(f, send)),
                Tuple.of(5, wrongMethodOrPath(f, send)),
                Tuple.of(8, wrongContentType(f, send)),
                Tuple.of(22, brokenBody(f, send)),
                Tuple.of(30, badFields(f, send)),
                Tuple.of(4, badIdempotencyKey(f, send)),
                Tuple.of(2, usedIdempotencyKey(f, send)),
                Tuple.of(1, overLimit(f, send)),
                Tuple.of(8, reads(f)),
                Tuple.of(1, validSend(f, send)),
                Tuple.of(1, Arbitraries.just(FuzzRequest.to("GET", "/v1/messages/" + f.ownMessageId)
                        .header("Authorization", HeraldApp.basic(f.tenant.apiKey())).valid("read own message"))))
                .map(r -> overTheLimit(f, r));
    }

    /** Whatever else is wrong with it, a send whose body is over the limit (huge strings add up) is 413 first. */
    private static FuzzRequest overTheLimit(FuzzFixture f, FuzzRequest r) {
        boolean send = r.method().equals("POST") && r.path().equals("/v1/messages");
        if (!send || r.body() == null || r.body().length <= f.bodyLimit || r.expectedStatus() == 413) {
            return r;
        }
        return r.defect("over the body limit: " + r.defect()).expect(413);
    }

    @Override
    public Outcome verify(FuzzRequest request, FuzzAnswer answer) {
        if (!request.valid()) {
            return Outcome.of(ErrorObjectFormat.check(request, answer));
        }
        assertThat(answer.status()).as("a valid request succeeds: " + answer + "\nto " + request).isEqualTo(200);
        JsonNode body = parse(answer, request);
        if (request.method().equals("GET")) {
            assertThat(body.path("messageId").asText()).isEqualTo(request.path().substring(request.path().lastIndexOf('/') + 1));
            return Outcome.of("200");
        }
        JsonNode sent = parse(request.bodyText(), request);
        assertThat(body.path("code").asText()).as("code of " + answer).isEqualTo(sent.get("code").asText());
        assertThat(body.path("messages").size()).as("one entry per message: " + answer).isEqualTo(sent.get("messages").size());
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < body.get("messages").size(); i++) {
            JsonNode entry = body.get("messages").get(i);
            String status = entry.path("status").asText();
            assertThat(status).as("entry status in " + answer).isIn("OK", "WARNING", "ERROR");
            if (holdsNul(sent.get("messages").get(i).get("parameters"))) {
                assertThat(status).as("a message whose parameters hold U+0000 is refused: " + answer).isEqualTo("ERROR");
            }
            if (status.equals("ERROR")) {
                assertThat(entry.get("messageId").isNull()).as("an ERROR entry has no message: " + answer).isTrue();
            } else {
                assertThat(entry.path("messageId").asText()).as("message id in " + answer).matches(UUID_PATTERN);
                ids.add(entry.get("messageId").asText());
            }
        }
        assertThat(body.get("messages").get(0).path("status").asText()).as("the first recipient is valid: " + answer).isNotEqualTo("ERROR");
        return new Outcome("200", ids);
    }

    // --- valid bodies -------------------------------------------------------------------------------------------

    static Arbitrary<String> validEmail() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(20).map(s -> s + "@example.com")),
                Tuple.of(1, Arbitraries.of("jane.doe@example.com", "JANE@EXAMPLE.COM", "j_d-1@sub.example.org", "  pad@example.com  ")));
    }

    static Arbitrary<String> validPhone() {
        return Arbitraries.of("+306936862208", "13108713613", "+1 310 871 3613", "+30 693 686 2208", "+1-310-871-3613",
                "+1 (310) 871.3613");
    }

    static Arbitrary<String> invalidRecipient(boolean sms) {
        Arbitrary<String> known = sms
                ? Arbitraries.of("jane@example.com", "abc", "123", "+1", "0", "+999 999 999", "00", "+", "phone")
                : Arbitraries.of("not-an-email", "a@", "@example.com", "a@@example.com", "a@b", "jane@example.com\r\nBcc: x@y.com",
                "13108713613", "jane@exa mple.com", "jane@example..com", "<jane@example.com>");
        Arbitrary<String> noise = sms
                ? Noise.smallStrings().filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isDigit))
                : Noise.smallStrings().filter(s -> !s.isBlank() && !s.contains("@"));
        return Arbitraries.frequencyOf(Tuple.of(2, known), Tuple.of(1, noise));
    }

    static Arbitrary<JsonNode> parameterValue(boolean huge) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, (huge ? Noise.strings() : Noise.smallStrings()).map(TextNode::valueOf)),
                Tuple.of(1, Arbitraries.integers().map(IntNode::valueOf)),
                Tuple.of(1, Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance)),
                Tuple.of(1, Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-0.000000000000000000000001"),
                        new BigDecimal("123456789012345678901234567890")).map(DecimalNode::valueOf)));
    }

    /** Whether a text among these values holds U+0000, which refuses a message (PostgreSQL refuses it in text). */
    static boolean holdsNul(Iterable<JsonNode> values) {
        if (values == null) {
            return false;
        }
        for (JsonNode v : values) {
            if (v != null && v.isTextual() && v.asText().indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }

    static Arbitrary<Map<String, JsonNode>> parameters(boolean huge) {
        Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("name", "code", "first_name", "email", "phone_number",
                "unsubscribe", "company_address")), Tuple.of(1, Noise.smallStrings()));
        // a list of entries, not Arbitraries.maps: its unique keys cost ten times as much to generate. Keys are unique
        // as sent: a lone surrogate goes over the wire as '?', so two such keys would be one key written twice (which
        // a valid request must not have); each key is taken in the form the body carries it
        return Combinators.combine(key, parameterValue(huge)).as(Map::entry).list().ofMaxSize(4).map(entries -> {
            Map<String, JsonNode> map = new java.util.LinkedHashMap<>();
            entries.forEach(e -> map.put(new String(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.UTF_8), e.getValue()));
            return map;
        });
    }

    static ObjectNode message(String recipient, Map<String, JsonNode> parameters) {
        ObjectNode m = JsonText.object();
        m.put("recipient", recipient);
        if (!parameters.isEmpty()) {
            ObjectNode p = m.putObject("parameters");
            parameters.forEach(p::set);
        }
        return m;
    }

    /** A valid send: the first recipient valid for the campaign's channel, up to nine more of any kind, noise in parameters. */
    static Arbitrary<ObjectNode> validBody(FuzzFixture f, boolean huge) {
        return Arbitraries.oneOf(validBody(f.emailCode, false, huge), validBody(f.smsCode, true, huge));
    }

    /**
     * With {@code huge}, the first message of an email may carry one huge value, for the text only (a subject over
     * 2,000 characters rejects the message, which is right, but would make this body a failed send).
     */
    private static Arbitrary<ObjectNode> validBody(String code, boolean sms, boolean huge) {
        Arbitrary<String> good = sms ? validPhone() : validEmail();
        Arbitrary<Map<String, JsonNode>> firstParameters = huge && !sms
                ? Combinators.combine(parameters(false), Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just("")), Tuple.of(1, Noise.huge())))
                .as((params, text) -> {
                    Map<String, JsonNode> all = new java.util.LinkedHashMap<>(params);
                    if (!text.isEmpty()) {
                        all.put("code", TextNode.valueOf(text));
                    }
                    return all;
                })
                : parameters(false);
        // the first message is valid: no U+0000 in its values
        firstParameters = firstParameters.filter(params -> !holdsNul(params.values()));
        Arbitrary<ObjectNode> another = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(2, good), Tuple.of(1, invalidRecipient(sms))), parameters(false)).as(CoSenderMessagesFuzz::message);
        Arbitrary<Map<String, JsonNode>> unknownFields = Combinators.combine(Arbitraries.of("unknown", "campaign", "id", "priority"),
                Noise.smallStrings()).as((k, v) -> Map.<String, JsonNode>of(k, TextNode.valueOf(v))).injectNull(0.5)
                .map(m -> m == null ? Map.<String, JsonNode>of() : m);
        return Combinators.combine(good, firstParameters, another.list().ofMaxSize(9), unknownFields).as((recipient, params, others, unknown) -> {
            ObjectNode body = JsonText.object();
            body.put("code", code);
            ArrayNode messages = body.putArray("messages");
            messages.add(message(recipient, params));
            others.forEach(messages::add);
            unknown.forEach(body::set);
            return body;
        });
    }

    static Arbitrary<FuzzRequest> withBody(Arbitrary<ObjectNode> bodies, FuzzRequest request) {
        return Combinators.combine(bodies, Arbitraries.of(false, true)).as((body, escape) -> request.json(JsonText.write(body, escape)));
    }

    // --- malformed requests -------------------------------------------------------------------------------------

    private static Arbitrary<FuzzRequest> badAuth(FuzzFixture f, FuzzRequest send) {
        return Combinators.combine(withBody(validBody(f, false), send), Noise.badBasicAuth(f.tenant.apiKey(), f.revokedKey))
                .as((r, auth) -> r.header("Authorization", auth).defect("auth: " + (auth == null ? "none" : auth)).expect(401));
    }

    private static Arbitrary<FuzzRequest> wrongMethodOrPath(FuzzFixture f, FuzzRequest send) {
        Arbitrary<FuzzRequest> methods = Combinators.combine(withBody(validBody(f, false), send),
                        Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FUZZ", "post"))
                .as((r, method) -> r.method(method).defect("method: " + method).expect(404));
        Arbitrary<FuzzRequest> paths = Combinators.combine(withBody(validBody(f, false), send),
                        Arbitraries.of("/v1/messagez", "/v2/messages", "/v1/messages/x", "/v1/messages/" + f.ownMessageId, "/v1",
                                "/", "/v1/messages.json", "/messages", "/v1/campaigns/" + f.emailCode + "/messages"))
                .as((r, path) -> r.path(path).defect("path: " + path).expect(404));
        return Arbitraries.oneOf(methods, paths);
    }

    private static Arbitrary<FuzzRequest> wrongContentType(FuzzFixture f, FuzzRequest send) {
        return Combinators.combine(withBody(validBody(f, false), send), Noise.notJson()).as((r, notJson) -> notJson.apply(r));
    }

    private static Arbitrary<FuzzRequest> brokenBody(FuzzFixture f, FuzzRequest send) {
        return Combinators.combine(validBody(f, true), Arbitraries.of(false, true), Noise.breaks()).as((body, escape, breaking) -> {
            Tuple.Tuple2<String, byte[]> broken = breaking.apply(JsonText.write(body, escape));
            return send.header("Content-Type", "application/json").body(broken.get2()).defect("json: " + broken.get1()).expect(400);
        });
    }

    /** A valid body with one field made wrong: type, null, missing, blank, unknown, another account's, too many. */
    private static Arbitrary<FuzzRequest> badFields(FuzzFixture f, FuzzRequest send) {
        return Combinators.combine(validBody(f, true), fieldDefects(f), Arbitraries.of(false, true))
                .as((body, defect, escape) -> {
                    ObjectNode changed = (ObjectNode) defect.get3().apply(body.deepCopy());
                    return send.json(JsonText.write(changed, escape)).defect("field: " + defect.get1()).expect(defect.get2());
                });
    }

    private static Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> fieldDefects(FuzzFixture f) {
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> code = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(defect("code missing", 400, b -> ((ObjectNode) b).without("code")))),
                Tuple.of(3, Noise.nullOrNonStringJson().map(v -> defect("code " + v, 400, b -> ((ObjectNode) b).set("code", JsonText.raw(v))))),
                Tuple.of(1, Arbitraries.of("", " ", "\t", "\r\n").map(v -> defect("code blank", 400, b -> ((ObjectNode) b).put("code", v)))),
                Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(13)
                        .map(v -> defect("code unknown", 404, b -> ((ObjectNode) b).put("code", v)))),
                Tuple.of(2, Noise.strings().map(v -> defect("code noise", 0, b -> ((ObjectNode) b).put("code", v)))),
                Tuple.of(2, Arbitraries.of(f.otherCode, f.otherInactiveCode, f.emailCode.toUpperCase(), " " + f.emailCode, f.emailCode + "\n")
                        .map(v -> defect("code of another account or mangled", 404, b -> ((ObjectNode) b).put("code", v)))),
                Tuple.of(2, Arbitraries.of(f.inactiveCode, f.draftCode)
                        .map(v -> defect("code of an inactive campaign", 400, b -> ((ObjectNode) b).put("code", v)))));
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> messages = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(defect("messages missing", 400, b -> ((ObjectNode) b).without("messages")))),
                Tuple.of(2, Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("null")), Tuple.of(1, Arbitraries.of("\"x\"", "\"\"", "1", "true", "{}",
                                "{\"recipient\":\"a@example.com\"}")), Tuple.of(1, Noise.deepNesting()))
                        .map(v -> defect("messages " + v, 400, b -> ((ObjectNode) b).set("messages", JsonText.raw(v))))),
                Tuple.of(1, Arbitraries.just(defect("messages empty", 400, b -> ((ObjectNode) b).set("messages", JsonText.array())))),
                Tuple.of(2, Arbitraries.integers().between(11, 60).map(n -> defect(n + " messages", 400, b -> {
                    ArrayNode list = (ArrayNode) b.get("messages");
                    while (list.size() < n) {
                        list.add(message("more" + list.size() + "@example.com", Map.of()));
                    }
                    return b;
                }))),
                Tuple.of(3, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("null")),
                                Tuple.of(3, Noise.nonStringJson().filter(v -> !v.startsWith("{"))), Tuple.of(1, Noise.strings().map(s -> JsonText.write(TextNode.valueOf(s), false)))))
                        .as((i, v) -> defect("a message that is " + v, 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("messages");
                            list.set(Math.min(i, list.size() - 1), JsonText.raw(v));
                            return b;
                        }))),
                Tuple.of(3, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.frequencyOf(
                                Tuple.of(1, Arbitraries.just(Tuple.of("missing", (String) null))),
                                Tuple.of(1, Arbitraries.of("null", "\"\"", "\" \"", "\"\\t\\r\\n\"").map(v -> Tuple.of("blank", v))),
                                Tuple.of(3, Noise.nonStringJson().map(v -> Tuple.of("not a string", v)))))
                        .as((i, v) -> defect("a recipient " + v.get1() + (v.get2() == null ? "" : " " + v.get2()), 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("messages");
                            ObjectNode m = (ObjectNode) list.get(Math.min(i, list.size() - 1));
                            if (v.get2() == null) {
                                m.remove("recipient");
                            } else {
                                m.set("recipient", JsonText.raw(v.get2()));
                            }
                            return b;
                        }))),
                Tuple.of(3, Arbitraries.oneOf(everyRecipientInvalid(f.emailCode, false), everyRecipientInvalid(f.smsCode, true))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of("\"text\"", "\"\"", "1", "-1", "true", "[]", "[1]", "[{}]", "1e309", "[null]")),
                                Tuple.of(1, Noise.deepNesting())))
                        .as((i, v) -> defect("parameters " + v, 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("messages");
                            ((ObjectNode) list.get(Math.min(i, list.size() - 1))).set("parameters", JsonText.raw(v));
                            return b;
                        }))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 9), Noise.containerJson(), Noise.smallStrings())
                        .as((i, v, key) -> defect("a parameter value " + v, 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("messages");
                            ObjectNode m = (ObjectNode) list.get(Math.min(i, list.size() - 1));
                            JsonNode p = m.get("parameters");
                            ObjectNode params = p instanceof ObjectNode o ? o : m.putObject("parameters");
                            params.set(key, JsonText.raw(v));
                            return b;
                        }))));
        return Arbitraries.frequencyOf(Tuple.of(4, code), Tuple.of(6, messages));
    }

    private static Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> everyRecipientInvalid(String code, boolean sms) {
        return invalidRecipient(sms).list().ofSize(10).map(bad -> defect("every recipient invalid", 400, b -> {
            ObjectNode body = (ObjectNode) b;
            body.put("code", code);
            ArrayNode list = (ArrayNode) body.get("messages");
            for (int i = 0; i < list.size(); i++) {
                ((ObjectNode) list.get(i)).put("recipient", bad.get(i));
            }
            return b;
        }));
    }

    private static Tuple3<String, Integer, UnaryOperator<JsonNode>> defect(String what, int status, UnaryOperator<JsonNode> change) {
        return Tuple.of(what, status, change);
    }

    /** Keys that are empty, too long or have a tab (non-ASCII keys are in IdempotencyTest: this client sends them as '?'). */
    private static Arbitrary<FuzzRequest> badIdempotencyKey(FuzzFixture f, FuzzRequest send) {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", "a\tb", "\t", "key\tkey")),
                Tuple.of(1, Arbitraries.integers().between(256, 1000).map("k"::repeat)),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofLength(254).map(s -> "k" + s + "k")));
        return Combinators.combine(withBody(validBody(f, false), send), keys)
                .as((r, key) -> r.header("Idempotency-Key", key).defect("idempotency key: " + key).expect(400));
    }

    private static Arbitrary<FuzzRequest> usedIdempotencyKey(FuzzFixture f, FuzzRequest send) {
        return withBody(validBody(f, false), send).filter(r -> !r.bodyText().equals(f.usedIdempotencyBody))
                .map(r -> r.header("Idempotency-Key", f.usedIdempotencyKey).defect("idempotency key used for another request").expect(409));
    }

    /** Bodies over the endpoint's limit, valid or garbage, authenticated or not: the limit answers first. */
    private static Arbitrary<FuzzRequest> overLimit(FuzzFixture f, FuzzRequest send) {
        Arbitrary<byte[]> bodies = Combinators.combine(Arbitraries.integers().between(1, 50_000), Arbitraries.of("x", "{", "[", "\u00e9", "\u0000"))
                .as((extra, unit) -> unit.repeat((f.bodyLimit + extra) / unit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Arbitrary<String> auth = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(HeraldApp.basic(f.tenant.apiKey()))),
                Tuple.of(1, Noise.badBasicAuth(f.tenant.apiKey(), f.revokedKey)));
        return Combinators.combine(bodies, auth, Arbitraries.of("application/json", "text/plain"))
                .as((body, a, type) -> send.header("Authorization", a).header("Content-Type", type).body(body)
                        .defect("over the body limit: " + body.length + " bytes").expect(413));
    }

    private static Arbitrary<FuzzRequest> reads(FuzzFixture f) {
        Arbitrary<String> ids = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(f.otherMessageId)),
                Tuple.of(1, Arbitraries.create(UUID::randomUUID).map(UUID::toString)),
                Tuple.of(3, Noise.unknownSegments()));
        Arbitrary<String> auth = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(HeraldApp.basic(f.tenant.apiKey()))),
                Tuple.of(1, Noise.badBasicAuth(f.tenant.apiKey(), f.revokedKey)));
        return Combinators.combine(ids, auth).as((id, a) -> {
            FuzzRequest r = FuzzRequest.to("GET", "/v1/messages/" + id).header("Authorization", a);
            boolean authenticated = HeraldApp.basic(f.tenant.apiKey()).equals(a);
            if (!authenticated) {
                return r.defect("read: bad auth").expect(id.equals(f.otherMessageId) ? 401 : 0);
            }
            return id.equals(f.otherMessageId) ? r.defect("read: another account's message").expect(404)
                    : r.defect("read: unknown message").expect(0);
        });
    }

    private static Arbitrary<FuzzRequest> validSend(FuzzFixture f, FuzzRequest send) {
        return Combinators.combine(withBody(validBody(f, true), send),
                        Arbitraries.of("application/json", "application/json; charset=utf-8", "application/JSON", "Application/Json;charset=UTF-8"),
                        Arbitraries.of(false, true))
                .as((r, type, keyed) -> {
                    FuzzRequest valid = r.header("Content-Type", type).valid("send");
                    return keyed ? valid.header("Idempotency-Key", "fuzz-" + UUID.randomUUID()) : valid;
                });
    }

    private static JsonNode parse(FuzzAnswer answer, FuzzRequest request) {
        return parse(answer.body(), request);
    }

    private static JsonNode parse(String text, FuzzRequest request) {
        try {
            return JsonText.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text + "\nfor " + request, e);
        }
    }
}
