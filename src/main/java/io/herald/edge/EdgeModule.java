package io.herald.edge;

import io.herald.Core;

import java.time.Duration;

/**
 * Safety at the edge: idempotency keys, per-key rate limits, body limits, form bodies and query parameters kept out
 * of the message headers, and the HTTP server's own failures answered in the dialect's format.
 */
public final class EdgeModule {
    private EdgeModule() {
    }

    public static void bind(Core core) throws Exception {
        var registry = core.context().getRegistry();
        var settings = core.settings();
        registry.bind("idempotencyGuard", new IdempotencyGuard(core.jdbc(),
                settings.duration("herald.idempotency.retention"),
                settings.duration("herald.idempotency.wait-for-first")));
        registry.bind("rateLimits", new RateLimits(core.jdbc(), core.caches().accounts(),
                settings.integer("herald.rate-limit.requests-per-second")));
        registry.bind("bodyLimits", new BodyLimits());
        core.context().getManagementStrategy().addEventNotifier(new StartingUp());
        core.context().addStartupListener(new FormsAndQueryParameters());
        core.context().addStartupListener(new HttpFailures());
    }
}
