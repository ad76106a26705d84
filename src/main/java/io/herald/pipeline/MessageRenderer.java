package io.herald.pipeline;

import io.herald.api.ApiError;
import io.herald.pipeline.PlaceholderRenderer.Rendered;
import io.herald.pipeline.PlaceholderRenderer.Target;
import io.herald.store.Campaign;
import io.herald.store.Channel;
import org.apache.camel.ExchangeProperty;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Personalises the campaign content for one addressed recipient (docs/contract.md#placeholders). Rejections pass
 * through unchanged.
 */
public class MessageRenderer {

    public Outcome render(Outcome outcome, @ExchangeProperty(CampaignResolver.CAMPAIGN) Campaign campaign) {
        if (!(outcome instanceof Outcome.Addressed addressed)) {
            return outcome;
        }
        Map<String, String> params = new HashMap<>(addressed.recipient().params());
        params.putIfAbsent(campaign.channel() == Channel.EMAIL ? "email" : "phone_number", addressed.address());
        Map<String, String> defaults = campaign.tagDefaults();
        SortedSet<String> missing = new TreeSet<>();

        String text = collect(PlaceholderRenderer.render(campaign.text(), params, defaults, Target.TEXT), missing);
        if (campaign.channel() == Channel.SMS) {
            return checked(new Outcome.Draft(addressed.recipient(), Channel.SMS, addressed.address(),
                    header(campaign.from(), params, defaults), null, null, null, text, null, missing));
        }
        String subject = collect(PlaceholderRenderer.render(campaign.subject(), params, defaults, Target.HEADER), missing);
        String html = collect(PlaceholderRenderer.render(campaign.html(), params, defaults, Target.HTML), missing);
        String unsubscribe = params.getOrDefault("unsubscribe", campaign.unsubscribeUrl());
        return checked(new Outcome.Draft(addressed.recipient(), Channel.EMAIL, addressed.address(),
                header(campaign.from(), params, defaults), header(campaign.replyTo(), params, defaults), subject, html, text,
                unsubscribe == null ? null : PlaceholderRenderer.render(unsubscribe, Map.of(), Map.of(), Target.HEADER).text(),
                missing));
    }

    /**
     * A message that personalisation made longer than a stored message can hold is rejected (2001) on its own,
     * instead of failing the whole request at the database.
     */
    private static Outcome checked(Outcome.Draft d) {
        String tooLong = tooLong("from", d.from(), 320);
        tooLong = tooLong != null ? tooLong : tooLong("replyTo", d.replyTo(), 320);
        tooLong = tooLong != null ? tooLong : tooLong("subject", d.subject(), 2000);
        tooLong = tooLong != null ? tooLong : tooLong("html", d.html(), 1_000_000);
        tooLong = tooLong != null ? tooLong : tooLong("text", d.text(), 1_000_000);
        tooLong = tooLong != null ? tooLong : tooLong("unsubscribe", d.unsubscribeUrl(), 2000);
        return tooLong == null ? d : new Outcome.Rejection(d.recipient(), ApiError.INVALID_FIELD.code(), tooLong);
    }

    private static String tooLong(String field, String value, int max) {
        return value != null && value.length() > max
                ? "Personalised " + field + " is longer than " + max + " characters" : null;
    }

    private static String header(String template, Map<String, String> params, Map<String, String> defaults) {
        return PlaceholderRenderer.render(template, params, defaults, Target.HEADER).text();
    }

    private static String collect(Rendered rendered, SortedSet<String> missing) {
        missing.addAll(rendered.missing());
        return rendered.text();
    }
}
