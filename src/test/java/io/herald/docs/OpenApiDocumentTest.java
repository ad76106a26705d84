package io.herald.docs;

import io.herald.api.ApiError;
import io.herald.api.cosmos.CosmosStatus;
import io.herald.support.HeraldApp;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served /openapi.json: a real OpenAPI parser reads it without a single message, it names this Herald's public URL
 * and the build's version, every operation answers something with a schema besides {@code default}, and every error
 * answer is one of Herald's error formats, whose codes and words are exactly those the code has.
 */
class OpenApiDocumentTest {
    private static final String PUBLIC_URL = "https://herald.example.test/base";
    /** The error formats: the error object, COSMOS status words, the provider webhooks' status words. */
    private static final Set<String> ERROR_SCHEMAS = Set.of("#/components/schemas/ErrorObject",
            "#/components/schemas/CosmosError", "#/components/schemas/ProviderWebhookError");

    @TempDir
    static Path data;
    static HeraldApp app;
    static OpenAPI api;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of("herald.public-url", PUBLIC_URL + "/"));
        String json = app.send("GET", "/openapi.json", null, null, Map.of()).expect(200).body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        api = result.getOpenAPI();
        assertThat(api).isNotNull();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void servedAsJsonWithTheServerAndTheBuildsVersion() throws IOException {
        HeraldApp.Response r = app.send("GET", "/openapi.json", null, null, Map.of()).expect(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getServers()).hasSize(1);
        assertThat(api.getServers().get(0).getUrl()).isEqualTo(PUBLIC_URL);
        assertThat(api.getInfo().getTitle()).isNotBlank();
        assertThat(api.getInfo().getLicense().getName()).isNotBlank();
        assertThat(api.getInfo().getVersion()).isEqualTo(projectVersion());
    }

    @Test
    void securitySchemesForTenantsOperatorsAndTheProvider() {
        var schemes = api.getComponents().getSecuritySchemes();
        assertThat(schemes.get("apiKey").getScheme()).isEqualTo("basic");
        assertThat(schemes.get("adminToken").getScheme()).isEqualTo("bearer");
        assertThat(schemes.get("providerToken").getName()).isEqualTo("token");
        assertThat(schemes.get("providerToken").getIn().toString()).isEqualTo("query");
        assertThat(schemes.get("providerBearer").getScheme()).isEqualTo("bearer");
        // COSMOS credentials travel in the body: no scheme can say so, the operation says it in words
        Operation cosmos = api.getPaths().get("/v1.0/sms/").getPost();
        assertThat(cosmos.getSecurity()).isEmpty();
        assertThat(cosmos.getDescription()).contains("api_key", "api_secret");
        assertThat(api.getPaths().get("/admin/accounts").getPost().getSecurity().get(0)).containsKey("adminToken");
        assertThat(api.getPaths().get("/v1/messages").getPost().getSecurity().get(0)).containsKey("apiKey");
    }

    @Test
    void everyOperationAnswersWithASchemaAndEveryErrorIsAnErrorFormat() {
        List<String> problems = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String name = method + " " + path;
            boolean withSchema = false;
            for (Map.Entry<String, ApiResponse> e : op.getResponses().entrySet()) {
                if (e.getKey().equals("default")) {
                    problems.add(name + ": a default response");
                    continue;
                }
                ApiResponse response = resolve(e.getValue());
                Map<String, MediaType> content = response.getContent() == null ? Map.of() : response.getContent();
                withSchema |= content.values().stream().anyMatch(m -> m.getSchema() != null);
                int status = Integer.parseInt(e.getKey());
                boolean observability = path.startsWith("/observe/");
                if (status >= 400 && !observability) {
                    MediaType json = content.get("application/json");
                    if (json == null || !isErrorFormat(json.getSchema())) {
                        problems.add(name + " " + status + ": not an error format");
                    }
                }
            }
            if (!withSchema) {
                problems.add(name + ": no response with a schema");
            }
        }));
        assertThat(problems).isEmpty();
    }

    @Test
    void theErrorSchemasHoldEveryCodeAndWordTheCodeHas() {
        Schema<?> code = property("ErrorObject", "code");
        List<Integer> codes = Arrays.stream(ApiError.values()).map(ApiError::code).toList();
        assertThat(code.getEnum().stream().map(c -> ((Number) c).intValue()).toList()).containsExactlyInAnyOrderElementsOf(codes);
        Schema<?> word = property("CosmosError", "status");
        List<String> words = Arrays.stream(CosmosStatus.values()).filter(s -> s != CosmosStatus.OK).map(CosmosStatus::word).toList();
        assertThat(word.getEnum()).map(Object::toString).containsExactlyInAnyOrderElementsOf(words);
    }

    @Test
    void everyRequestBodyHasASchemaAndAnExampleOnTheSendingEndpoints() {
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            if (op.getRequestBody() != null) {
                MediaType json = op.getRequestBody().getContent().get("application/json");
                assertThat(json).as(method + " " + path).isNotNull();
                assertThat(json.getSchema()).as(method + " " + path).isNotNull();
            }
        }));
        for (String path : List.of("/v1/messages", "/api/SendMessages", "/v1.0/sms/")) {
            MediaType json = api.getPaths().get(path).getPost().getRequestBody().getContent().get("application/json");
            assertThat(json.getExample() != null || json.getExamples() != null).as(path).isTrue();
        }
    }

    private static Schema<?> property(String schema, String name) {
        return (Schema<?>) api.getComponents().getSchemas().get(schema).getProperties().get(name);
    }

    private static ApiResponse resolve(ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
        ApiResponse resolved = api.getComponents().getResponses().get(name);
        assertThat(resolved).as(response.get$ref()).isNotNull();
        return resolved;
    }

    /** The error object or a status word, referenced directly or as the first part of an allOf that narrows it. */
    private static boolean isErrorFormat(Schema<?> schema) {
        if (schema == null) {
            return false;
        }
        if (schema.get$ref() != null) {
            return ERROR_SCHEMAS.contains(schema.get$ref());
        }
        return schema.getAllOf() != null && !schema.getAllOf().isEmpty() && isErrorFormat(schema.getAllOf().get(0));
    }

    /** The project's own version, from pom.xml (the tests run in the project directory). */
    private static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>herald</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
