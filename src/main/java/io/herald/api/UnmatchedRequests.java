package io.herald.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers requests that no route takes (unknown path, or a known path with another method) with 404 in the format
 * of the dialect the path belongs to: {@code {"status":"not_found"}} under the COSMOS base path, the seed-001 error
 * object (1003) elsewhere. Installed as the router's last route once every Camel route is registered.
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
            router.route().last().handler(answer(404, ApiError.NOT_FOUND, "not_found"));
        }
    }

    private static Handler<RoutingContext> answer(int status, ApiError error, String cosmosWord) {
        return ctx -> {
            String path = ctx.request().path();
            String body = path != null && path.startsWith("/v1.0/")
                    ? Json.write(java.util.Map.of("status", cosmosWord))
                    : Json.write(ErrorObject.body(error, status, "No resource " + ctx.request().method() + " " + path));
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        };
    }
}
