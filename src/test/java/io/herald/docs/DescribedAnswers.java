package io.herald.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Holds answers and examples to the schemas of the served OpenAPI document, with a JSON Schema 2020-12 validator (the
 * dialect of OpenAPI 3.1 schemas). A schema is validated together with the document's {@code components}, so that its
 * {@code #/components/...} references resolve.
 * <p>
 * A JUnit extension ({@code @RegisterExtension}): before each test it reads /openapi.json from the running application;
 * after it, the test fails if anything it checked did not fit the document.
 */
final class DescribedAnswers implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<HeraldApp> app;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final List<String> problems = new ArrayList<>();
    private JsonNode document;

    DescribedAnswers(Supplier<HeraldApp> app) {
        this.app = app;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        problems.clear();
        document = app.get().send("GET", "/openapi.json", null, null, Map.of()).expect(200).json();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!problems.isEmpty()) {
            throw new AssertionError("not as /openapi.json describes:\n" + String.join("\n", problems));
        }
    }

    /** What was found wrong so far. */
    List<String> problems() {
        return problems;
    }

    /**
     * Checks an answer of {@code method pathTemplate}: its status is one the operation describes (not {@code default}),
     * and a JSON body fits that response's schema. Answers the response, for chaining.
     */
    Response check(String method, String pathTemplate, Response r) {
        String name = method + " " + pathTemplate + " " + r.status();
        JsonNode op = document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        if (op.isMissingNode()) {
            problems.add(name + ": no such operation in the document");
            return r;
        }
        JsonNode response = resolve(op.path("responses").path(String.valueOf(r.status())));
        if (response.isMissingNode()) {
            problems.add(name + ": status not described; body " + r.body());
            return r;
        }
        String type = r.header("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            JsonNode schema = response.path("content").path("application/json").path("schema");
            if (schema.isMissingNode()) {
                problems.add(name + ": a JSON body where none is described");
            } else {
                validate(name, schema, r.json());
                undescribedFields(name, "$", schema, r.json());
            }
        } else if (r.body() != null && !r.body().isEmpty() && response.path("content").isMissingNode()) {
            problems.add(name + ": a body where none is described");
        }
        return r;
    }

    /** Sends the request and checks its answer. */
    Response send(String method, String pathTemplate, String path, String json, Map<String, String> headers) {
        return check(method, pathTemplate, app.get().send(method, path, json == null ? null : "application/json", json, headers));
    }

    /** Checks a body against the schema at {@code pointer} in the document (e.g. a webhook's request body). */
    void checkBody(String name, String pointer, JsonNode body) {
        JsonNode schema = document.at(pointer);
        if (schema.isMissingNode()) {
            problems.add(name + ": no schema at " + pointer);
            return;
        }
        validate(name, schema, body);
        undescribedFields(name, "$", schema, body);
    }

    /** Every example in the document (media types' example and examples, schemas' example) fits its schema. */
    void checkExamples() {
        walk("", document);
    }

    private void walk(String where, JsonNode node) {
        if (!node.isObject()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(where + "/" + i, node.get(i));
                }
            }
            return;
        }
        if (node.has("schema") && node.get("schema").isObject()) {
            JsonNode schema = node.get("schema");
            if (node.has("example")) {
                validate(where + "/example", schema, node.get("example"));
            }
            for (JsonNode example : node.path("examples")) {
                if (example.has("value")) {
                    validate(where + "/examples", schema, example.get("value"));
                }
            }
        }
        if (where.startsWith("/components/schemas/") && where.chars().filter(c -> c == '/').count() == 3 && node.has("example")) {
            validate(where + "/example", node, node.get("example"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            walk(where + "/" + field.getKey(), field.getValue());
        }
    }

    private void validate(String name, JsonNode schema, JsonNode instance) {
        ObjectNode root = schema.deepCopy();
        root.set("components", document.get("components"));
        List<Error> errors = registry.getSchema(root).validate(instance);
        for (Error e : errors) {
            problems.add(name + ": " + e.getInstanceLocation() + " " + e.getMessage() + " in " + instance);
        }
    }

    /** A field of an answer that its schema does not name (the schemas leave additional properties open). */
    private void undescribedFields(String name, String where, JsonNode schema, JsonNode instance) {
        if (instance.isArray()) {
            JsonNode items = items(schema);
            for (int i = 0; i < instance.size() && items != null; i++) {
                undescribedFields(name, where + "[" + i + "]", items, instance.get(i));
            }
            return;
        }
        Map<String, JsonNode> declared = new java.util.LinkedHashMap<>();
        boolean open = properties(schema, declared);
        if (!instance.isObject() || open) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = instance.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode sub = declared.get(field.getKey());
            if (sub == null) {
                problems.add(name + ": " + where + "." + field.getKey() + " is not in the schema");
            } else {
                undescribedFields(name, where + "." + field.getKey(), sub, field.getValue());
            }
        }
    }

    /**
     * Collects the properties a schema names, through $ref and allOf; answers whether it leaves the object open on
     * purpose (additionalProperties given, or no properties at all: a map or free-form object).
     */
    private boolean properties(JsonNode schema, Map<String, JsonNode> into) {
        JsonNode s = resolve(schema);
        boolean open = s.has("additionalProperties") && !s.get("additionalProperties").equals(com.fasterxml.jackson.databind.node.BooleanNode.FALSE);
        s.path("properties").fields().forEachRemaining(e -> into.putIfAbsent(e.getKey(), e.getValue()));
        for (JsonNode part : s.path("allOf")) {
            open |= properties(part, into);
        }
        return open || into.isEmpty() && !s.has("allOf");
    }

    private JsonNode items(JsonNode schema) {
        JsonNode s = resolve(schema);
        if (s.has("items")) {
            return s.get("items");
        }
        for (JsonNode part : s.path("allOf")) {
            JsonNode items = items(part);
            if (items != null) {
                return items;
            }
        }
        return null;
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }
}
