package io.herald.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import io.herald.support.HeraldApp.Tenant;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both ways between the description and the running application. Every HTTP endpoint Herald's CamelContext has — the
 * REST DSL's verbs, every platform-http consumer, the management endpoints (/observe/*) — is in /openapi.json with its
 * method; and every path and method of /openapi.json is served: a request to it, with the operation's credentials and
 * its example body, is not the answer of a path no route serves (io.herald.api.UnmatchedRequests).
 */
class OpenApiCoverageTest {
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    @TempDir
    static Path data;
    static HeraldApp app;
    static JsonNode document;
    static Tenant tenant;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of());
        document = app.send("GET", "/openapi.json", null, null, Map.of()).expect(200).json();
        tenant = app.newTenant("{\"name\":\"coverage\"}", true);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyRestVerbOfTheCamelContextIsDescribed() {
        Model model = app.context().getCamelContextExtension().getContextPlugin(Model.class);
        List<String> missing = new ArrayList<>();
        int verbs = 0;
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                verbs++;
                String path = join(rest.getPath(), verb.getPath());
                if (!described(path, verb.asVerb())) {
                    missing.add(verb.asVerb().toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertThat(verbs).as("REST verbs found in the CamelContext").isGreaterThan(20);
        assertThat(missing).as("REST verbs missing from /openapi.json").isEmpty();
    }

    @Test
    void everyPlatformHttpConsumerAndManagementEndpointIsDescribed() {
        PlatformHttpComponent http = app.context().getComponent("platform-http", PlatformHttpComponent.class);
        Set<HttpEndpointModel> endpoints = http.getHttpEndpoints();
        Set<HttpEndpointModel> management = http.getHttpManagementEndpoints();
        assertThat(endpoints).as("platform-http consumers").isNotEmpty();
        assertThat(management).as("management endpoints (/observe)").isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (Set<HttpEndpointModel> models : List.of(endpoints, management)) {
            for (HttpEndpointModel model : models) {
                List<String> methods = model.getVerbs() == null || model.getVerbs().isBlank() ? List.of("get")
                        : List.of(model.getVerbs().toLowerCase(Locale.ROOT).split(","));
                for (String method : methods) {
                    if (!described(model.getUri(), method.trim())) {
                        missing.add(method.trim().toUpperCase(Locale.ROOT) + " " + model.getUri());
                    }
                }
            }
        }
        assertThat(missing).as("HTTP endpoints missing from /openapi.json").isEmpty();
    }

    @Test
    void everyDescribedOperationIsServed() {
        List<String> unserved = new ArrayList<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                operations++;
                Response r = call(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), path.getValue(), op.getValue());
                if (unmatched(r)) {
                    unserved.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " -> " + r.status() + " " + r.body());
                }
            }
        }
        assertThat(operations).isGreaterThan(30);
        assertThat(unserved).as("described but not served").isEmpty();
    }

    @Test
    void anUndescribedPathIsSeenAsUnserved() {
        // the check above can fail: what UnmatchedRequests answers is recognised, in both error formats
        assertThat(unmatched(app.send("GET", "/v1/no-such-thing", null, null, Map.of()))).isTrue();
        assertThat(unmatched(app.send("PATCH", "/v1/messages", "application/json", "{}", Map.of()))).isTrue();
        assertThat(unmatched(app.send("POST", "/v1.0/sms/extra", "application/json", "{}", Map.of()))).isTrue();
        assertThat(described("/v1/no-such-thing", "get")).isFalse();
        assertThat(described("/v1/messages", "patch")).isFalse();
    }

    /** A request as the operation describes it: its credentials, path parameters from their examples, its example body. */
    private static Response call(String method, String template, JsonNode pathItem, JsonNode op) {
        Matcher m = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = example(pathItem, op, m.group(1));
            m.appendReplacement(path, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(path);
        JsonNode media = op.at("/requestBody/content/application~1json");
        String body = media.isMissingNode() ? null : exampleBody(media);
        String scheme = op.at("/security/0").fieldNames().hasNext() ? op.at("/security/0").fieldNames().next() : "";
        Map<String, String> headers = switch (scheme) {
            case "apiKey" -> Map.of("Authorization", HeraldApp.basic(tenant.apiKey()));
            case "adminToken" -> Map.of("Authorization", "Bearer " + HeraldApp.ADMIN_TOKEN);
            default -> Map.of();
        };
        return app.send(method, path.toString(), body == null ? null : "application/json", body, headers);
    }

    private static String example(JsonNode pathItem, JsonNode op, String name) {
        for (JsonNode parameters : List.of(op.path("parameters"), pathItem.path("parameters"))) {
            for (JsonNode p : parameters) {
                JsonNode resolved = p.has("$ref") ? document.at(p.get("$ref").asText().substring(1)) : p;
                if (name.equals(resolved.path("name").asText()) && resolved.has("example")) {
                    return resolved.get("example").asText();
                }
            }
        }
        throw new AssertionError("path parameter " + name + " has no example");
    }

    private static String exampleBody(JsonNode media) {
        if (media.has("example")) {
            return media.get("example").toString();
        }
        if (media.has("examples")) {
            return media.get("examples").elements().next().get("value").toString();
        }
        return "{}";
    }

    /** What io.herald.api.UnmatchedRequests answers: 404 with error 1003 "No resource ..." or the word not_found. */
    private static boolean unmatched(Response r) {
        if (r.status() == 405) {
            return true;
        }
        if (r.status() != 404) {
            return false;
        }
        try {
            JsonNode body = r.json();
            return "not_found".equals(body.path("status").asText())
                    || body.path("code").asInt() == 1003 && body.path("message").asText().startsWith("No resource ");
        } catch (AssertionError notJson) {
            return true;
        }
    }

    private static boolean described(String path, String method) {
        JsonNode item = document.path("paths").path(path);
        return item.isObject() && item.has(method.toLowerCase(Locale.ROOT));
    }

    private static String join(String base, String path) {
        String b = base == null ? "" : base;
        if (path == null || path.isEmpty()) {
            return b;
        }
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + (path.startsWith("/") ? path : "/" + path);
    }
}
