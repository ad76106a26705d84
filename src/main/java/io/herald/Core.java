package io.herald;

import io.herald.crm.CrmRepository;
import io.herald.status.MessageMetrics;
import io.herald.store.AccountCache;
import io.herald.store.AccountRepository;
import io.herald.store.ApiKeyCache;
import io.herald.store.ApiKeyRepository;
import io.herald.store.CampaignCache;
import io.herald.store.CampaignRepository;
import io.herald.store.Jdbc;
import io.herald.store.DispatchRepository;
import io.herald.store.MessageRepository;
import org.apache.camel.CamelContext;

/**
 * The shared pieces a module builds on (HeraldConfiguration makes them). Modules bind their beans in
 * {@code context().getRegistry()} under the names the routes use, and hand back what other modules need.
 */
public record Core(CamelContext context, Settings settings, Jdbc jdbc, AccountRepository accounts, ApiKeyRepository keys,
                   CampaignRepository campaigns, MessageRepository messages, DispatchRepository dispatches,
                   CrmRepository crm, MessageMetrics metrics, Caches caches) {

    /** What every tenant request reads, served from memory for herald.cache.ttl (docs/edge.md). */
    public record Caches(ApiKeyCache keys, AccountCache accounts, CampaignCache campaigns) {
    }
}
