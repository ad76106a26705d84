package io.herald.api.cosmos;

import io.herald.security.Secrets;
import io.herald.store.Campaign;
import io.herald.store.CampaignRepository;
import io.herald.store.Channel;
import io.herald.store.Jdbc;
import io.herald.store.StoreException;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * COSMOS requests carry their content themselves; their messages still need a campaign row (dispatches and messages
 * reference one). Each account gets one hidden COSMOS campaign on first use, recorded in {@code cosmos_account}.
 */
public class CosmosCampaigns {
    static final String NAME = "COSMOS SMS (requests carry their own content)";

    private final Jdbc jdbc;
    private final CampaignRepository campaigns;
    private final Map<Long, Campaign> byAccount = new ConcurrentHashMap<>();
    /** campaign id → whether it is a hidden COSMOS campaign (a campaign never changes this, so it is cached for good) */
    private final Map<Long, Boolean> hidden = new ConcurrentHashMap<>();

    public CosmosCampaigns(Jdbc jdbc, CampaignRepository campaigns) {
        this.jdbc = jdbc;
        this.campaigns = campaigns;
    }

    /** The account's hidden COSMOS campaign, created if this is the account's first COSMOS request. */
    public Campaign of(long accountId) {
        return byAccount.computeIfAbsent(accountId, id -> find(id).orElseGet(() -> create(id)));
    }

    /** Whether messages of this campaign came through the COSMOS dialect. */
    public boolean isCosmosCampaign(long campaignId) {
        return hidden.computeIfAbsent(campaignId, id -> !jdbc.query(
                "SELECT 1 FROM cosmos_account WHERE campaign_id = ?", rs -> 1, id).isEmpty());
    }

    /** The content of one COSMOS request, as an active SMS campaign with the hidden campaign's identity. */
    public Campaign inline(long accountId, String from, String text) {
        Campaign hidden = of(accountId);
        return new Campaign(hidden.id(), accountId, hidden.code(), hidden.name(), Channel.SMS, Campaign.ACTIVE, from,
                null, null, null, text, null, null, null);
    }

    private Optional<Campaign> find(long accountId) {
        return jdbc.queryOne("SELECT campaign_id FROM cosmos_account WHERE account_id = ?", rs -> rs.getLong(1), accountId)
                .flatMap(campaignId -> campaigns.find(accountId, campaignId));
    }

    /** Two first requests at once: the second one's campaign is removed again and the first one's used. */
    private Campaign create(long accountId) {
        Campaign created = campaigns.create(new Campaign(0, accountId, Secrets.base36(13), NAME, Channel.SMS, Campaign.ACTIVE,
                null, null, null, null, null, null, null, null));
        try {
            jdbc.update("INSERT INTO cosmos_account (account_id, campaign_id) VALUES (?, ?)", accountId, created.id());
            return created;
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
            jdbc.update("DELETE FROM campaign WHERE id = ?", created.id());
            return find(accountId).orElseThrow(() -> e);
        }
    }
}
