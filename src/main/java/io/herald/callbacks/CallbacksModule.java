package io.herald.callbacks;

import io.herald.Core;
import io.herald.Settings;
import io.herald.api.cosmos.CosmosMessages;
import io.herald.sms.PriceList;
import org.apache.camel.spi.Registry;

import java.time.Duration;
import java.util.function.LongPredicate;

/**
 * Delivery-status callbacks for every dialect (routes callbacks.camel.yaml): planned with each final state, posted
 * signed, retried with backoff, parked as dead letters; and the account webhooks. Hands back the planner, which the
 * status recorder writes callbacks with.
 */
public final class CallbacksModule {
    private CallbacksModule() {
    }

    /**
     * {@code cosmosMessages}: the COSMOS message records (their callback URLs); {@code cosmosCampaign}: whether a
     * campaign is COSMOS's own.
     */
    public static CallbackPlanner bind(Core core, CallbackAddressPolicy policy, CosmosMessages cosmosMessages,
                                       LongPredicate cosmosCampaign, PriceList prices) {
        Settings settings = core.settings();
        Registry registry = core.context().getRegistry();
        Duration giveUpAfter = settings.duration("herald.callbacks.give-up-after");
        CallbackRepository callbacks = new CallbackRepository(core.jdbc());
        WebhookRepository webhooks = new WebhookRepository(core.jdbc());
        CallbackPlanner planner = new CallbackPlanner(core.messages(), core.dispatches(),
                new io.herald.store.MessageSpool(core.jdbc()), callbacks, webhooks, cosmosMessages,
                new CallbackTargets(cosmosCampaign, webhooks), prices, giveUpAfter);
        registry.bind("callbackRepository", callbacks);
        registry.bind("callbackPlanner", planner);
        registry.bind("callbackPoster", new CallbackPoster(callbacks, webhooks, settings.duration("herald.callbacks.lease")));
        registry.bind("callbackRetryPolicy", new CallbackRetryPolicy(callbacks, giveUpAfter,
                settings.millis("herald.retry.initial-delay-ms"), settings.millis("herald.retry.max-delay-ms")));
        registry.bind("callbackHttpClient", new CallbackHttpClient(policy.allowsPrivate(),
                settings.longValue("herald.callbacks.connect-timeout-ms"),
                settings.longValue("herald.callbacks.response-timeout-ms")));
        registry.bind("webhookApi", new WebhookApi(webhooks, policy));
        registry.bind("deadLetterApi", new DeadLetterApi(callbacks));
        return planner;
    }
}
