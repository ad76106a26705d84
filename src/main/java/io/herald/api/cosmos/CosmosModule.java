package io.herald.api.cosmos;

import io.herald.HeraldConfiguration.Core;
import io.herald.Settings;
import io.herald.callbacks.CallbackAddressPolicy;
import io.herald.callbacks.CallbackHttpClient;
import io.herald.callbacks.CallbackPlanner;
import io.herald.callbacks.CallbackPoster;
import io.herald.callbacks.CallbackRepository;
import io.herald.callbacks.CallbackRetryPolicy;
import io.herald.callbacks.CallbackTargets;
import io.herald.callbacks.DeadLetterApi;
import io.herald.callbacks.WebhookApi;
import io.herald.callbacks.WebhookRepository;
import io.herald.pipeline.MessageStore;
import io.herald.pipeline.RecipientValidator;
import io.herald.sms.BlacklistApi;
import io.herald.sms.ContentRules;
import io.herald.sms.NumberRepository;
import io.herald.sms.NumberStateApi;
import io.herald.sms.OptOut;
import io.herald.sms.PriceList;
import io.herald.sms.RecipientScreen;
import io.herald.store.MessageSpool;
import org.apache.camel.spi.Registry;
import java.time.Duration;

/** The COSMOS SMS dialect (seed 003), opt-out, number state, content rules and delivery-status callbacks. */
public final class CosmosModule {
    private CosmosModule() {
    }

    public static void bind(Core core) throws Exception {
        Settings settings = core.settings();
        Registry registry = core.context().getRegistry();
        boolean allowPrivate = settings.flag("herald.callbacks.allow-private");
        CallbackAddressPolicy callbackPolicy = new CallbackAddressPolicy(allowPrivate);
        PriceList prices = PriceList.parse(settings.text("herald.sms.price.default"),
                settings.text("herald.sms.price.by-prefix"));

        // opt-out, number state and content rules screen every SMS recipient of the shared pipeline
        NumberRepository numbers = new NumberRepository(core.jdbc());
        ContentRules contentRules = new ContentRules(ContentRules.words(settings.text("herald.content-rules.blocked-words")),
                settings.integer("herald.content-rules.max-repeats"),
                settings.duration("herald.content-rules.repeat-window"), core.messages());
        registry.lookupByNameAndType("recipientValidator", RecipientValidator.class)
                .screenWith(new RecipientScreen(numbers, contentRules, CosmosDialect.NAME));
        registry.bind("optOut", new OptOut(core.messages(), numbers));
        registry.bind("blacklistApi", new BlacklistApi(numbers, core.caches().accounts(), settings.text("herald.sms.allowed-countries")));
        registry.bind("numberStateApi", new NumberStateApi(numbers));

        // the dialect
        CosmosMessages cosmosMessages = new CosmosMessages(core.jdbc(), prices);
        registry.lookupByNameAndType("messageStore", MessageStore.class).register(CosmosDialect.NAME, cosmosMessages);
        CosmosCampaigns cosmosCampaigns = new CosmosCampaigns(core.jdbc(), core.campaigns());
        registry.bind("cosmosDialect", new CosmosDialect(core.caches().keys(), cosmosCampaigns, prices, callbackPolicy));
        CosmosRequestGuard guard = new CosmosRequestGuard(settings.longValue("herald.cosmos.request-timeout-ms"));
        registry.bind("cosmosRequestGuard", guard);
        core.context().addStartupListener(guard);

        // callbacks: planned with each final state (StatusRecorder) -> signed posts with retries -> dead letters
        Duration lease = settings.duration("herald.callbacks.lease");
        Duration giveUpAfter = settings.duration("herald.callbacks.give-up-after");
        Duration initialDelay = settings.millis("herald.retry.initial-delay-ms");
        Duration maxDelay = settings.millis("herald.retry.max-delay-ms");
        CallbackRepository callbacks = new CallbackRepository(core.jdbc());
        WebhookRepository webhooks = new WebhookRepository(core.jdbc());
        CallbackTargets targets = new CallbackTargets(cosmosCampaigns::isCosmosCampaign, webhooks);
        CallbackPlanner planner = new CallbackPlanner(core.context(), core.messages(), new MessageSpool(core.jdbc()), callbacks,
                webhooks, cosmosMessages, targets, prices, giveUpAfter);
        core.statusRecorder().setCallbacks(planner);
        registry.bind("callbackRepository", callbacks);
        registry.bind("callbackPlanner", planner);
        registry.bind("callbackPoster", new CallbackPoster(callbacks, webhooks, lease));
        registry.bind("callbackRetryPolicy", new CallbackRetryPolicy(callbacks, giveUpAfter, initialDelay, maxDelay));
        registry.bind("callbackHttpClient", new CallbackHttpClient(allowPrivate,
                settings.longValue("herald.callbacks.connect-timeout-ms"),
                settings.longValue("herald.callbacks.response-timeout-ms")));
        registry.bind("webhookApi", new WebhookApi(webhooks, callbackPolicy));
        registry.bind("deadLetterApi", new DeadLetterApi(callbacks));
    }
}
