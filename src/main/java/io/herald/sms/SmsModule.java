package io.herald.sms;

import io.herald.Core;
import io.herald.Settings;
import org.apache.camel.spi.Registry;

/**
 * SMS number state for every dialect (routes opt-out.camel.yaml and sms-numbers.camel.yaml): opt-outs (STOP replies
 * and the tenant's blacklist), the operator's inactive numbers, content rules, and the price list. Hands back the
 * screen every SMS recipient of the accept pipeline passes, and the prices.
 */
public final class SmsModule {
    private final RecipientScreen screen;
    private final PriceList prices;

    private SmsModule(RecipientScreen screen, PriceList prices) {
        this.screen = screen;
        this.prices = prices;
    }

    /** {@code contentRulesDialect}: the dialect whose messages the content rules hold to (COSMOS). */
    public static SmsModule bind(Core core, String contentRulesDialect) {
        Settings settings = core.settings();
        Registry registry = core.context().getRegistry();
        PriceList prices = PriceList.parse(settings.text("herald.sms.price.default"), settings.text("herald.sms.price.by-prefix"));
        NumberRepository numbers = new NumberRepository(core.jdbc());
        SmsHistory history = new SmsHistory(core.jdbc());
        ContentRules contentRules = new ContentRules(ContentRules.words(settings.text("herald.content-rules.blocked-words")),
                settings.integer("herald.content-rules.max-repeats"),
                settings.duration("herald.content-rules.repeat-window"), history);
        registry.bind("optOut", new OptOut(history, numbers));
        registry.bind("blacklistApi", new BlacklistApi(numbers, core.caches().accounts(), settings.text("herald.sms.allowed-countries")));
        registry.bind("numberStateApi", new NumberStateApi(numbers));
        return new SmsModule(new RecipientScreen(numbers, contentRules, contentRulesDialect), prices);
    }

    public RecipientScreen screen() {
        return screen;
    }

    public PriceList prices() {
        return prices;
    }
}
