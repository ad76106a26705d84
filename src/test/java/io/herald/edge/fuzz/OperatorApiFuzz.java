package io.herald.edge.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.support.HeraldApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator API (SPEC §1, bearer token): accounts, keys, rate-limit overrides. Only reads are sent valid, so
 * afterwards no account or key may have been created, revoked or changed.
 */
public final class OperatorApiFuzz implements Dialect {

    @Override
    public String name() {
        return "operator API /admin";
    }

    @Override
    public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
        return Arbitraries.frequencyOf(
                Tuple.of(15, badBearer(f)),
                Tuple.of(6, wrongMethodOrPath(f)),
                Tuple.of(8, wrongContentType(f)),
                Tuple.of(16, brokenBody(f)),
                Tuple.of(22, badAccount()),
                Tuple.of(8, badKeyRequests(f)),
                Tuple.of(10, badRateLimit(f)),
                Tuple.of(10, unknownIds(f)),
                Tuple.of(1, Arbitraries.of(f.tenant.accountId(), f.other.accountId())
                        .map(id -> admin("GET", "/admin/accounts/" + id).valid("read an account"))));
    }

    @Override
    public Outcome verify(FuzzRequest request, FuzzAnswer answer) {
        if (!request.valid()) {
            return Outcome.of(ErrorObjectFormat.check(request, answer));
        }
        assertThat(answer.status()).as("a valid request succeeds: " + answer + "\nto " + request).isEqualTo(200);
        try {
            assertThat(JsonText.JSON.readTree(answer.body()).path("id").asText())
                    .isEqualTo(request.path().substring(request.path().lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
        return Outcome.of("200");
    }

    static FuzzRequest admin(String method, String path) {
        return FuzzRequest.to(method, path).header("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN);
    }

    static Arbitrary<ObjectNode> validAccount() {
        return Combinators.combine(Noise.words(), Arbitraries.integers().between(0, 1_000_000), Arbitraries.of("DE", "GR", "US"))
                .as((name, limit, country) -> {
                    ObjectNode a = JsonText.object();
                    a.put("name", name);
                    a.put("messageLimit", limit);
                    a.putArray("allowedCountries").add(country);
                    return a;
                });
    }

    /** Every operator call with a valid body, as the given bearer header would send it. */
    private static Arbitrary<FuzzRequest> calls(FuzzFixture f) {
        long a = f.tenant.accountId();
        return Combinators.combine(validAccount(), Arbitraries.integers().between(0, 6)).as((account, call) -> switch (call) {
            case 0 -> admin("POST", "/admin/accounts").json(JsonText.write(account, false));
            case 1 -> admin("GET", "/admin/accounts/" + a);
            case 2 -> admin("POST", "/admin/accounts/" + a + "/keys").json("{\"sandbox\":true}");
            case 3 -> admin("POST", "/admin/accounts/" + a + "/keys");
            case 4 -> admin("DELETE", "/admin/accounts/" + a + "/keys/" + f.tenant.keyId());
            case 5 -> admin("PUT", "/admin/accounts/" + a + "/rate-limit").json("{\"requestsPerSecond\":1}");
            default -> admin("PUT", "/admin/accounts/" + a + "/rate-limit").json("{\"requestsPerSecond\":null}");
        });
    }

    private static Arbitrary<FuzzRequest> badBearer(FuzzFixture f) {
        Arbitrary<String> headers = Arbitraries.frequencyOf(
                Tuple.of(4, Noise.badBearer(HeraldApp.ADMIN_TOKEN)),
                Tuple.of(1, Arbitraries.of("Bearer " + f.tenant.apiKey(), HeraldApp.basic(f.tenant.apiKey()), "Bearer " + f.tenant.apiSecret())));
        return Combinators.combine(calls(f), headers).as((r, h) -> r.header("Authorization", h)
                .defect("bearer: " + (h == null ? "none" : h)).expect(401));
    }

    private static Arbitrary<FuzzRequest> wrongMethodOrPath(FuzzFixture f) {
        long a = f.tenant.accountId();
        return Arbitraries.of("PATCH /admin/accounts", "PUT /admin/accounts", "DELETE /admin/accounts/" + a, "POST /admin/accounts/" + a,
                        "PUT /admin/accounts/" + a, "PATCH /admin/accounts/" + a + "/keys", "DELETE /admin/accounts/" + a + "/keys",
                        "GET /admin/accounts/" + a + "/keys/" + f.tenant.keyId(), "POST /admin/accounts/" + a + "/rate-limit",
                        "GET /admin/accounts/" + a + "/rate-limit", "DELETE /admin/accounts/" + a + "/rate-limit", "POST /admin",
                        "GET /admin", "OPTIONS /admin/accounts", "FUZZ /admin/accounts/" + a, "POST /admin/account")
                .map(call -> {
                    String[] parts = call.split(" ", 2);
                    return admin(parts[0], parts[1]).json("{\"name\":\"x\",\"requestsPerSecond\":1}").defect("method or path: " + call).expect(404);
                });
    }

    private static Arbitrary<FuzzRequest> writes(FuzzFixture f) {
        long a = f.tenant.accountId();
        return Combinators.combine(validAccount(), Arbitraries.integers().between(0, 2)).as((account, call) -> switch (call) {
            case 0 -> admin("POST", "/admin/accounts").json(JsonText.write(account, false));
            case 1 -> admin("POST", "/admin/accounts/" + a + "/keys").json("{\"sandbox\":true}");
            default -> admin("PUT", "/admin/accounts/" + a + "/rate-limit").json("{\"requestsPerSecond\":1}");
        });
    }

    private static Arbitrary<FuzzRequest> wrongContentType(FuzzFixture f) {
        return Combinators.combine(writes(f), Noise.notJson()).as((r, notJson) -> notJson.apply(r));
    }

    /** Broken bodies; never blank ones, as a blank body is a valid request for a new key. */
    private static Arbitrary<FuzzRequest> brokenBody(FuzzFixture f) {
        return Combinators.combine(writes(f), Noise.breaks()).as((r, breaking) -> {
            Tuple.Tuple2<String, byte[]> broken = breaking.apply(r.bodyText());
            return r.body(broken.get2()).defect("json: " + broken.get1()).expect(400);
        }).filter(r -> !r.bodyText().isBlank());
    }

    private static Arbitrary<FuzzRequest> badAccount() {
        Arbitrary<String[]> defects = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new String[]{"name", null})),
                Tuple.of(2, Arbitraries.of("null", "\"\"", "\"  \"", "\"\\t\"").map(v -> new String[]{"name", v})),
                Tuple.of(3, Noise.nonStringJson().map(v -> new String[]{"name", v})),
                Tuple.of(1, Arbitraries.integers().between(201, 3000).map(n -> new String[]{"name", "\"" + "n".repeat(n) + "\""})),
                Tuple.of(3, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("\"10\"", "1.5", "true", "[]", "{}", "1e309",
                                "9223372036854775808", "-1", "-9223372036854775808", "[1]", "\"\"")), Tuple.of(1, Noise.deepNesting()))
                        .map(v -> new String[]{"messageLimit", v})),
                Tuple.of(3, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("\"DE\"", "1", "true", "{}", "[1]", "[null]", "[\"XX\"]",
                                "[\"ZZ\"]", "[\"DEU\"]", "[\"\"]", "[\"D E\"]", "[\"DE\",\"QQ\"]", "[[\"DE\"]]", "[\"\\u0000\"]", "[\"ÄÖ\"]")),
                                Tuple.of(1, Noise.deepNesting()))
                        .map(v -> new String[]{"allowedCountries", v})));
        return Combinators.combine(validAccount(), defects, Arbitraries.of(false, true)).as((account, d, escape) -> {
            ObjectNode body = account.deepCopy();
            if (d[1] == null) {
                body.remove(d[0]);
            } else {
                body.set(d[0], JsonText.raw(d[1]));
            }
            return admin("POST", "/admin/accounts").json(JsonText.write(body, escape)).defect("account: " + d[0] + " " + (d[1] == null ? "missing"
                    : d[1].length() > 40 ? d[1].substring(0, 40) + "…" : d[1])).expect(400);
        });
    }

    private static Arbitrary<FuzzRequest> badKeyRequests(FuzzFixture f) {
        long a = f.tenant.accountId();
        Arbitrary<FuzzRequest> sandbox = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("\"true\"", "1", "0", "\"yes\"", "[]", "{}",
                        "[true]", "\"\"", "1e309")), Tuple.of(1, Noise.deepNesting()))
                .map(v -> admin("POST", "/admin/accounts/" + a + "/keys").json("{\"sandbox\":" + v + "}").defect("key: sandbox " + v).expect(400));
        Arbitrary<FuzzRequest> notAnObject = Noise.notAJsonObject().filter(s -> !s.isBlank())
                .map(v -> admin("POST", "/admin/accounts/" + a + "/keys").json(v).defect("key: body not an object").expect(400));
        Arbitrary<FuzzRequest> revokeOthers = Arbitraries.of(
                        admin("DELETE", "/admin/accounts/" + a + "/keys/" + f.otherKeyId).defect("revoke: another account's key"),
                        admin("DELETE", "/admin/accounts/" + f.other.accountId() + "/keys/" + f.tenant.keyId()).defect("revoke: key under another account"),
                        admin("DELETE", "/admin/accounts/" + f.missingAccountId + "/keys/" + f.tenant.keyId()).defect("revoke: missing account"))
                .map(r -> r.expect(404));
        return Arbitraries.frequencyOf(Tuple.of(3, sandbox), Tuple.of(2, notAnObject), Tuple.of(2, revokeOthers));
    }

    private static Arbitrary<FuzzRequest> badRateLimit(FuzzFixture f) {
        long a = f.tenant.accountId();
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("0", "-1", "1000001", "2147483648", "1e309", "\"5\"", "1.5", "true",
                        "[]", "{}", "[5]", "\"\"", "-9223372036854775809")), Tuple.of(1, Noise.deepNesting()))
                .map(v -> admin("PUT", "/admin/accounts/" + a + "/rate-limit").json("{\"requestsPerSecond\":" + v + "}")
                        .defect("rate limit: " + (v.length() > 30 ? v.substring(0, 30) + "…" : v)).expect(400));
    }

    /** Whether a path segment, as the server decodes and parses it, is the id of that account. */
    private static boolean names(String segment, long accountId) {
        String decoded = java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        try {
            return Long.parseLong(decoded.trim()) == accountId;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Accounts and keys that do not exist: 404 for every call. */
    private static Arbitrary<FuzzRequest> unknownIds(FuzzFixture f) {
        Arbitrary<String> accounts = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(String.valueOf(f.missingAccountId), "0", "-1", String.valueOf(Long.MAX_VALUE),
                        "99999999999999999999", "1e3", "0x1", f.tenant.accountId() + ".0", " " + f.tenant.accountId())),
                Tuple.of(1, Noise.unknownSegments().filter(s -> !names(s, f.tenant.accountId()) && !names(s, f.other.accountId()))));
        return Combinators.combine(accounts, validAccount(), Arbitraries.of(0, 1, 2, 3, 4)).as((id, account, call) -> {
            String base = "/admin/accounts/" + (id.matches("[0-9-]+") ? id : Noise.segment(id));
            FuzzRequest r = switch (call) {
                case 0 -> admin("GET", base);
                case 1 -> admin("POST", base + "/keys").json("{\"sandbox\":true}");
                case 2 -> admin("POST", base + "/keys");
                case 3 -> admin("DELETE", base + "/keys/" + f.tenant.keyId());
                default -> admin("PUT", base + "/rate-limit").json("{\"requestsPerSecond\":5}");
            };
            return r.defect("unknown account: " + r.method());
        });
    }
}
