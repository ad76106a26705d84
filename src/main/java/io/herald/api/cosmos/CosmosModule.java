package io.herald.api.cosmos;

import io.herald.HeraldConfiguration.Core;

/** The COSMOS SMS dialect (seed 003), opt-out, number state, content rules and delivery-status callbacks. */
public final class CosmosModule {
    private CosmosModule() {
    }

    public static void bind(Core core) {
    }
}
