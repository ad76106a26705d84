package io.herald.pipeline;

import io.herald.status.MessageMetrics;
import io.herald.store.Batch;
import io.herald.store.Jdbc;
import io.herald.store.MessageSpool;
import io.herald.store.MessageStatus;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Stores spooled batches as messages after the answer (the expand-spool route): a tracked dispatch's accepted messages
 * were spooled by {@link MessageStore}, one {@link MessageSpool} row per batch, in the request's transaction; here each
 * row becomes message rows in a transaction that also removes it from the spool.
 */
public class SpoolExpansion {
    private final Jdbc jdbc;
    private final MessageSpool spool;
    private final Duration spoolLease;
    private final MessageWriter writer;
    private final MessageMetrics metrics;

    /** {@code spoolLease}: how long an expansion holds a spool row before another may take it over. */
    public SpoolExpansion(Jdbc jdbc, MessageSpool spool, Duration spoolLease, MessageWriter writer, MessageMetrics metrics) {
        this.jdbc = jdbc;
        this.spool = spool;
        this.spoolLease = spoolLease;
        this.writer = writer;
        this.metrics = metrics;
    }

    /**
     * Stores the oldest spooled batch as messages, in one transaction that also removes it from the spool, and answers
     * whether messages ready for delivery were stored (not scheduled ones). {@link Drain#MORE} tells whether a batch
     * was found: more may be waiting.
     */
    public boolean expandNext(Exchange exchange) {
        Optional<MessageSpool.Batch> claimed = spool.claimNext(spoolLease);
        exchange.setProperty(Drain.MORE, claimed.isPresent());
        if (claimed.isEmpty()) {
            return false;
        }
        MessageSpool.Batch batch = claimed.get();
        List<SpooledMessage> accepted = SpooledMessage.read(batch.content());
        MessageWriter.Placement placement = new MessageWriter.Placement(batch.accountId(), batch.dispatchId(),
                batch.campaignId(), batch.sandbox(), batch.dialect(), batch.status(), batch.detail(), batch.receivedAt(),
                batch.sendAt(), null);
        boolean stored = jdbc.inTransaction(c -> {
            if (!spool.finish(c, batch)) {
                return false; // another expansion took the batch over after this claim ran out
            }
            Batch b = new Batch(c);
            writer.place(b, placement, accepted);
            b.flush();
            return true;
        });
        if (stored && !accepted.isEmpty()) {
            metrics.unspooled(accepted.get(0).channel(), accepted.size());
        }
        return stored && batch.status() == MessageStatus.ACCEPTED;
    }

    /** Counts an expansion that failed (the spool routes call it): {@code herald_spool_failures_total}. */
    public void expansionFailed() {
        metrics.spoolFailed();
    }
}
