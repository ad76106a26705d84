package io.herald.api.cosmos;

import io.herald.Core;
import io.herald.callbacks.CallbackAddressPolicy;
import io.herald.sms.PriceList;
import org.apache.camel.spi.Registry;

/**
 * The COSMOS SMS dialect (routes cosmos-api.camel.yaml, docs/contract.md#cosmos-sms): its request guard, the dialect
 * mapper, its hidden campaigns, and the record each COSMOS message keeps besides itself (its callback URL and price),
 * which it hands back for the accept pipeline and the callbacks.
 */
public final class CosmosModule {
    private final CosmosMessages messages;
    private final CosmosCampaigns campaigns;

    private CosmosModule(CosmosMessages messages, CosmosCampaigns campaigns) {
        this.messages = messages;
        this.campaigns = campaigns;
    }

    public static CosmosModule bind(Core core, PriceList prices, CallbackAddressPolicy callbackPolicy) throws Exception {
        Registry registry = core.context().getRegistry();
        CosmosMessages messages = new CosmosMessages(core.jdbc(), prices);
        CosmosCampaigns campaigns = new CosmosCampaigns(core.jdbc(), core.campaigns());
        registry.bind("cosmosDialect", new CosmosDialect(core.caches().keys(), campaigns, prices, callbackPolicy));
        CosmosRequestGuard guard = new CosmosRequestGuard(core.settings().longValue("herald.cosmos.request-timeout-ms"));
        registry.bind("cosmosRequestGuard", guard);
        core.context().addStartupListener(guard);
        return new CosmosModule(messages, campaigns);
    }

    /** What a COSMOS message stores besides itself, in its transaction ({@link io.herald.pipeline.DialectRecord}). */
    public CosmosMessages messages() {
        return messages;
    }

    public CosmosCampaigns campaigns() {
        return campaigns;
    }
}
