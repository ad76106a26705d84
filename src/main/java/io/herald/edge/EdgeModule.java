package io.herald.edge;

import io.herald.HeraldConfiguration.Core;

/** Safety at the edge: idempotency keys, per-key rate limits, body limits. */
public final class EdgeModule {
    private EdgeModule() {
    }

    public static void bind(Core core) {
    }
}
