package io.herald.pipeline;

import io.herald.api.ApiError;
import io.herald.store.Campaign;
import io.herald.store.Channel;
import org.apache.camel.ExchangeProperty;

import java.util.List;
import java.util.Optional;

/** Checks one recipient's address against the campaign channel: a strict email, or a mobile in an allowed country. */
public class RecipientValidator {

    public Outcome validate(Recipient recipient,
                            @ExchangeProperty(CampaignResolver.CAMPAIGN) Campaign campaign,
                            @ExchangeProperty(CampaignResolver.ALLOWED_COUNTRIES) List<String> allowedCountries) {
        String raw = recipient.addressFor(campaign.channel());
        Optional<String> address = campaign.channel() == Channel.EMAIL
                ? EmailAddresses.normalise(raw)
                : PhoneNumbers.toE164(raw, allowedCountries, true);
        if (address.isEmpty()) {
            ApiError error = campaign.channel() == Channel.EMAIL ? ApiError.INVALID_EMAIL : ApiError.INVALID_PHONE;
            return new Outcome.Rejection(recipient, error.code(), error.message());
        }
        return new Outcome.Addressed(recipient, address.get());
    }
}
