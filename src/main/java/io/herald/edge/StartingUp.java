package io.herald.edge;

import io.herald.api.ApiError;
import io.herald.api.ErrorFormat;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The HTTP server listens before Camel has added its routes to it. In that moment (about a second at start) every
 * request would be a 404 — which a client may take for "no such endpoint" and give up. Instead it is answered 503
 * with {@code Retry-After: 1}, in the dialect's format ({@link ErrorFormat}), until the context is fully started.
 * Installed first on the server's router when Camel starts its routes (the server, a service, is up by then). The
 * server listens a moment before that (tens of milliseconds on an idle machine): a request in that moment still gets
 * the bare router's 404. Camel offers no hook between the router's creation and the server's listen.
 */
public class StartingUp extends EventNotifierSupport {
    private static final int FIRST = -2_000_000;

    private volatile boolean started;

    public StartingUp() {
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextRoutesStartingEvent starting) {
            // the server and its router are up (a service, started before the routes); no route is on it yet
            for (VertxPlatformHttpRouter router : starting.getContext().getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                if (router.isMainServer()) {
                    router.route().order(FIRST).handler(this::answer);
                }
            }
        } else if (event instanceof CamelEvent.CamelContextStartedEvent) {
            started = true;
        }
    }

    private void answer(RoutingContext rc) {
        if (started) {
            rc.next();
            return;
        }
        String body = ErrorFormat.of(rc.request().path()).body(503, ApiError.INTERNAL, "Herald is starting; try again in a moment");
        rc.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader("Content-Type", "application/json").end(body);
    }
}
