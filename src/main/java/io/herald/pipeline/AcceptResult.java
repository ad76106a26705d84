package io.herald.pipeline;

import io.herald.store.Campaign;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the accept pipeline answers: one entry per recipient, in request order (each entry's recipient without its
 * personalisation values, which are not kept once rendered). {@code sendAt} is the effective send time, in the
 * offset the request's schedule time was given in (UTC when it had none); {@code scheduled} means the accepted
 * messages are held until then instead of being queued now; {@code spooled} means they were spooled (a tracked
 * dispatch: its entries carry no message id) and are stored as messages in the background.
 */
public record AcceptResult(Campaign campaign, Long dispatchId, List<Entry> entries, OffsetDateTime sendAt, boolean scheduled,
                           boolean spooled) {

    public AcceptResult(Campaign campaign, Long dispatchId, List<Entry> entries) {
        this(campaign, dispatchId, entries, null, false, false);
    }

    public enum Status { OK, WARNING, ERROR }

    public record Entry(Recipient recipient, String messageId, Status status, int code, String message) {
    }

    public int acceptedCount() {
        return (int) entries.stream().filter(e -> e.status() != Status.ERROR).count();
    }

    public boolean allRejected() {
        return entries.stream().allMatch(e -> e.status() == Status.ERROR);
    }
}
