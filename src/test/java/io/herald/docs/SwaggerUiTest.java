package io.herald.docs;

import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /docs over HTTP: Herald's Swagger UI page, every asset it names served by Herald from the swagger-ui webjar, nothing
 * from another origin, the initializer pointing at /openapi.json without the online validator, and the security
 * headers. (The browser check that the UI renders is in the console's browser tests.)
 */
class SwaggerUiTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @TempDir
    static Path data;
    static HeraldApp app;

    @BeforeAll
    static void start() {
        app = HeraldApp.start(data, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void thePageNamesOnlyHeraldsOwnAssetsAndEachIsServed() throws IOException {
        for (String path : List.of("/docs", "/docs/")) {
            Response page = app.send("GET", path, null, null, Map.of()).expect(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("<div id=\"swagger-ui\"></div>").doesNotContain("http://", "https://");
            assertSecurityHeaders(page);
        }
        String html = app.send("GET", "/docs", null, null, Map.of()).body();
        List<String> assets = new ArrayList<>();
        Matcher m = ASSET.matcher(html);
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertThat(assets).contains("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/herald-docs.js")
                .allMatch(a -> a.startsWith("/docs/"));
        for (String asset : assets) {
            Response r = app.send("GET", asset, null, null, Map.of()).expect(200);
            assertThat(r.body()).as(asset).isNotEmpty();
            assertSecurityHeaders(r);
            String type = r.header("Content-Type");
            if (asset.endsWith(".js")) {
                assertThat(type).startsWith("text/javascript");
            } else if (asset.endsWith(".css")) {
                assertThat(type).startsWith("text/css");
            } else if (asset.endsWith(".png")) {
                assertThat(type).startsWith("image/png");
            }
        }
        // the bundle is the webjar's, byte for byte
        assertThat(app.send("GET", "/docs/swagger-ui-bundle.js", null, null, Map.of()).body())
                .isEqualTo(webjar("swagger-ui-bundle.js"));
    }

    @Test
    void theInitializerLoadsHeraldsDescriptionWithoutTheOnlineValidator() {
        String js = app.send("GET", "/docs/herald-docs.js", null, null, Map.of()).expect(200).body();
        assertThat(js).contains("url: \"/openapi.json\"", "validatorUrl: null", "SwaggerUIBundle(");
        assertThat(js.replaceAll("//[^\\n]*", "")).doesNotContain("http://", "https://");
        assertThat(app.send("GET", "/openapi.json", null, null, Map.of()).expect(200).body()).contains("\"openapi\"");
    }

    @Test
    void nothingElseUnderDocsAndNoWayOut() {
        Response missing = app.send("GET", "/docs/no-such-asset.js", null, null, Map.of()).expect(404);
        assertThat(missing.json().get("code").asInt()).isEqualTo(1003);
        app.send("GET", "/docs/../application.properties", null, null, Map.of()).expect(404);
        app.send("GET", "/docs/%2e%2e/%2e%2e/application.properties", null, null, Map.of()).expect(404);
        app.send("POST", "/docs", "application/json", "{}", Map.of()).expect(404);
        app.send("POST", "/openapi.json", "application/json", "{}", Map.of()).expect(404);
    }

    private static void assertSecurityHeaders(Response r) {
        assertThat(r.header("Content-Security-Policy")).isEqualTo(ApiDocs.CONTENT_SECURITY_POLICY)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'").doesNotContain("unsafe");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
    }

    private static String webjar(String file) throws IOException {
        Properties pom = new Properties();
        ClassLoader loader = SwaggerUiTest.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            pom.load(in);
        }
        try (InputStream in = loader.getResourceAsStream("META-INF/resources/webjars/swagger-ui/" + pom.getProperty("version") + "/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
