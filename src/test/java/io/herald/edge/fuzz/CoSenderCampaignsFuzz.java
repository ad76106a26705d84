package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

import java.io.IOException;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant campaign API of CO-SENDER (SPEC §1): create, read, change, activate, deactivate. Nothing here is sent
 * valid except reads of the tenant's own campaigns, so afterwards every campaign must be exactly as it was.
 */
public final class CoSenderCampaignsFuzz implements Dialect {

    @Override
    public String name() {
        return "CO-SENDER /v1/campaigns";
    }

    @Override
    public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
        return Arbitraries.frequencyOf(
                Tuple.of(12, badAuth(f)),
                Tuple.of(6, wrongMethodOrPath(f)),
                Tuple.of(8, wrongContentType(f)),
                Tuple.of(18, brokenBody(f)),
                Tuple.of(30, badFields(f)),
                Tuple.of(12, notTheTenants(f)),
                Tuple.of(3, Arbitraries.just(tenant(f, "POST", "/v1/campaigns/" + f.draftCode + "/activate")
                        .defect("activate a campaign without content").expect(400))),
                Tuple.of(1, Arbitraries.of(f.emailCode, f.smsCode, f.inactiveCode, f.draftCode)
                        .map(code -> tenant(f, "GET", "/v1/campaigns/" + code).valid("read own campaign"))));
    }

    @Override
    public Outcome verify(FuzzRequest request, FuzzAnswer answer) {
        if (!request.valid()) {
            return Outcome.of(ErrorObjectFormat.check(request, answer));
        }
        assertThat(answer.status()).as("a valid request succeeds: " + answer + "\nto " + request).isEqualTo(200);
        try {
            assertThat(JsonText.JSON.readTree(answer.body()).path("code").asText())
                    .isEqualTo(request.path().substring(request.path().lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
        return Outcome.of("200");
    }

    static FuzzRequest tenant(FuzzFixture f, String method, String path) {
        return FuzzRequest.to(method, path).header("Authorization", HeraldApp.basic(f.tenant.apiKey()));
    }

    // --- bodies -------------------------------------------------------------------------------------------------

    /** A campaign body that would be accepted: valid name, channel and sender, noise in the free-text fields. */
    static Arbitrary<ObjectNode> validCampaign() {
        // without U+0000, which no stored text field takes
        Arbitrary<String> content = Noise.smallStrings().map(s -> s.replace("\u0000", ""));
        return Combinators.combine(Arbitraries.of("EMAIL", "SMS"), Noise.words(), content, content,
                content.map(s -> s.replace("\r", "").replace("\n", ""))).as((channel, name, text, html, subject) -> {
            ObjectNode c = JsonText.object();
            c.put("name", name);
            c.put("channel", channel);
            c.put("from", channel.equals("EMAIL") ? "news@acme.com" : "Acme");
            c.put("text", text.isBlank() ? "x" : text);
            if (channel.equals("EMAIL")) {
                c.put("subject", subject);
                c.put("html", html);
                c.put("replyTo", "reply@acme.com");
            }
            c.put("companyAddress", html);
            return c;
        });
    }

    private static Arbitrary<String> campaignPaths(FuzzFixture f) {
        return Combinators.combine(Arbitraries.of(f.emailCode, f.smsCode, f.inactiveCode, f.draftCode), Arbitraries.of(
                        "POST /v1/campaigns", "GET /v1/campaigns/{code}", "PUT /v1/campaigns/{code}", "POST /v1/campaigns/{code}/activate",
                        "POST /v1/campaigns/{code}/deactivate"))
                .as((code, call) -> call.replace("{code}", code));
    }

    private static FuzzRequest request(FuzzFixture f, String methodAndPath, ObjectNode body, boolean escape) {
        String[] parts = methodAndPath.split(" ", 2);
        FuzzRequest r = tenant(f, parts[0], parts[1]);
        return parts[0].equals("POST") && parts[1].equals("/v1/campaigns") || parts[0].equals("PUT")
                ? r.json(JsonText.write(body, escape)) : r;
    }

    // --- malformed requests -------------------------------------------------------------------------------------

    private static Arbitrary<FuzzRequest> badAuth(FuzzFixture f) {
        return Combinators.combine(campaignPaths(f), validCampaign(), Noise.badBasicAuth(f.tenant.apiKey(), f.revokedKey))
                .as((path, body, auth) -> request(f, path, body, false).header("Authorization", auth)
                        .defect("auth: " + (auth == null ? "none" : auth)).expect(401));
    }

    private static Arbitrary<FuzzRequest> wrongMethodOrPath(FuzzFixture f) {
        return Combinators.combine(Arbitraries.of(f.emailCode, f.inactiveCode), validCampaign(), Arbitraries.of(
                        "DELETE /v1/campaigns/{code}", "PATCH /v1/campaigns/{code}", "POST /v1/campaigns/{code}", "PATCH /v1/campaigns",
                        "PUT /v1/campaigns", "DELETE /v1/campaigns", "GET /v1/campaigns/{code}/activate", "PUT /v1/campaigns/{code}/deactivate",
                        "POST /v1/campaigns/{code}/delete", "OPTIONS /v1/campaigns/{code}", "TRACE /v1/campaigns", "FUZZ /v1/campaigns/{code}"))
                .as((code, body, call) -> {
                    String[] parts = call.replace("{code}", code).split(" ", 2);
                    return tenant(f, parts[0], parts[1]).json(JsonText.write(body, false)).defect("method or path: " + call).expect(404);
                });
    }

    private static Arbitrary<String> writePaths(FuzzFixture f) {
        return Arbitraries.of("POST /v1/campaigns", "PUT /v1/campaigns/" + f.emailCode, "PUT /v1/campaigns/" + f.smsCode,
                "PUT /v1/campaigns/" + f.inactiveCode, "PUT /v1/campaigns/" + f.draftCode);
    }

    private static Arbitrary<FuzzRequest> wrongContentType(FuzzFixture f) {
        return Combinators.combine(writePaths(f), validCampaign(), Noise.notJson())
                .as((path, body, notJson) -> notJson.apply(request(f, path, body, false)));
    }

    private static Arbitrary<FuzzRequest> brokenBody(FuzzFixture f) {
        return Combinators.combine(writePaths(f), validCampaign(), Noise.breaks()).as((path, body, breaking) -> {
            Tuple.Tuple2<String, byte[]> broken = breaking.apply(JsonText.write(body, false));
            return request(f, path, body, false).body(broken.get2()).defect("json: " + broken.get1()).expect(400);
        });
    }

    /** Create or change with one field wrong; a change of an active campaign may also take away what it needs to send. */
    private static Arbitrary<FuzzRequest> badFields(FuzzFixture f) {
        Arbitrary<FuzzRequest> create = Combinators.combine(validCampaign(), fieldDefects(null), Arbitraries.of(false, true))
                .as((body, defect, escape) -> tenant(f, "POST", "/v1/campaigns")
                        .json(JsonText.write((ObjectNode) defect.get3().apply(body.deepCopy()), escape))
                        .defect("create: " + defect.get1()).expect(defect.get2()));
        Arbitrary<FuzzRequest> update = Arbitraries.oneOf(update(f, f.emailCode, "EMAIL"), update(f, f.inactiveCode, "EMAIL"),
                update(f, f.smsCode, "SMS"), update(f, f.draftCode, "SMS"));
        Arbitrary<FuzzRequest> unsendable = Arbitraries.of(
                        Tuple.of(f.emailCode, "{\"html\":null,\"text\":null}"), Tuple.of(f.emailCode, "{\"from\":null}"),
                        Tuple.of(f.emailCode, "{\"html\":\"\",\"text\":\" \"}"), Tuple.of(f.smsCode, "{\"text\":null}"),
                        Tuple.of(f.smsCode, "{\"text\":\"\"}"), Tuple.of(f.smsCode, "{\"from\":null}"), Tuple.of(f.smsCode, "{\"from\":\"\"}"))
                .map(t -> tenant(f, "PUT", "/v1/campaigns/" + t.get1()).json(t.get2())
                        .defect("update: an active campaign without what it needs to send").expect(400));
        return Arbitraries.frequencyOf(Tuple.of(5, create), Tuple.of(4, update), Tuple.of(1, unsendable));
    }

    private static Arbitrary<FuzzRequest> update(FuzzFixture f, String code, String channel) {
        return Combinators.combine(fieldDefects(channel), Arbitraries.of(false, true))
                .as((defect, escape) -> tenant(f, "PUT", "/v1/campaigns/" + code)
                        .json(JsonText.write((ObjectNode) defect.get3().apply(JsonText.object()), escape))
                        .defect("update: " + defect.get1()).expect(defect.get2()));
    }

    /** Defects of a create ({@code channel} null: the defect may set the channel) or of a change of a campaign of that channel. */
    private static Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> fieldDefects(String channel) {
        boolean create = channel == null;
        boolean email = create || channel.equals("EMAIL");
        boolean sms = create || channel.equals("SMS");
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> name = Noise.weighted(
                Tuple.of(create ? 1 : 0, Arbitraries.just(defect("name missing", 400, b -> ((ObjectNode) b).without("name")))),
                Tuple.of(1, Arbitraries.of("null", "\"\"", "\" \"", "\"\\r\\n\"").map(v -> defect("name " + v, 400, b -> set(b, "name", v)))),
                Tuple.of(3, Noise.nonStringJson().map(v -> defect("name " + v, 400, b -> set(b, "name", v)))),
                Tuple.of(1, Arbitraries.integers().between(201, 5000).map(n -> defect("name of " + n + " characters", 400,
                        b -> ((ObjectNode) b).put("name", "n".repeat(n))))));
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> channels = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(defect("channel missing", 400, b -> ((ObjectNode) b).without("channel")))),
                Tuple.of(2, Noise.nullOrNonStringJson().map(v -> defect("channel " + v, 400, b -> set(b, "channel", v)))),
                Tuple.of(2, Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("email", "Sms", "FAX", "EMAIL ", " SMS", "E-MAIL", "", "BOTH")),
                                Tuple.of(1, Noise.strings().filter(s -> !s.equals("EMAIL") && !s.equals("SMS"))))
                        .map(v -> defect("channel " + FuzzRequest.escape(v.length() > 40 ? v.substring(0, 40) : v), 400,
                                b -> ((ObjectNode) b).put("channel", v)))));
        Arbitrary<Tuple3<String, Integer, UnaryOperator<JsonNode>>> content = Noise.weighted(
                Tuple.of(3, Combinators.combine(Arbitraries.of("from", "replyTo", "subject", "html", "text", "permissionReminder",
                                "unsubscribeUrl", "companyAddress"), Noise.nonStringJson())
                        .as((field, v) -> defect(field + " " + v, 400, b -> set(b, field, v)))),
                Tuple.of(1, Arbitraries.of("subject", "html", "text", "permissionReminder", "companyAddress")
                        .map(field -> defect(field + " with U+0000", 400, b -> ((ObjectNode) b).put(field, "a\u0000b")))),
                Tuple.of(2, Combinators.combine(Noise.words(), Arbitraries.of("\r\n", "\n", "\r", "\r\nBcc: x@example.com"), Noise.words())
                        .as((a, lineBreak, c) -> defect("subject with a line break", 400, b -> ((ObjectNode) b).put("subject", a + lineBreak + c)))),
                Tuple.of(email ? 2 : 0, Arbitraries.of("not-an-email", "a@", "@acme.com", "news@acme.com\r\nBcc: x@example.com", "a b@acme.com",
                                "news@acme..com", "<news@acme.com>", "news@acme.com, x@example.com")
                        .map(v -> defect("an EMAIL sender " + FuzzRequest.escape(v), 400, b -> {
                            ObjectNode o = (ObjectNode) b;
                            if (create) {
                                o.put("channel", "EMAIL");
                            }
                            return o.put("from", v);
                        }))),
                Tuple.of(sms ? 2 : 0, Arbitraries.of("", " ", "AcmeAcmeAcmeAcme1", "Ac\r\nme", "Ac\u0000me", "\t", "x".repeat(300))
                        .map(v -> defect("an SMS sender " + FuzzRequest.escape(v), 400, b -> {
                            ObjectNode o = (ObjectNode) b;
                            if (create) {
                                o.put("channel", "SMS");
                            }
                            return o.put("from", v);
                        }))),
                Tuple.of(2, Arbitraries.of(Tuple.of("subject", 2001), Tuple.of("permissionReminder", 10_001), Tuple.of("unsubscribeUrl", 2001),
                                Tuple.of("companyAddress", 2001), Tuple.of("replyTo", 321))
                        .map(t -> defect(t.get1() + " of " + t.get2() + " characters", 400, b -> ((ObjectNode) b).put(t.get1(), "a".repeat(t.get2()))))));
        return Noise.weighted(Tuple.of(3, name), Tuple.of(create ? 3 : 0, channels), Tuple.of(5, content));
    }

    private static JsonNode set(JsonNode body, String field, String rawJson) {
        return ((ObjectNode) body).set(field, JsonText.raw(rawJson));
    }

    private static Tuple3<String, Integer, UnaryOperator<JsonNode>> defect(String what, int status, UnaryOperator<JsonNode> change) {
        return Tuple.of(what, status, change);
    }

    /** Another account's campaigns and codes that name nothing: 404 for every call, whatever the body. */
    private static Arbitrary<FuzzRequest> notTheTenants(FuzzFixture f) {
        Arbitrary<String> codes = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(f.otherCode, f.otherInactiveCode)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(13)),
                Tuple.of(1, Arbitraries.of(f.emailCode.toUpperCase(), f.emailCode + "x", f.emailCode.substring(1))));
        Arbitrary<FuzzRequest> known = Combinators.combine(codes, Arbitraries.of("GET", "PUT", "POST activate", "POST deactivate"), validCampaign())
                .as((code, call, body) -> {
                    String path = "/v1/campaigns/" + code + (call.startsWith("POST") ? "/" + call.substring(5) : "");
                    FuzzRequest r = tenant(f, call.split(" ")[0], path);
                    return (call.equals("PUT") ? r.json(JsonText.write(body, false)) : r).defect("not the tenant's: " + call).expect(404);
                });
        Arbitrary<FuzzRequest> noise = Combinators.combine(Noise.unknownSegments(), Arbitraries.of("GET", "PUT", "POST activate", "POST deactivate"))
                .as((segment, call) -> {
                    String path = "/v1/campaigns/" + segment + (call.startsWith("POST") ? "/" + call.substring(5) : "");
                    FuzzRequest r = tenant(f, call.split(" ")[0], path);
                    return (call.equals("PUT") ? r.json("{\"name\":\"x\"}") : r).defect("unknown code: " + call);
                });
        return Arbitraries.frequencyOf(Tuple.of(2, known), Tuple.of(1, noise));
    }
}
