package io.herald.pipeline;

import io.herald.api.ApiError;
import io.herald.security.Principal;
import io.herald.status.MessageMetrics;
import io.herald.store.AccountRepository;
import io.herald.store.Campaign;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stores the accepted messages of one request in one transaction, within the account's message limit,
 * and answers the per-recipient result. Nothing is answered before this commit.
 */
public class MessageStore {
    private final MessageRepository messages;
    private final AccountRepository accounts;
    private final MessageMetrics metrics;

    public MessageStore(MessageRepository messages, AccountRepository accounts, MessageMetrics metrics) {
        this.messages = messages;
        this.accounts = accounts;
        this.metrics = metrics;
    }

    public AcceptResult store(List<Outcome> outcomes, @ExchangeProperty(CampaignResolver.CAMPAIGN) Campaign campaign,
                              @ExchangeProperty(Principal.PROPERTY) Principal principal,
                              @ExchangeProperty("heraldDialect") String dialect) {
        long drafts = outcomes.stream().filter(o -> o instanceof Outcome.Draft).count();
        AcceptResult result = messages.jdbc().inTransaction(c -> {
            int granted = accounts.reserve(c, principal.accountId(), (int) drafts);
            Long dispatchId = granted == 0 ? null : messages.insertDispatch(c, principal.accountId(), campaign.id(),
                    principal.keyId(), dialect, principal.sandbox(), outcomes.size(), granted);
            List<AcceptResult.Entry> entries = new ArrayList<>(outcomes.size());
            List<StoredMessage> rows = new ArrayList<>(granted);
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Outcome.Draft draft && rows.size() < granted) {
                    String id = UUID.randomUUID().toString();
                    rows.add(new StoredMessage(id, principal.accountId(), dispatchId, campaign.id(), draft.channel(), draft.address(),
                            draft.from(), draft.replyTo(), draft.subject(), draft.text(), draft.html(),
                            draft.unsubscribeUrl(), principal.sandbox(), MessageStatus.ACCEPTED, 0, null, null));
                    entries.add(draft.missing().isEmpty()
                            ? new AcceptResult.Entry(draft.recipient(), id, AcceptResult.Status.OK, 0, "OK")
                            : new AcceptResult.Entry(draft.recipient(), id, AcceptResult.Status.WARNING, 0,
                                    "Missing parameters: " + String.join(", ", draft.missing())));
                } else if (outcome instanceof Outcome.Rejection rejection) {
                    entries.add(new AcceptResult.Entry(rejection.recipient(), null, AcceptResult.Status.ERROR,
                            rejection.code(), rejection.reason()));
                } else {
                    entries.add(new AcceptResult.Entry(outcome.recipient(), null, AcceptResult.Status.ERROR,
                            ApiError.MESSAGE_LIMIT.code(), ApiError.MESSAGE_LIMIT.message()));
                }
            }
            messages.insert(c, rows, "accepted");
            return new AcceptResult(campaign, dispatchId, entries);
        });
        metrics.accepted(campaign.channel(), result.acceptedMessageIds().size());
        return result;
    }

    /** Marks the stored messages QUEUED just before they are handed to the delivery queue. */
    public void markQueued(AcceptResult result) {
        if (result.dispatchId() != null) {
            messages.markDispatchQueued(result.dispatchId());
        }
    }
}
