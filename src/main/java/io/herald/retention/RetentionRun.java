package io.herald.retention;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One retention run, the body of routes/retention.camel.yaml: its cut-off times, where each of its three passes
 * (messages deleted, dispatches deleted, content erased) has got to, whether the pass may have more to do (its last
 * batch was full), and what it did.
 */
public final class RetentionRun {
    final OffsetDateTime contentBefore;
    final OffsetDateTime rowsBefore;
    final int batchSize;
    private final long startedNanos = System.nanoTime();

    String messagesAfter = "";
    long dispatchesAfter;
    String contentAfter = "";
    boolean moreMessages = true;
    boolean moreDispatches = true;
    boolean moreContent = true;

    int deletedMessages;
    int deletedDispatches;
    int erasedMessages;
    private int batches;
    private Duration longestBatch = Duration.ZERO;
    private Duration took;

    RetentionRun(OffsetDateTime contentBefore, OffsetDateTime rowsBefore, int batchSize) {
        this.contentBefore = contentBefore;
        this.rowsBefore = rowsBefore;
        this.batchSize = batchSize;
    }

    public boolean isMoreMessages() {
        return moreMessages;
    }

    public boolean isMoreDispatches() {
        return moreDispatches;
    }

    public boolean isMoreContent() {
        return moreContent;
    }

    public int deletedMessages() {
        return deletedMessages;
    }

    public int deletedDispatches() {
        return deletedDispatches;
    }

    public int erasedMessages() {
        return erasedMessages;
    }

    /** Transactions that changed something. */
    public int batches() {
        return batches;
    }

    public Duration longestBatch() {
        return longestBatch;
    }

    void batchDone(Duration took) {
        batches++;
        if (took.compareTo(longestBatch) > 0) {
            longestBatch = took;
        }
    }

    void finished() {
        took = Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public String toString() {
        return "deleted " + deletedMessages + " messages final before " + rowsBefore + " and " + deletedDispatches
                + " emptied dispatches, erased the content of " + erasedMessages + " messages final before " + contentBefore
                + "; " + batches + " batches of at most " + batchSize + " rows, the longest " + longestBatch.toMillis()
                + " ms; took " + (took == null ? "-" : took.toMillis() + " ms");
    }
}
