package io.herald.callbacks;

import io.herald.store.StoredMessage;

import java.util.function.LongPredicate;

/**
 * Which messages can give callbacks at all: COSMOS messages (their request may carry a callback URL) and messages of
 * accounts with a webhook. Status events of other messages are not published, so they cost the aggregation nothing.
 */
public class CallbackTargets {
    private final LongPredicate cosmosCampaign;
    private final WebhookRepository webhooks;

    public CallbackTargets(LongPredicate cosmosCampaign, WebhookRepository webhooks) {
        this.cosmosCampaign = cosmosCampaign;
        this.webhooks = webhooks;
    }

    public boolean isCosmos(StoredMessage message) {
        return cosmosCampaign.test(message.campaignId());
    }

    public boolean mayHaveCallbacks(StoredMessage message) {
        return isCosmos(message) || webhooks.url(message.accountId()).isPresent();
    }
}
