package io.herald.observe;

import io.herald.edge.MainRouterHandlers;
import io.herald.status.MessageMetrics;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The request log and the HTTP server's request metrics, one Vert.x handler on the server's main router ahead of every
 * other (so the edge's own answers, 400, 404, 413, are logged as well): when a response ends it logs one line on the
 * logger {@code herald.http} — {@code POST /v1/messages 202 12 ms account=5} — and records
 * {@code herald_http_server_requests_seconds{method,route,status}}. The path is logged without its query string (which
 * may hold a webhook token) and no header is logged, so neither an API key nor a secret can appear. The account is
 * the one the request authenticated as ({@link #identify}: the tenant authenticators tell it), {@code -} before or
 * without that. Requests to {@code /observe/*} (health checks, Prometheus scrapes) are logged at DEBUG only.
 * A send request that reached the accept pipeline ({@link #sending}) also gives {@code herald_accept_latency_seconds}.
 */
public final class RequestLog extends MainRouterHandlers {
    private static final Logger LOG = LoggerFactory.getLogger("herald.http");
    /** Ahead of COSMOS's request guard (-1000) and the form check (-999), whose answers end requests early. */
    private static final int ORDER = -1001;
    private static final String PROPERTY = "heraldRequest";
    /** The requests in progress, for the routes to find theirs (by the Vert.x request their exchange carries). */
    private static final Map<HttpServerRequest, Request> IN_PROGRESS = new ConcurrentHashMap<>();

    private final MessageMetrics metrics;
    private final AtomicBoolean installed = new AtomicBoolean();

    /** What the routes learn about a request while it is handled. */
    private static final class Request {
        final long start = System.nanoTime();
        volatile String account = "-";
        volatile String dialect;
    }

    public RequestLog(MessageMetrics metrics) {
        this.metrics = metrics;
    }

    /** The account a request authenticated as, for its log line. */
    public static void identify(Exchange exchange, long accountId) {
        Request request = of(exchange);
        if (request != null) {
            request.account = Long.toString(accountId);
        }
    }

    /** A send request reached the accept pipeline: its time to the answer is the dialect's accept latency. */
    public static void sending(Exchange exchange, String dialect) {
        Request request = of(exchange);
        if (request != null) {
            request.dialect = dialect;
        }
    }

    private static Request of(Exchange exchange) {
        Request request = exchange.getProperty(PROPERTY, Request.class);
        if (request == null && exchange.getIn() instanceof HttpMessage http) {
            request = IN_PROGRESS.get(http.getRequest());
            if (request != null) {
                exchange.setProperty(PROPERTY, request);
            }
        }
        return request;
    }

    /** Once: a route started later (a test's, an operator's) calls the startup listeners again. */
    @Override
    protected void install(VertxPlatformHttpRouter router) {
        if (installed.compareAndSet(false, true)) {
            router.route().order(ORDER).handler(this::begin);
        }
    }

    private void begin(RoutingContext rc) {
        HttpServerRequest http = rc.request();
        Request request = new Request();
        IN_PROGRESS.put(http, request);
        rc.addEndHandler(ended -> {
            IN_PROGRESS.remove(http);
            end(rc, request);
        });
        rc.next();
    }

    private void end(RoutingContext rc, Request request) {
        long nanos = System.nanoTime() - request.start;
        int status = rc.response().getStatusCode();
        String method = rc.request().method().name();
        String path = rc.request().path();
        if (path != null && path.startsWith("/observe/")) {
            LOG.debug("{} {} {} {} ms account={}", method, path, status, nanos / 1_000_000, request.account);
        } else {
            LOG.info("{} {} {} {} ms account={}", method, path, status, nanos / 1_000_000, request.account);
        }
        metrics.httpRequest(method, route(rc), status, nanos);
        if (request.dialect != null) {
            metrics.acceptLatency(request.dialect, status, nanos);
        }
    }

    /** The path template of the route that answered (never the path itself, whose ids would make a series each). */
    private static String route(RoutingContext rc) {
        Route route = rc.currentRoute();
        String template = route == null ? null : route.getPath();
        return template == null || template.isEmpty() || template.equals("/") ? "other" : template;
    }
}
