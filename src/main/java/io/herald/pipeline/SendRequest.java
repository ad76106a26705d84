package io.herald.pipeline;

import io.herald.security.Principal;
import io.herald.store.Campaign;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The canonical send request: what every dialect's receive route hands to the accept pipeline.
 * The campaign is named by {@code campaignCode} (CO-SENDER) or {@code campaignId} (Messaging API), or given
 * {@code inline} (COSMOS: content in the request itself). {@code scheduleAt} null or past means now.
 * <p>
 * The recipients are a {@code List}, or, for a request too large to hold as objects (a 100,000-recipient dispatch),
 * {@code recipientStream}: read lazily, once per iteration, while the pipeline stores them batch by batch.
 * A {@code trackedDispatch} is a call the client follows as one dispatch (Messaging API): each recipient must carry
 * a {@code uniqueId} that is unique in the call, and the dispatch is recorded even when no recipient is valid.
 */
public record SendRequest(Principal principal, String dialect, String campaignCode, Long campaignId, Campaign inline,
                          OffsetDateTime scheduleAt, List<Recipient> recipients, Iterable<Recipient> recipientStream,
                          boolean trackedDispatch) {
    /**
     * Exchange property: the request's dialect, set from {@link #dialect()} when the accept pipeline begins
     * (MessageStore.begin), for its per-recipient steps, whose body is one recipient.
     */
    public static final String DIALECT = "heraldDialect";

    public SendRequest(Principal principal, String dialect, String campaignCode, Long campaignId, Campaign inline,
                       OffsetDateTime scheduleAt, List<Recipient> recipients) {
        this(principal, dialect, campaignCode, campaignId, inline, scheduleAt, recipients, null, false);
    }

    public static SendRequest byCode(Principal principal, String dialect, String code, List<Recipient> recipients) {
        return new SendRequest(principal, dialect, code, null, null, null, recipients);
    }

    /** A tracked dispatch of the campaign with id {@code campaignId}, its recipients read lazily from {@code recipients}. */
    public static SendRequest trackedDispatch(Principal principal, String dialect, long campaignId, OffsetDateTime scheduleAt,
                                              Iterable<Recipient> recipients) {
        return new SendRequest(principal, dialect, null, campaignId, null, scheduleAt, null, recipients, true);
    }

    /** Every recipient, in request order. */
    public Iterable<Recipient> allRecipients() {
        return recipientStream != null ? recipientStream : recipients;
    }
}
