package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.herald.support.HeraldApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messaging API {@code POST /api/SendMessages} and {@code GET /api/Dispatches/{id}} (seed 002); every failure is the
 * seed-001 error object (SPEC §3). Valid sends carry noise (CR/LF, control and unicode edge cases, huge values) in
 * every recipient string: they must answer 200, list every recipient that is invalid by construction, send every one
 * that is valid by construction, and store exactly {@code totalRecipientsSent} messages.
 */
public final class MessagingApiFuzz implements Dialect {
    private static final String SEND = "/api/SendMessages";
    private static final List<String> SEND_FIELDS = List.of("dispatch", "totalRecipients", "totalRecipientsSent", "invalidRecipients",
            "sendDate", "invalidEmails", "invalidMobiles");
    private static final List<String> DISPATCH_FIELDS = List.of("dispatchId", "campaignMessageId", "scheduleId", "createdAt",
            "startedQueuingAt", "finishedQueuingAt", "messageTypeId", "isTest", "isInitialized", "hasStartedQueuing",
            "hasFinishedQueuing", "totalRecipients", "sendStatusId", "errorMessage", "lastUpdate", "queueAt", "sendAt",
            "legacyCode1", "gatewayId", "gatewayId1", "creationDate", "modifiedDate");
    private static final String VALID_EMAIL = "[a-z0-9]{1,20}@example\\.com";

    /** The fixture's templates (campaign ids) and dispatches, looked up once. */
    private volatile Templates templates;

    private record Templates(FuzzFixture f, long email, long sms, long inactive, long draft, long other, long otherInactive,
                             long ownDispatch, long otherDispatch) {
    }

    @Override
    public String name() {
        return "Messaging API /api";
    }

