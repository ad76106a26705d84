package io.herald.pipeline;

import io.herald.api.ApiError;
import io.herald.security.Principal;
import io.herald.store.AccountCache;
import io.herald.store.AccountCache.EdgeAccount;
import io.herald.store.Campaign;
import io.herald.store.CampaignCache;
import org.apache.camel.Exchange;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Enriches a send request with its campaign and the sending account's country list. Another account's
 * campaign is unknown (2005, 404); a campaign that is not ACTIVE does not send (2101).
 */
public class CampaignResolver {
    public static final String CAMPAIGN = "heraldCampaign";
    public static final String ALLOWED_COUNTRIES = "heraldAllowedCountries";

    private final CampaignCache campaigns;
    private final AccountCache accounts;
    private final List<String> defaultCountries;

    public CampaignResolver(CampaignCache campaigns, AccountCache accounts, String defaultCountries) {
        this.campaigns = campaigns;
        this.accounts = accounts;
        this.defaultCountries = parseCountries(defaultCountries);
    }

    public void resolve(SendRequest request, Exchange exchange) {
        Principal principal = request.principal();
        Campaign campaign = request.inline() != null ? request.inline() : stored(request);
        if (!campaign.isActive()) {
            throw ApiError.CAMPAIGN_INACTIVE.exception("Campaign is inactive");
        }
        EdgeAccount account = accounts.find(principal.accountId()).orElseThrow();
        exchange.setProperty(CAMPAIGN, campaign);
        exchange.setProperty(ALLOWED_COUNTRIES, account.allowedCountries() != null ? account.allowedCountries() : defaultCountries);
    }

    private Campaign stored(SendRequest request) {
        long accountId = request.principal().accountId();
        return (request.campaignCode() != null
                ? campaigns.findByCode(accountId, request.campaignCode())
                : campaigns.find(accountId, request.campaignId()))
                .orElseThrow(() -> ApiError.UNKNOWN_CAMPAIGN.exception("Campaign not found"));
    }

    public static List<String> parseCountries(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toUpperCase(Locale.ROOT)).toList();
    }
}
