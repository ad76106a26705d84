package io.herald.pipeline;

import io.herald.store.Campaign;

import java.util.List;

/** What the accept pipeline answers: one entry per recipient, in request order. */
public record AcceptResult(Campaign campaign, Long dispatchId, List<Entry> entries) {

    public enum Status { OK, WARNING, ERROR }

    public record Entry(Recipient recipient, String messageId, Status status, int code, String message) {
    }

    public List<String> acceptedMessageIds() {
        return entries.stream().filter(e -> e.messageId() != null).map(Entry::messageId).toList();
    }

    public boolean allRejected() {
        return entries.stream().allMatch(e -> e.status() == Status.ERROR);
    }
}
