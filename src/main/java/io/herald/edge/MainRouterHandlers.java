package io.herald.edge;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Handlers that work on the HTTP server's own router, before or beside Camel's routes: installed on the
 * platform-http main router once the server is up ({@code onCamelContextFullyStarted}).
 */
public abstract class MainRouterHandlers implements StartupListener {

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the router exists once the context is fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer()) {
                install(router);
            }
        }
    }

    protected abstract void install(VertxPlatformHttpRouter router);
}
