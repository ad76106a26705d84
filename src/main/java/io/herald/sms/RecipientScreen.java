package io.herald.sms;

import io.herald.api.ApiError;
import io.herald.pipeline.Outcome;
import io.herald.pipeline.RecipientValidator;
import io.herald.security.Principal;
import io.herald.store.Campaign;

/**
 * Screens every addressed SMS recipient of every dialect: a number on the account's blacklist (opted out) or marked
 * inactive by an operator is rejected as an invalid mobile (2003); COSMOS messages also pass the content rules.
 * The reasons are constants, so that the COSMOS dialect can answer each with its own status word.
 */
public class RecipientScreen implements RecipientValidator.Screen {
    public static final String BLACKLISTED = "Recipient has opted out of messages from this account (blacklist)";
    public static final String INACTIVE = "Recipient number is inactive";
    public static final String SPAM = "Message refused by the content rules (spam)";

    private final NumberRepository numbers;
    private final ContentRules contentRules;
    private final String contentRulesDialect;

    public RecipientScreen(NumberRepository numbers, ContentRules contentRules, String contentRulesDialect) {
        this.numbers = numbers;
        this.contentRules = contentRules;
        this.contentRulesDialect = contentRulesDialect;
    }

    @Override
    public Outcome screen(Outcome.Addressed addressed, Campaign campaign, Principal principal, String dialect) {
        NumberRepository.Standing standing = numbers.standing(principal.accountId(), addressed.address());
        if (standing.blacklisted()) {
            return rejection(addressed, BLACKLISTED);
        }
        if (standing.inactive()) {
            return rejection(addressed, INACTIVE);
        }
        if (contentRulesDialect.equals(dialect)
                && contentRules.isSpam(principal.accountId(), addressed.address(), campaign.text())) {
            return rejection(addressed, SPAM);
        }
        return addressed;
    }

    private static Outcome rejection(Outcome.Addressed addressed, String reason) {
        return new Outcome.Rejection(addressed.recipient(), ApiError.INVALID_PHONE.code(), reason);
    }
}