    @Override
    public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
        Templates t = templates(f);
        FuzzRequest send = FuzzRequest.to("POST", SEND).header("Authorization", HeraldApp.basic(f.tenant.apiKey()));
        return Arbitraries.frequencyOf(
                Tuple.of(12, badAuth(f, t, send)),
                Tuple.of(5, wrongMethodOrPath(t, send)),
                Tuple.of(8, wrongContentType(t, send)),
                Tuple.of(20, brokenBody(t, send)),
                Tuple.of(30, badFields(t, send)),
                Tuple.of(4, badIdempotencyKey(t, send)),
                Tuple.of(2, usedIdempotencyKey(f, t, send)),
                Tuple.of(8, reads(f, t)),
                Tuple.of(3, validSend(t, send)),
                Tuple.of(1, Arbitraries.just(FuzzRequest.to("GET", "/api/Dispatches/" + t.ownDispatch)
                        .header("Authorization", HeraldApp.basic(f.tenant.apiKey())).valid("read own dispatch"))));
    }

    private Templates templates(FuzzFixture f) {
        Templates t = templates;
        if (t == null || t.f != f) {
            long email = campaignId(f, f.emailCode);
            long other = campaignId(f, f.otherCode);
            // dispatches without a valid recipient: they exist, but hold no message
            long own = noMessageDispatch(f, f.tenant.apiKey(), email);
            long otherDispatch = noMessageDispatch(f, f.other.apiKey(), other);
            t = new Templates(f, email, campaignId(f, f.smsCode), campaignId(f, f.inactiveCode), campaignId(f, f.draftCode), other,
                    campaignId(f, f.otherInactiveCode), own, otherDispatch);
            templates = t;
        }
        return t;
    }

    private static long campaignId(FuzzFixture f, String code) {
        return query(f, "SELECT id FROM campaign WHERE code = ?", code).stream().findFirst().map(Long::parseLong)
                .orElseThrow(() -> new IllegalStateException("no campaign " + code));
    }

    private static long noMessageDispatch(FuzzFixture f, String apiKey, long template) {
        String body = "{\"templateId\":" + template + ",\"recipients\":[{\"uniqueId\":\"x\",\"email\":\"not-an-email\"}]}";
        JsonNode answer = f.app.send("POST", SEND, "application/json", body, Map.of("Authorization", HeraldApp.basic(apiKey)))
                .expect(200).json();
        assertThat(answer.get("totalRecipientsSent").asInt()).isZero();
        return answer.get("dispatch").asLong();
    }

    private static List<String> query(FuzzFixture f, String sql, Object... params) {
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- answers ------------------------------------------------------------------------------------------------

    @Override
    public Outcome verify(FuzzRequest request, FuzzAnswer answer) {
        if (!request.valid()) {
            return Outcome.of(ErrorObjectFormat.check(request, answer));
        }
        assertThat(answer.status()).as("a valid request succeeds: " + answer + "\nto " + request).isEqualTo(200);
        JsonNode body = parse(answer.body(), request);
        if (request.method().equals("GET")) {
            assertThat(fieldNames(body)).as("dispatch fields of " + answer).containsExactlyElementsOf(DISPATCH_FIELDS);
            assertThat(body.get("dispatchId").asText()).isEqualTo(request.path().substring(request.path().lastIndexOf('/') + 1));
            return Outcome.of("200");
        }
        assertThat(fieldNames(body)).as("answer fields of " + answer + "\nto " + request).containsExactlyElementsOf(SEND_FIELDS);
        JsonNode sent = parse(request.bodyText(), request);
        Expected expected = Expected.of(sent, templates.email == sent.get("templateId").asLong());
        String context = answer + "\nto " + request;
        int total = body.get("totalRecipients").asInt();
        int accepted = body.get("totalRecipientsSent").asInt();
        int invalid = body.get("invalidRecipients").asInt();
        assertThat(total).as("totalRecipients of " + context).isEqualTo(sent.get("recipients").size());
        assertThat(accepted + invalid).as("sent + invalid = total: " + context).isEqualTo(total);
        assertThat(accepted).as("every recipient valid by construction is sent: " + context).isGreaterThanOrEqualTo(expected.valid);
        assertThat(invalid).as("every recipient invalid by construction is refused: " + context).isGreaterThanOrEqualTo(expected.invalid);
        assertThat(body.get("invalidEmails").size() + body.get("invalidMobiles").size()).as("invalid ones listed: " + context)
                .isEqualTo(invalid);
        if (expected.email) {
            assertThat(body.get("invalidMobiles")).as(context).isEmpty();
            List<String> listed = new ArrayList<>();
            body.get("invalidEmails").forEach(e -> listed.add(e.asText()));
            assertThat(listed).as("listed invalid emails: " + context).containsAll(expected.invalidAddresses);
        } else {
            assertThat(body.get("invalidEmails")).as(context).isEmpty();
        }
        assertThat(OffsetDateTime.parse(body.get("sendDate").asText())).as("sendDate of " + context).isNotNull();
        long dispatch = body.get("dispatch").asLong();
        templates.f.app.awaitSpoolDrained(dispatch);
        Set<String> ids = new LinkedHashSet<>(query(templates.f, "SELECT id FROM message WHERE dispatch_id = ?", dispatch));
        assertThat(ids).as("the dispatch stores one message per recipient sent: " + context).hasSize(accepted);
        if (request.defect().contains("without a valid recipient")) {
            assertThat(accepted).as("nothing sent: " + context).isZero();
        }
        return new Outcome(accepted == 0 ? "200 (none sent)" : "200", ids);
    }

    /** What a valid body's recipients must come to: lower bounds on sent and invalid ones. */
    private record Expected(boolean email, int valid, int invalid, List<String> invalidAddresses) {
        static Expected of(JsonNode body, boolean email) {
            int valid = 0;
            int invalid = 0;
            List<String> invalidAddresses = new ArrayList<>();
            Set<String> uniqueIds = new HashSet<>();
            for (JsonNode r : body.get("recipients")) {
                JsonNode id = r.get("uniqueId");
                boolean firstId = id != null && id.isTextual() && !id.asText().isBlank() && uniqueIds.add(id.asText());
                JsonNode address = r.get(email ? "email" : "mobilePhone");
                String text = address == null || address.isNull() ? null : address.asText();
                boolean invalidAddress = text != null && (KNOWN_INVALID.contains(text) || email && hasControl(text));
                if (!firstId || text == null || invalidAddress || holdsNul(r)) {
                    invalid++;
                    if (email && firstId && invalidAddress) {
                        invalidAddresses.add(text);
                    }
                } else if (email ? text.matches(VALID_EMAIL) : text.equals("+306936862208")) {
                    valid++;
                }
            }
            return new Expected(email, valid, invalid, invalidAddresses);
        }

        /** U+0000 in a value Herald would store or render refuses the recipient (PostgreSQL refuses it in text). */
        private static boolean holdsNul(JsonNode recipient) {
            List<JsonNode> values = new ArrayList<>();
            for (String field : List.of("uniqueId", "cardNumber", "email", "mobilePhone")) {
                values.add(recipient.get(field));
            }
            JsonNode payload = recipient.get("payload");
            if (payload != null) {
                payload.forEach(values::add);
            }
            return CoSenderMessagesFuzz.holdsNul(values);
        }

        private static boolean hasControl(String s) {
            return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        }
    }

    private static final Set<String> KNOWN_INVALID = Set.of("not-an-email", "a@", "@example.com", "a@@example.com", "a@b",
            "jane@example.com\r\nBcc: x@y.com", "jane@exa mple.com", "jane@example..com", "<jane@example.com>", "abc", "+1", "0",
            "+999 999 999", "00", "+", "phone", "");

    // --- valid bodies -------------------------------------------------------------------------------------------

    /** Addresses of the channel that are invalid by construction. */
    private static Arbitrary<String> invalidAddress(boolean email) {
        return Arbitraries.of(KNOWN_INVALID.stream().filter(s -> s.isEmpty() || email == s.contains("@")).sorted().toList());
    }

    /** Noise in a string field that must not break the request: it is just a value (maybe an invalid one). */
    private static Arbitrary<String> noisyText() {
        return Arbitraries.frequencyOf(Tuple.of(30, Noise.smallStrings()), Tuple.of(1, Noise.huge()));
    }

    /** A recipient: valid for the template's channel, invalid by construction, or with noise in every field. */
    private static Arbitrary<ObjectNode> recipient(boolean email, int index) {
        Arbitrary<String> good = email ? CoSenderMessagesFuzz.validEmail().filter(s -> s.matches(VALID_EMAIL))
                : Arbitraries.just("+306936862208");
        Arbitrary<String> bad = invalidAddress(email);
        Arbitrary<String> noise = noisyText();
        Arbitrary<String> address = Arbitraries.frequencyOf(Tuple.of(4, good), Tuple.of(2, bad), Tuple.of(2, noise));
        Arbitrary<Map<String, JsonNode>> payload = CoSenderMessagesFuzz.parameters(false);
        Arbitrary<String> otherAddress = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("")), Tuple.of(1, noise),
                Tuple.of(1, email ? Arbitraries.just("+306936862208") : CoSenderMessagesFuzz.validEmail()));
        Arbitrary<String> card = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, Noise.smallStrings()
                .filter(s -> s.length() <= 200)));
        Arbitrary<String> uniqueId = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("u" + index)),
                Tuple.of(1, Noise.smallStrings().filter(s -> s.length() <= 190).map(s -> "u" + index + s)),
                Tuple.of(1, Arbitraries.of("u0", "", " ", "\r\n")));
        return Combinators.combine(uniqueId, address, otherAddress, card, payload, noise).as((id, a, other, c, p, extra) -> {
            ObjectNode r = JsonText.object();
            r.put("uniqueId", id);
            r.put(email ? "email" : "mobilePhone", a);
            if (!other.isEmpty()) {
                r.put(email ? "mobilePhone" : "email", other);
            }
            if (!c.isEmpty()) {
                r.put("cardNumber", c);
            }
            if (!p.isEmpty()) {
                ObjectNode payloadNode = r.putObject("payload");
                p.forEach(payloadNode::set);
            }
            r.put("password", extra);
            return r;
        });
    }

    /** The first recipient is valid by construction; up to 9 more of any kind. */
    private static Arbitrary<ObjectNode> validBody(Templates t) {
        return Arbitraries.of(true, false).flatMap(email -> Combinators.combine(
                        recipient(email, 0).filter(r -> r.get("uniqueId").asText().equals("u0")
                                && r.get(email ? "email" : "mobilePhone").asText().matches(email ? VALID_EMAIL : "\\+306936862208")),
                        Arbitraries.integers().between(0, 9).flatMap(n -> n == 0 ? Arbitraries.just(List.<ObjectNode>of())
                                : Combinators.combine(indexed(email, n)).as(l -> l)),
                        validSchedule(), Arbitraries.of(false, true))
                .as((first, others, schedule, unknownField) -> {
                    ObjectNode body = JsonText.object();
                    if (unknownField) {
                        body.put("campaign", "ignored");
                    }
                    body.put("templateId", email ? t.email : t.sms);
                    if (schedule != null) {
                        body.put("scheduleDate", schedule);
                    }
                    ArrayNode list = body.putArray("recipients");
                    list.add(first);
                    others.forEach(list::add);
                    return body;
                }));
    }

    private static List<Arbitrary<ObjectNode>> indexed(boolean email, int n) {
        List<Arbitrary<ObjectNode>> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(recipient(email, i));
        }
        return list;
    }

    /** Absent, blank, past (sent now) or within the year ahead (held), with and without offset. */
    private static Arbitrary<String> validSchedule() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("", " ", "\t")),
                Tuple.of(2, Arbitraries.of("2016-05-12T10:00:00+03:00", "2016-05-12T10:00:00", "2020-02-29T23:59:59.999Z",
                        "1970-01-01T00:00:00Z", "2016-05-12T10:00:00-12:00", "2016-05-12T10:00:00+14:00", " 2016-05-12T10:00:00Z\r\n")),
                Tuple.of(1, Arbitraries.integers().between(1, 360).map(days -> OffsetDateTime.now(ZoneOffset.ofHours(3)).plusDays(days)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))));
    }

    private static Arbitrary<FuzzRequest> withBody(Arbitrary<ObjectNode> bodies, FuzzRequest request) {
        return Combinators.combine(bodies, Arbitraries.of(false, true)).as((body, escape) -> request.json(JsonText.write(body, escape)));
    }

    private static Arbitrary<FuzzRequest> validSend(Templates t, FuzzRequest send) {
        Arbitrary<FuzzRequest> noisy = Combinators.combine(withBody(validBody(t), send),
                        Arbitraries.of("application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"),
                        Arbitraries.of(false, true))
                .as((r, type, keyed) -> {
                    FuzzRequest valid = r.header("Content-Type", type).valid("send");
                    return keyed ? valid.header("Idempotency-Key", "fuzz-" + UUID.randomUUID()) : valid;
                });
        Arbitrary<FuzzRequest> noneValid = Arbitraries.of(true, false).flatMap(email -> invalidAddress(email).list().ofMinSize(1).ofMaxSize(5)
                .map(bad -> {
                    ObjectNode body = JsonText.object();
                    body.put("templateId", email ? t.email : t.sms);
                    ArrayNode list = body.putArray("recipients");
                    for (int i = 0; i < bad.size(); i++) {
                        list.addObject().put("uniqueId", "u" + i).put(email ? "email" : "mobilePhone", bad.get(i));
                    }
                    return send.json(JsonText.write(body, false)).valid("send without a valid recipient");
                }));
        return Arbitraries.frequencyOf(Tuple.of(4, noisy), Tuple.of(1, noneValid));
    }

    // --- malformed requests -------------------------------------------------------------------------------------

    private static Arbitrary<FuzzRequest> badAuth(FuzzFixture f, Templates t, FuzzRequest send) {
        Arbitrary<FuzzRequest> requests = Arbitraries.frequencyOf(Tuple.of(3, withBody(validBody(t), send)),
                Tuple.of(1, Arbitraries.of(t.ownDispatch, t.otherDispatch).map(id -> FuzzRequest.to("GET", "/api/Dispatches/" + id))));
        return Combinators.combine(requests, Noise.badBasicAuth(f.tenant.apiKey(), f.revokedKey))
                .as((r, auth) -> r.header("Authorization", auth).defect("auth: " + (auth == null ? "none" : auth)).expect(401));
    }

    private static Arbitrary<FuzzRequest> wrongMethodOrPath(Templates t, FuzzRequest send) {
        Arbitrary<FuzzRequest> methods = Combinators.combine(withBody(validBody(t), send),
                        Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FUZZ", "post"))
                .as((r, method) -> r.method(method).defect("method: " + method).expect(404));
        Arbitrary<FuzzRequest> paths = Combinators.combine(withBody(validBody(t), send),
                        Arbitraries.of("/api/SendMessagez", "/api/v1/SendMessages", "/api/SendMessages/1", "/api/Dispatches",
                                "/api/Dispatches/" + t.ownDispatch, "/SendMessages", "/api", "/api/SendMessages.json"))
                .as((r, path) -> r.path(path).defect("path: " + path).expect(404));
        return Arbitraries.oneOf(methods, paths);
    }

    private static Arbitrary<FuzzRequest> wrongContentType(Templates t, FuzzRequest send) {
        return Combinators.combine(withBody(validBody(t), send), Noise.notJson()).as((r, notJson) -> notJson.apply(r));
    }

    private static Arbitrary<FuzzRequest> brokenBody(Templates t, FuzzRequest send) {
        return Combinators.combine(validBody(t), Arbitraries.of(false, true), Noise.breaks()).as((body, escape, breaking) -> {
            Tuple.Tuple2<String, byte[]> broken = breaking.apply(JsonText.write(body, escape));
            return send.header("Content-Type", "application/json").body(broken.get2()).defect("json: " + broken.get1()).expect(400);
        });
    }

    /** A valid body with one field made wrong: type, null, missing, out of range, another account's template. */
    private static Arbitrary<FuzzRequest> badFields(Templates t, FuzzRequest send) {
        return Combinators.combine(validBody(t), fieldDefects(t), Arbitraries.of(false, true))
                .as((body, defect, escape) -> {
                    ObjectNode changed = (ObjectNode) defect.get3().apply(body.deepCopy());
                    return send.json(JsonText.write(changed, escape)).defect("field: " + defect.get1()).expect(defect.get2());
                });
    }

    /** JSON that is neither a number nor null nor a string: for fields that take a string or a number. */
    private static Arbitrary<String> containerOrBoolean() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of("true", "false")), Tuple.of(3, Noise.containerJson()));
    }

    private static Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> fieldDefects(Templates t) {
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> templateId = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("missing", "null").map(how -> defect("templateId " + how, 400,
                        b -> how.equals("null") ? ((ObjectNode) b).putNull("templateId") : ((ObjectNode) b).without("templateId")))),
                Tuple.of(3, Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of("\"" + t.email + "\"", "\"\"", "1.5", "7.1e1", "1e309", "-0.0", "true", "[]",
                                        "[" + t.email + "]", "{}", "{\"id\":" + t.email + "}", "123456789012345678901234567890",
                                        "9223372036854775808", "-9223372036854775809", "0.000000000000000000000000000001")),
                                Tuple.of(1, Noise.strings().map(s -> JsonText.write(TextNode.valueOf(s), false))),
                                Tuple.of(1, Arbitraries.integers().between(1001, 5000).map(n -> "1".repeat(n))),
                                Tuple.of(1, Noise.deepNesting()))
                        .map(v -> defect("templateId " + shorten(v), 400, b -> ((ObjectNode) b).set("templateId", JsonText.raw(v))))),
                Tuple.of(2, Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, t.other, t.otherInactive, t.email + 100_000)
                        .map(v -> defect("templateId unknown or another account's: " + v, 404, b -> ((ObjectNode) b).put("templateId", v)))),
                Tuple.of(2, Arbitraries.of(t.inactive, t.draft)
                        .map(v -> defect("templateId of an inactive template", 400, b -> ((ObjectNode) b).put("templateId", v)))));
        String inTwoYears = OffsetDateTime.now(ZoneOffset.UTC).plusYears(2).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> scheduleDate = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("true", "0", "20230610", "1686391200000", "-1", "1e309", "[]", "{}",
                                "[\"2023-06-10T10:00:00Z\"]", "{\"date\":\"2023-06-10T10:00:00Z\"}")
                        .map(v -> defect("scheduleDate " + v, 400, b -> ((ObjectNode) b).set("scheduleDate", JsonText.raw(v))))),
                Tuple.of(3, Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of("tomorrow", "2023-06-10", "10:00:00", "2023-02-30T10:00:00Z", "2023-06-10T24:00:00Z",
                                        "2023-06-10T10:00:00+19:00", "2023-06-10T10:00:00+0300x", "2023-06-10 10:00:00", "2023-13-01T00:00:00Z",
                                        "2023-06-10T10:00:00\r\nX-Injected: 1", "2023-06-10T10:00:00\u0000Z", "２０２３-06-10T10:00:00Z",
                                        "+999999999-12-31T23:59:59Z", "2099-01-01T00:00:00Z", inTwoYears, "9999-12-31T23:59:59.999999999+14:00",
                                        "2023-06-10T10:00:00Z[Not/AZone]", "NaN", "null", "0")),
                                Tuple.of(2, Noise.strings().filter(s -> !s.isBlank())))
                        .map(v -> defect("scheduleDate " + FuzzRequest.escape(shorten(v)), 400, b -> ((ObjectNode) b).put("scheduleDate", v)))));
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> recipients = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("missing", "null", "[]").map(how -> defect("recipients " + how, 400, b -> switch (how) {
                    case "missing" -> ((ObjectNode) b).without("recipients");
                    case "null" -> ((ObjectNode) b).putNull("recipients");
                    default -> ((ObjectNode) b).set("recipients", JsonText.array());
                }))),
                Tuple.of(2, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("\"x\"", "\"\"", "1", "true", "{}",
                                "{\"uniqueId\":\"1\",\"email\":\"a@example.com\"}")), Tuple.of(1, Noise.deepNesting()))
                        .map(v -> defect("recipients " + shorten(v), 400, b -> ((ObjectNode) b).set("recipients", JsonText.raw(v))))),
                Tuple.of(3, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.frequencyOf(
                                Tuple.of(1, Arbitraries.just("null")), Tuple.of(3, Noise.nonStringJson().filter(v -> !v.startsWith("{"))),
                                Tuple.of(1, Noise.strings().map(s -> JsonText.write(TextNode.valueOf(s), false)))))
                        .as((i, v) -> defect("a recipient that is " + shorten(v), 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("recipients");
                            list.set(Math.min(i, list.size() - 1), JsonText.raw(v));
                            return b;
                        }))),
                Tuple.of(4, Combinators.combine(Arbitraries.integers().between(0, 9),
                                Arbitraries.of("uniqueId", "cardNumber", "email", "mobilePhone"), containerOrBoolean())
                        .as((i, field, v) -> defect("a recipient's " + field + " " + shorten(v), 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("recipients");
                            ((ObjectNode) list.get(Math.min(i, list.size() - 1))).set(field, JsonText.raw(v));
                            return b;
                        }))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.of("uniqueId", "cardNumber"),
                                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(201, 3000).map("9"::repeat)),
                                        Tuple.of(1, Noise.huge().filter(s -> !s.isBlank()))))
                        .as((i, field, v) -> defect("a recipient's " + field + " of " + v.length() + " characters", 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("recipients");
                            ((ObjectNode) list.get(Math.min(i, list.size() - 1))).put(field, v);
                            return b;
                        }))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of("\"text\"", "\"\"", "1", "-1", "true", "[]", "[1]", "[{}]", "1e309", "[null]")),
                                Tuple.of(1, Noise.deepNesting())))
                        .as((i, v) -> defect("payload " + shorten(v), 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("recipients");
                            ((ObjectNode) list.get(Math.min(i, list.size() - 1))).set("payload", JsonText.raw(v));
                            return b;
                        }))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 9), Noise.containerJson(), Noise.smallStrings())
                        .as((i, v, key) -> defect("a payload value " + shorten(v), 400, b -> {
                            ArrayNode list = (ArrayNode) b.get("recipients");
                            ObjectNode r = (ObjectNode) list.get(Math.min(i, list.size() - 1));
                            JsonNode p = r.get("payload");
                            ObjectNode payload = p instanceof ObjectNode o ? o : r.putObject("payload");
                            payload.set(key, JsonText.raw(v));
                            return b;
                        }))),
                Tuple.of(1, Arbitraries.of("templateId", "recipients", "scheduleDate", "uniqueId", "email").map(field ->
                        defect("duplicate key " + field, 400, b -> duplicateKey((ObjectNode) b, field)))));
        return Arbitraries.frequencyOf(Tuple.of(4, templateId), Tuple.of(2, scheduleDate), Tuple.of(6, recipients));
    }

    /** The body with a key written twice: JSON objects with duplicate names are refused (strict parsing). */
    private static JsonNode duplicateKey(ObjectNode body, String field) {
        ObjectNode target = body;
        if (field.equals("uniqueId") || field.equals("email")) {
            target = (ObjectNode) body.get("recipients").get(0);
        }
        JsonNode value = target.has(field) ? target.get(field) : TextNode.valueOf("2016-05-12T10:00:00Z");
        String written = JsonText.write(value, false);
        // a raw value whose text carries the second occurrence of the key
        target.set(field, JsonText.raw(written + ",\"" + field + "\":" + written));
        return body;
    }

    private static Tuple3<String, Integer, UnaryOperator<JsonNode>> defect(String what, int status, UnaryOperator<JsonNode> change) {
        return Tuple.of(what, status, change);
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…(" + s.length() + ")";
    }

    private static Arbitrary<FuzzRequest> badIdempotencyKey(Templates t, FuzzRequest send) {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", "a\tb", "\t", "key\tkey")),
                Tuple.of(1, Arbitraries.integers().between(256, 1000).map("k"::repeat)));
        return Combinators.combine(withBody(validBody(t), send), keys)
                .as((r, key) -> r.header("Idempotency-Key", key).defect("idempotency key: " + key).expect(400));
    }

    private static Arbitrary<FuzzRequest> usedIdempotencyKey(FuzzFixture f, Templates t, FuzzRequest send) {
        return withBody(validBody(t), send)
                .map(r -> r.header("Idempotency-Key", f.usedIdempotencyKey).defect("idempotency key used for another request").expect(409));
    }

    private static Arbitrary<FuzzRequest> reads(FuzzFixture f, Templates t) {
        Arbitrary<String> ids = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(String.valueOf(t.otherDispatch))),
                Tuple.of(2, Arbitraries.of("0", "-1", "9223372036854775807", "9223372036854775808", String.valueOf(t.ownDispatch + 100_000),
                        t.ownDispatch + ".0", "0x" + Long.toHexString(t.ownDispatch), "%20" + t.ownDispatch,
                        t.ownDispatch + "%00", "1e3")),
                // never one that reads as a dispatch the tenant has or may create during the run ("03", "+3", "7")
                Tuple.of(3, Noise.unknownSegments().filter(s -> !mayNameOwnDispatch(s, t.ownDispatch))));
        Arbitrary<String> auth = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(HeraldApp.basic(f.tenant.apiKey()))),
                Tuple.of(1, Noise.badBasicAuth(f.tenant.apiKey(), f.revokedKey)));
        return Combinators.combine(ids, auth).as((id, a) -> {
            FuzzRequest r = FuzzRequest.to("GET", "/api/Dispatches/" + id).header("Authorization", a);
            boolean authenticated = HeraldApp.basic(f.tenant.apiKey()).equals(a);
            boolean plainId = id.matches("-?[0-9]+");
            if (!authenticated) {
                return r.defect("read: bad auth").expect(plainId ? 401 : 0);
            }
            return r.defect("read: another account's or an unknown dispatch").expect(plainId ? 404 : 0);
        });
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /**
     * Whether the segment reads as an id from 1 to {@code ownDispatch + 99,999}: the dispatches the tenant has, and those
     * its valid sends create during a run (fewer than 100,000 requests), so an "unknown" id never names one of them.
     */
    private static boolean mayNameOwnDispatch(String segment, long ownDispatch) {
        try {
            long id = Long.parseLong(java.net.URLDecoder.decode(segment, java.nio.charset.StandardCharsets.UTF_8).strip());
            return id >= 1 && id < ownDispatch + 100_000;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode parse(String text, FuzzRequest request) {
        try {
            return JsonText.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text + "\nfor " + request, e);
        }
    }
}
