package io.herald.api;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers requests that no route takes (unknown path, or a known path with another method) with 404 in the format
 * of the dialect the path belongs to: {@code {"status":"not_found"}} or the error object 1003 ({@link ErrorFormat}).
 * Installed as the router's last route once every Camel route is registered.
 */
public class UnmatchedRequests implements ExtendedStartupListener {

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        int port = Integer.parseInt(context.resolvePropertyPlaceholders("{{herald.http.port}}"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router != null) {
            router.route().last().handler(UnmatchedRequests::notFound);
        }
    }

    private static void notFound(RoutingContext ctx) {
        String path = ctx.request().path();
        String body = ErrorFormat.of(path).body(404, ApiError.NOT_FOUND, "No resource " + ctx.request().method() + " " + path);
        ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end(body);
    }
}
