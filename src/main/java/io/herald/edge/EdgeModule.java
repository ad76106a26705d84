package io.herald.edge;

import io.herald.HeraldConfiguration.Core;

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
                Duration.parse(settings.get("herald.idempotency.retention").orElse("PT24H")),
                Duration.parse(settings.get("herald.idempotency.wait-for-first").orElse("PT30S"))));
        registry.bind("rateLimits", new RateLimits(core.jdbc(), core.caches().accounts(),
                Integer.parseInt(settings.get("herald.rate-limit.requests-per-second").orElse("200"))));
        registry.bind("bodyLimits", new BodyLimits());
        core.context().addStartupListener(new FormsAndQueryParameters());
        core.context().addStartupListener(new HttpFailures());
    }
}
