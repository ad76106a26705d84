package io.herald.api.cosmos;

import io.herald.edge.MainRouterHandlers;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The two COSMOS answers that must come before the route can run, at the HTTP server itself:
 * {@code 408 timeout} when the request has not arrived whole within {@code herald.cosmos.request-timeout-ms} of its
 * first line (a stalled or too slow client), and {@code 413 large_request} at once when the declared
 * {@code Content-Length} is over 4096 bytes (bodies without a length are measured by the route; the rest of a body
 * declared too large is read and dropped, so that the client gets the answer). A request answered 408 is never
 * processed: the route claims the request first ({@link #claim}), and only one of the two wins.
 */
public class CosmosRequestGuard extends MainRouterHandlers {
    private static final String PATH = "/v1\\.0/sms/?";

    private final long timeoutMs;
    private final Map<HttpServerRequest, AtomicBoolean> answered = new ConcurrentHashMap<>();

    public CosmosRequestGuard(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    protected void install(VertxPlatformHttpRouter router) {
        router.routeWithRegex(HttpMethod.POST, PATH).order(-1000).handler(this::guard).failureHandler(this::answered);
    }

    private void guard(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (declaredLength(request) > CosmosDialect.MAX_BODY_BYTES) {
            answerAndDrain(rc, CosmosStatus.LARGE_REQUEST);
            return;
        }
        AtomicBoolean taken = new AtomicBoolean();
        answered.put(request, taken);
        long timer = rc.vertx().setTimer(timeoutMs, id -> {
            if (taken.compareAndSet(false, true)) {
                answer(rc, CosmosStatus.TIMEOUT);
            }
        });
        rc.addEndHandler(done -> {
            rc.vertx().cancelTimer(timer);
            answered.remove(request);
        });
        rc.next();
    }

    /** A request answered here fails in the body handler when its connection closes: nothing more to answer. */
    private void answered(RoutingContext rc) {
        if (!rc.response().ended() && !rc.response().closed()) {
            rc.next();
        }
    }

    /** First step of the COSMOS route: the request is processed, unless it was already answered 408. */
    public void claim(Exchange exchange) {
        if (exchange.getMessage() instanceof HttpMessage http) {
            AtomicBoolean taken = answered.get(http.getRequest());
            if (taken != null && !taken.compareAndSet(false, true)) {
                throw CosmosStatus.TIMEOUT.exception();
            }
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Answers at once, then reads and drops the rest of the body (for at most the request timeout, then the connection
     * is closed). Closing while the client is still sending would make the connection reset, and a client that had
     * not read the answer yet would lose it; read to its end, the connection stays usable.
     */
    private void answerAndDrain(RoutingContext rc, CosmosStatus status) {
        HttpServerRequest request = rc.request();
        if (!request.isEnded()) {
            long timer = rc.vertx().setTimer(timeoutMs, id -> request.connection().close());
            request.handler(ignored -> {
            });
            request.exceptionHandler(failure -> rc.vertx().cancelTimer(timer));
            request.endHandler(end -> rc.vertx().cancelTimer(timer));
            request.resume();
        }
        rc.response().setStatusCode(status.httpStatus())
                .putHeader("Content-Type", "application/json")
                .end(status.body());
    }

    private static void answer(RoutingContext rc, CosmosStatus status) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        rc.response().setStatusCode(status.httpStatus())
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(status.body())
                .onComplete(done -> rc.request().connection().close());
    }
}
