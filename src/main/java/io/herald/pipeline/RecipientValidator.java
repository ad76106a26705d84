package io.herald.pipeline;

import io.herald.api.ApiError;
import io.herald.security.Principal;
import io.herald.store.Campaign;
import io.herald.store.Channel;
import org.apache.camel.ExchangeProperty;

import java.util.List;
import java.util.Optional;

/**
 * Checks one recipient's address against the campaign channel: a strict email, or a mobile in an allowed country.
 * A recipient with U+0000 in any of its values is refused first (2001): no database Herald runs on stores it as text
 * alike, and PostgreSQL refuses it.
 * A dialect that validated its own number format (COSMOS virtual numbers) sets {@link #VERBATIM_ADDRESS} and the
 * number is taken as given. Addressed SMS recipients then pass the {@link Screen} (opt-outs, number states, content
 * rules), which may still reject them.
 */
public class RecipientValidator {
    public static final String VERBATIM_ADDRESS = "heraldVerbatimAddress";
    static final String NUL_REFUSED = "Recipient data contains U+0000, which is not accepted in text";

    /** Further checks of an addressed SMS recipient; answers the recipient unchanged or a rejection. */
    @FunctionalInterface
    public interface Screen {
        Outcome screen(Outcome.Addressed addressed, Campaign campaign, Principal principal, String dialect);
    }

    /** Passes every addressed recipient. */
    public static final Screen NO_SCREEN = (addressed, campaign, principal, dialect) -> addressed;

    private final Screen screen;

    public RecipientValidator(Screen screen) {
        this.screen = screen;
    }

    public Outcome validate(Recipient recipient,
                            @ExchangeProperty(CampaignResolver.CAMPAIGN) Campaign campaign,
                            @ExchangeProperty(CampaignResolver.ALLOWED_COUNTRIES) List<String> allowedCountries,
                            @ExchangeProperty(Principal.PROPERTY) Principal principal,
                            @ExchangeProperty(SendRequest.DIALECT) String dialect,
                            @ExchangeProperty(VERBATIM_ADDRESS) Boolean verbatim) {
        if (recipient.holdsNul()) {
            return new Outcome.Rejection(recipient, ApiError.INVALID_FIELD.code(), NUL_REFUSED);
        }
        String raw = recipient.addressFor(campaign.channel());
        Optional<String> address = campaign.channel() == Channel.EMAIL
                ? EmailAddresses.normalise(raw)
                : Boolean.TRUE.equals(verbatim) ? Optional.ofNullable(raw) : PhoneNumbers.toE164(raw, allowedCountries, true);
        if (address.isEmpty()) {
            ApiError error = campaign.channel() == Channel.EMAIL ? ApiError.INVALID_EMAIL : ApiError.INVALID_PHONE;
            return new Outcome.Rejection(recipient, error.code(), error.message());
        }
        Outcome.Addressed addressed = new Outcome.Addressed(recipient, address.get());
        return campaign.channel() == Channel.SMS ? screen.screen(addressed, campaign, principal, dialect) : addressed;
    }
}
