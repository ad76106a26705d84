package io.herald.console;

import io.herald.console.ConsoleSessions.Kind;
import io.herald.console.ConsoleSessions.Session;
import io.herald.edge.MainRouterHandlers;
import io.herald.security.ApiKeyAuthenticator;
import io.herald.security.Principal;
import io.herald.security.Secrets;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.net.URI;
import java.util.Optional;

/**
 * The web console at {@code /console} (docs/console.md): static pages (classpath {@code herald-console/}), sign-in
 * and sign-out ({@code /console/session}), the API on the session's behalf ({@code /console/api/…},
 * {@link ConsoleProxy}) and the live figures ({@code /console/stats}). Every answer under {@code /console} carries a
 * strict Content-Security-Policy (scripts from the console's own files only) and is not cached. Writes need the
 * session's CSRF token in {@code X-CSRF-Token} and, when the browser sends one, an {@code Origin} of this server;
 * the cookie is {@code HttpOnly}, {@code SameSite=Strict}, and {@code Secure} when herald.public-url is https.
 */
public class ConsoleServer extends MainRouterHandlers {
    static final String COOKIE = "herald_console";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Before COSMOS's guard (-1000) and the form refusal (-999); the headers route passes on to them. */
    private static final int ORDER = -2000;
    private static final int MAX_BODY = 1_048_576;

    private final ConsoleSessions sessions;
    private final ConsoleStats stats;
    private final ApiKeyAuthenticator keys;
    private final String adminToken;
    private final boolean secureCookie;
    private final ConsoleProxy proxy = new ConsoleProxy();

    public ConsoleServer(ConsoleSessions sessions, ConsoleStats stats, ApiKeyAuthenticator keys, String adminToken,
                         boolean secureCookie) {
        this.sessions = sessions;
        this.stats = stats;
        this.keys = keys;
        this.adminToken = adminToken;
        this.secureCookie = secureCookie;
    }

    @Override
    protected void install(VertxPlatformHttpRouter router) {
        router.route("/console*").order(ORDER).handler(ConsoleServer::headers);
        router.get("/console").order(ORDER + 1).handler(rc -> {
            if ("/console".equals(rc.request().path())) {
                rc.redirect("/console/");
            } else {
                rc.next();
            }
        });
        router.post("/console/session").order(ORDER + 1).handler(BodyHandler.create().setBodyLimit(8192))
                .handler(this::signIn);
        router.get("/console/session").order(ORDER + 1).handler(rc -> withSession(rc, this::whoAmI));
        router.delete("/console/session").order(ORDER + 1).handler(rc -> withSession(rc, this::signOut));
        router.get("/console/stats").order(ORDER + 1).handler(rc -> withSession(rc, this::stats));
        router.route(ConsoleProxy.PREFIX + "/*").order(ORDER + 1).handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(rc -> withSession(rc, proxy::forward));
        router.route("/console/*").order(ORDER + 2).handler(StaticHandler.create("herald-console")
                .setCachingEnabled(false).setDirectoryListing(false).setIndexPage("index.html"));
    }

    private static void headers(RoutingContext rc) {
        rc.response().putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store");
        rc.next();
    }

    private void signIn(RoutingContext rc) {
        if (!sameOrigin(rc)) {
            error(rc, 403, "Cross-site request refused");
            return;
        }
        JsonObject body;
        try {
            body = rc.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        String kind = body == null ? null : body.getString("kind");
        String secret = body == null || !(body.getValue("secret") instanceof String s) ? null : s.trim();
        if (secret == null || secret.isEmpty() || !("operator".equals(kind) || "tenant".equals(kind))) {
            error(rc, 400, "Choose operator or tenant and give the token or API key");
            return;
        }
        if ("operator".equals(kind)) {
            boolean valid = adminToken != null && Secrets.constantTimeEquals(adminToken, secret);
            opened(rc, valid ? sessions.open(Kind.OPERATOR, secret, null, null, false) : null);
            return;
        }
        rc.vertx().executeBlocking(() -> keys.byApiKey(secret), false).onComplete(found -> {
            Optional<Principal> p = found.succeeded() ? found.result() : Optional.empty();
            opened(rc, p.map(k -> sessions.open(Kind.TENANT, secret, k.accountId(), k.keyId(), k.sandbox())).orElse(null));
        });
    }

    private void opened(RoutingContext rc, String sessionId) {
        if (sessionId == null) {
            error(rc, 401, "Wrong token or API key");
            return;
        }
        rc.response().addCookie(cookie(sessionId));
        whoAmI(rc, sessions.find(sessionId).orElseThrow());
    }

    private void whoAmI(RoutingContext rc, Session s) {
        JsonObject me = new JsonObject().put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("csrf", s.csrf()).put("accountId", s.accountId()).put("keyId", s.keyId()).put("sandbox", s.sandbox());
        json(rc, 200, me);
    }

    private void signOut(RoutingContext rc, Session s) {
        sessions.close(rc.request().getCookie(COOKIE).getValue());
        rc.response().addCookie(cookie("").setMaxAge(0));
        rc.response().setStatusCode(204).end();
    }

    private void stats(RoutingContext rc, Session s) {
        rc.vertx().executeBlocking(() -> new JsonObject(stats.stats(s.kind() == Kind.OPERATOR ? null : s.accountId())), false)
                .onSuccess(answer -> json(rc, 200, answer))
                .onFailure(failure -> error(rc, 500, "Figures unavailable"));
    }

    /** Runs {@code then} with the request's live session; 401 without one, 403 for a write without the CSRF proofs. */
    private void withSession(RoutingContext rc, java.util.function.BiConsumer<RoutingContext, Session> then) {
        Cookie cookie = rc.request().getCookie(COOKIE);
        Optional<Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            error(rc, 401, "Not signed in");
            return;
        }
        boolean write = rc.request().method() != HttpMethod.GET && rc.request().method() != HttpMethod.HEAD;
        if (write && (!sameOrigin(rc) || !Secrets.constantTimeEquals(session.get().csrf(), rc.request().getHeader(CSRF_HEADER)))) {
            error(rc, 403, "Missing or wrong CSRF token");
            return;
        }
        then.accept(rc, session.get());
    }

    /** No Origin (a same-origin GET, an old browser) passes; one naming another host does not. */
    private static boolean sameOrigin(RoutingContext rc) {
        String origin = rc.request().getHeader("Origin");
        if (origin == null) {
            return !"cross-site".equals(rc.request().getHeader("Sec-Fetch-Site"));
        }
        try {
            URI o = URI.create(origin);
            String host = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && host.equalsIgnoreCase(rc.request().getHeader("Host"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Cookie cookie(String value) {
        return sessionCookie(value, secureCookie);
    }

    static Cookie sessionCookie(String value, boolean secure) {
        return Cookie.cookie(COOKIE, value).setPath("/console").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(secure);
    }

    static void error(RoutingContext rc, int status, String message) {
        json(rc, status, new JsonObject().put("message", message));
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
