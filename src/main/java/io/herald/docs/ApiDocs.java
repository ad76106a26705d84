package io.herald.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.edge.MainRouterHandlers;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Herald's API description (docs/api-description.md): the hand-written OpenAPI document
 * {@code src/main/resources/openapi/herald.yaml}, served as JSON at {@code /openapi.json} with {@code servers} set to
 * {@code herald.public-url} and {@code info.version} to the build's version; and Swagger UI at {@code /docs}, from the
 * {@code org.webjars:swagger-ui} jar on the class path (no asset from elsewhere), with its own page and initializer
 * (which load {@code /openapi.json} and turn off Swagger UI's online validator) and a strict Content-Security-Policy.
 * Both are installed on the HTTP server's router beside Camel's routes, like {@code /observe/*}.
 */
public class ApiDocs extends MainRouterHandlers {
    /** The document, on the class path. Other parts add their endpoints to it. */
    public static final String DOCUMENT = "openapi/herald.yaml";
    /**
     * For every answer under /docs: only Herald's own scripts, styles and the openapi.json request; images also as data:
     * URIs (Swagger UI's icons are data: SVGs in its CSS). Swagger UI sets element styles from script, which CSP
     * allows without 'unsafe-inline'.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private static final String PAGE = "openapi/docs/index.html";
    private static final String INITIALIZER = "openapi/docs/herald-docs.js";

    private final String json;
    private final String page;
    private final String initializer;
    private final String webjar;

    public ApiDocs(String publicUrl) {
        this.json = document(publicUrl);
        this.page = resource(PAGE);
        this.initializer = resource(INITIALIZER);
        this.webjar = "META-INF/resources/webjars/swagger-ui/"
                + properties("META-INF/maven/org.webjars/swagger-ui/pom.properties").getProperty("version");
    }

    /** The document as served: JSON, with the public URL as its one server and the build's version. */
    public static String document(String publicUrl) {
        try (InputStream in = resourceStream(DOCUMENT)) {
            ObjectNode root = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(in);
            ((ObjectNode) root.get("info")).put("version", properties("openapi/build.properties").getProperty("version"));
            ObjectNode server = root.putArray("servers").addObject();
            server.put("url", publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl);
            server.put("description", "this Herald (herald.public-url)");
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT, e);
        }
    }

    @Override
    protected void install(VertxPlatformHttpRouter router) {
        router.route(HttpMethod.GET, "/openapi.json").handler(rc -> answer(rc, "application/json", json));
        router.route("/docs*").handler(ApiDocs::securityHeaders);
        router.route(HttpMethod.GET, "/docs").handler(rc -> answer(rc, "text/html; charset=utf-8", page));
        router.route(HttpMethod.GET, "/docs/").handler(rc -> answer(rc, "text/html; charset=utf-8", page));
        router.route(HttpMethod.GET, "/docs/herald-docs.js")
                .handler(rc -> answer(rc, "text/javascript; charset=utf-8", initializer));
        router.route(HttpMethod.GET, "/docs/*").handler(StaticHandler.create(webjar).setDirectoryListing(false));
    }

    private static void securityHeaders(RoutingContext rc) {
        rc.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        rc.next();
    }

    private static void answer(RoutingContext rc, String contentType, String body) {
        rc.response().putHeader("Content-Type", contentType).putHeader("Cache-Control", "no-cache").end(body);
    }

    private static String resource(String name) {
        try (InputStream in = resourceStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static Properties properties(String name) {
        Properties p = new Properties();
        try (InputStream in = resourceStream(name)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return p;
    }

    private static InputStream resourceStream(String name) {
        InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path");
        }
        return in;
    }
}
