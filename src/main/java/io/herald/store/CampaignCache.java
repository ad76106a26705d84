package io.herald.store;

import com.github.benmanes.caffeine.cache.Cache;

import java.util.Optional;

/**
 * Campaigns as the send pipeline looks them up — by account and code (CO-SENDER) or by account and id (Messaging API
 * {@code templateId}) — read once per {@link CacheSettings#ttl()}. Unknown campaigns are not remembered: ids are
 * sequential, so a client may well ask for one before another instance creates it. Writers call {@link #forget}
 * after each change.
 */
public class CampaignCache {
    private record ByCode(long accountId, String code) {
    }

    private record ById(long accountId, long id) {
    }

    private final CampaignRepository campaigns;
    private final Cache<ByCode, Campaign> byCode;
    private final Cache<ById, Campaign> byId;

    public CampaignCache(CampaignRepository campaigns, CacheSettings settings) {
        this.campaigns = campaigns;
        this.byCode = settings.newCache();
        this.byId = settings.newCache();
    }

    public Optional<Campaign> findByCode(long accountId, String code) {
        return Optional.ofNullable(byCode.get(new ByCode(accountId, code),
                k -> campaigns.findByCode(k.accountId(), k.code()).orElse(null)));
    }

    public Optional<Campaign> find(long accountId, long id) {
        return Optional.ofNullable(byId.get(new ById(accountId, id), k -> campaigns.find(k.accountId(), k.id()).orElse(null)));
    }

    public void forget(Campaign campaign) {
        byCode.invalidate(new ByCode(campaign.accountId(), campaign.code()));
        byId.invalidate(new ById(campaign.accountId(), campaign.id()));
    }
}
