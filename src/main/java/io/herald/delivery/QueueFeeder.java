package io.herald.delivery;

import io.herald.pipeline.Drain;
import io.herald.pipeline.MessageStore;
import io.herald.store.DispatchRepository;
import io.herald.store.QueueRepository;
import io.herald.store.StoredMessage;
import io.herald.store.QueueRepository.QueueClaim;
import io.herald.store.QueueRepository.Queued;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Hands stored messages to the delivery queue (the feed-delivery route): claims a batch of ACCEPTED messages in the
 * database (they become QUEUED), the route puts their ids on {@code herald.queue.delivery.out}, and dispatches with
 * nothing left to hand over become Queued. The work is in the database, not in a request: any instance's feeder
 * takes over what another left, and a request never waits for room on the queue.
 * <p>
 * Each accepted request wakes the feeder once its transaction has committed; the periodic sweep only takes messages
 * stored more than {@code herald.feed.sweep-after} ago (what a stopped instance or a failed hand-over left), never
 * those of a request still being stored or committed — on H2 the commit of a large dispatch takes a while, and
 * claiming its messages meanwhile slows it down badly.
 */
public class QueueFeeder {
    public static final String CLAIMED = "heraldFeedClaimed";
    /** Set on a sweep: only messages stored longer than the sweep delay ago are claimed. */
    public static final String SWEEP = "heraldFeedSweep";

    private final QueueRepository queue;
    private final DispatchRepository dispatches;
    private final int batchSize;
    private final Duration sweepAfter;

    public QueueFeeder(QueueRepository queue, DispatchRepository dispatches, int batchSize, Duration sweepAfter) {
        this.queue = queue;
        this.dispatches = dispatches;
        this.batchSize = batchSize;
        this.sweepAfter = sweepAfter;
    }

    /** Marks the feeder's pass as the sweep's ({@link #SWEEP}). */
    public static void sweeping(Exchange exchange) {
        exchange.setProperty(SWEEP, true);
    }

    /** The ids of the next batch claimed; {@link Drain#MORE} tells whether more may be waiting. */
    public List<String> claim(Exchange exchange, @ExchangeProperty(SWEEP) Boolean sweep) {
        exchange.removeProperty(CLAIMED); // a failed claim must not put back the batch of the pass before
        OffsetDateTime storedBefore = Boolean.TRUE.equals(sweep) ? OffsetDateTime.now(ZoneOffset.UTC).minus(sweepAfter) : null;
        QueueClaim claim = queue.claimForQueue(batchSize, storedBefore);
        exchange.setProperty(Drain.MORE, claim.more());
        exchange.setProperty(CLAIMED, claim.claimed());
        return claim.claimed().stream().map(Queued::id).toList();
    }

    /** The batch is on the queue: its dispatches with nothing left to hand over are Queued. */
    public void handedOver(@ExchangeProperty(CLAIMED) List<Queued> claimed) {
        queue.finishQueued(claimed);
    }

    /**
     * The sweep's second task: dispatches whose queuing started more than {@code herald.feed.sweep-after} ago and that
     * have nothing left to hand over are Queued (a pass that handed their last messages over but failed to say so).
     */
    public int finishStalled() {
        return dispatches.finishInterruptedQueuing(OffsetDateTime.now(ZoneOffset.UTC).minus(sweepAfter));
    }

    /** Handing messages over right after their commit failed (the hand-over route): the feeder takes them over. */
    public void notHandedOver(@ExchangeProperty(MessageStore.HAND_OVER) List<StoredMessage> handed) {
        queue.notHandedOver(handed);
    }

    /** Handing the batch over failed: its messages are ACCEPTED again (an id already on the queue is harmless). */
    public void failed(Exchange exchange, @ExchangeProperty(CLAIMED) List<Queued> claimed) {
        exchange.setProperty(Drain.MORE, false);
        if (claimed != null) {
            queue.unqueue(claimed);
        }
    }
}
