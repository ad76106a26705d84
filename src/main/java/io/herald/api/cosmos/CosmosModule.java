package io.herald.api.cosmos;

import io.herald.HeraldConfiguration.Core;
import io.herald.HeraldConfiguration.Settings;
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

/**
 * The COSMOS SMS dialect (docs/contract.md#cosmos-sms), opt-out, number state, content rules and delivery-status
 * callbacks.
 */
public final class CosmosModule {
    private CosmosModule() {
    }

    public static void bind(Core core) throws Exception {
        Settings settings = core.settings();
        Registry registry = core.context().getRegistry();
        boolean allowPrivate = Boolean.parseBoolean(settings.get("herald.callbacks.allow-private").orElse("false"));
        CallbackAddressPolicy callbackPolicy = new CallbackAddressPolicy(allowPrivate);
        PriceList prices = PriceList.parse(settings.get("herald.sms.price.default").orElse("0.0"),
                settings.get("herald.sms.price.by-prefix").orElse(""));

        // opt-out, number state and content rules screen every SMS recipient of the shared pipeline
        NumberRepository numbers = new NumberRepository(core.jdbc());
        ContentRules contentRules = new ContentRules(ContentRules.words(settings.get("herald.content-rules.blocked-words").orElse("")),
                Integer.parseInt(settings.get("herald.content-rules.max-repeats").orElse("0")),
                Duration.parse(settings.get("herald.content-rules.repeat-window").orElse("PT10M")), core.messages());
        registry.lookupByNameAndType("recipientValidator", RecipientValidator.class)
                .screenWith(new RecipientScreen(numbers, contentRules, CosmosDialect.NAME));
        registry.bind("optOut", new OptOut(core.messages(), numbers));
        registry.bind("blacklistApi", new BlacklistApi(numbers, core.caches().accounts(), settings.get("herald.sms.allowed-countries").orElse("")));
        registry.bind("numberStateApi", new NumberStateApi(numbers));

        // the dialect
        CosmosMessages cosmosMessages = new CosmosMessages(core.jdbc(), prices);
        registry.lookupByNameAndType("messageStore", MessageStore.class).register(CosmosDialect.NAME, cosmosMessages);
        CosmosCampaigns cosmosCampaigns = new CosmosCampaigns(core.jdbc(), core.campaigns());
        registry.bind("cosmosDialect", new CosmosDialect(core.caches().keys(), cosmosCampaigns, prices, callbackPolicy));
        CosmosRequestGuard guard = new CosmosRequestGuard(Long.parseLong(settings.get("herald.cosmos.request-timeout-ms").orElse("10000")));
        registry.bind("cosmosRequestGuard", guard);
        core.context().addStartupListener(guard);

        // callbacks: planned with each final state (StatusRecorder) -> signed posts with retries -> dead letters
        Duration lease = Duration.parse(settings.get("herald.callbacks.lease").orElse("PT2M"));
        Duration giveUpAfter = Duration.parse(settings.get("herald.callbacks.give-up-after").orElse("PT24H"));
        Duration initialDelay = Duration.ofMillis(Long.parseLong(settings.get("herald.retry.initial-delay-ms").orElse("1000")));
        Duration maxDelay = Duration.ofMillis(Long.parseLong(settings.get("herald.retry.max-delay-ms").orElse("300000")));
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
                Long.parseLong(settings.get("herald.callbacks.connect-timeout-ms").orElse("5000")),
                Long.parseLong(settings.get("herald.callbacks.response-timeout-ms").orElse("10000"))));
        registry.bind("webhookApi", new WebhookApi(webhooks, callbackPolicy));
        registry.bind("deadLetterApi", new DeadLetterApi(callbacks));
    }
}
