package io.herald.console;

import io.herald.console.ConsoleSessions.Kind;
import io.herald.console.ConsoleSessions.Session;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code /console/api/<path>}: the console's calls to Herald's own API, made on the session's behalf. The browser
 * never holds the token or key: this forwards the request to {@code <path>} on the same server (the address the
 * request came in on), with the session's credential in {@code Authorization}, and answers what the API answered —
 * so every API rule (authentication, rate limit, tenant scope, error object) applies to the console as to any client.
 * Only the paths the session's kind may use are forwarded: the operator API for the operator, the tenant API for a
 * tenant.
 */
final class ConsoleProxy {
    static final String PREFIX = "/console/api";
    private static final List<String> OPERATOR_PATHS = List.of("/admin/", "/observe/metrics");
    private static final List<String> TENANT_PATHS = List.of("/v1/", "/api/Dispatches/");
    private static final Set<String> FORWARDED_ANSWER_HEADERS = Set.of("content-type", "retry-after");

    private HttpClient client;

    void forward(RoutingContext rc, Session session) {
        String uri = rc.request().uri().substring(PREFIX.length());
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        if (!allowed(session.kind(), path)) {
            ConsoleServer.error(rc, 404, "Not found");
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(rc.request().method())
                .setHost(rc.request().localAddress().hostAddress()).setPort(rc.request().localAddress().port())
                .setURI(uri).putHeader("Authorization", authorization(session));
        String host = rc.request().getHeader("Host");
        if (host != null) {
            // the browser's name for the server (an IPv6 local address would not make a valid Host header)
            options.putHeader("Host", host);
        }
        String contentType = rc.request().getHeader("Content-Type");
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        Buffer body = rc.body() == null || rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer();
        client(rc.vertx()).request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(answer -> answer(rc, response, answer)))
                .onFailure(failure -> {
                    if (!rc.response().ended()) {
                        ConsoleServer.error(rc, 502, "The API did not answer");
                    }
                });
    }

    private static Void answer(RoutingContext rc, HttpClientResponse response, Buffer answer) {
        rc.response().setStatusCode(response.statusCode());
        response.headers().forEach((name, value) -> {
            if (FORWARDED_ANSWER_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                rc.response().putHeader(name, value);
            }
        });
        rc.response().end(answer);
        return null;
    }

    static boolean allowed(Kind kind, String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("..") || p.contains("//") || p.contains("%2e") || p.contains("%2f") || p.contains("\\")) {
            return false;
        }
        List<String> prefixes = kind == Kind.OPERATOR ? OPERATOR_PATHS : TENANT_PATHS;
        return prefixes.stream().anyMatch(path::startsWith);
    }

    private static String authorization(Session session) {
        return session.kind() == Kind.OPERATOR ? "Bearer " + session.credential()
                : "Basic " + Base64.getEncoder().encodeToString(("api:" + session.credential()).getBytes(StandardCharsets.UTF_8));
    }

    private synchronized HttpClient client(Vertx vertx) {
        if (client == null) {
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(16));
        }
        return client;
    }
}
