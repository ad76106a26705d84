package io.herald.pipeline;

import io.herald.security.Principal;
import io.herald.store.Campaign;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The canonical send request: what every dialect's receive route hands to the accept pipeline.
 * The campaign is named by {@code campaignCode} (CO-SENDER) or {@code campaignId} (Messaging API), or given
 * {@code inline} (COSMOS: content in the request itself). {@code scheduleAt} null means now.
 */
public record SendRequest(Principal principal, String dialect, String campaignCode, Long campaignId, Campaign inline,
                          OffsetDateTime scheduleAt, List<Recipient> recipients) {

    public static SendRequest byCode(Principal principal, String dialect, String code, List<Recipient> recipients) {
        return new SendRequest(principal, dialect, code, null, null, null, recipients);
    }
}
