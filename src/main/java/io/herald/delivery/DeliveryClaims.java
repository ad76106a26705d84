package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.store.GroupCommit;
import io.herald.store.MessageClaims;
import io.herald.store.StoredMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may attempt a message, and when. Before any attempt the delivering instance claims the message in the database
 * for {@code herald.delivery.lease}; a queue entry for a message that is claimed, waiting for a retry, or no longer
 * deliverable sends nothing, so redelivered queue records and concurrent instances never send a message twice.
 * A transient failure hands the message back with a {@link Backoff} (doubling from {@code herald.retry.initial-delay-ms} up to
 * {@code herald.retry.max-delay-ms}, with jitter); retries that are due, and claims of instances that died, are picked
 * up by whichever instance polls first ({@link #claimDue()}).
 */
public class DeliveryClaims extends ServiceSupport implements CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryClaims.class);

    private final MessageClaims claims;
    private final GroupCommit writes;
    private final String instanceId;
    private final Duration lease;
    private final Backoff backoff;
    private final int batch;
    private CamelContext camelContext;

    public DeliveryClaims(MessageClaims claims, GroupCommit writes, String instanceId, Duration lease, Duration initialDelay,
                          Duration maxDelay, int batch) {
        this.claims = claims;
        this.writes = writes;
        this.instanceId = instanceId;
        this.lease = lease;
        this.backoff = new Backoff(initialDelay, maxDelay);
        this.batch = batch;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Claims one message for an attempt by this instance; answers the first attempt's time, or null if not won. */
    public OffsetDateTime claim(String messageId) {
        OffsetDateTime now = now();
        return claims.claim(messageId, instanceId, now, now.plus(lease));
    }

    /**
     * Claims a message the queue carried whole and that was never attempted, in a group commit with the other delivery
     * writes of the moment; answers the first attempt's time (now), or null when not won (see
     * {@link MessageClaims#claimFresh}: then {@link #claim} decides).
     */
    public OffsetDateTime claimFresh(String messageId) {
        OffsetDateTime now = now();
        boolean won = writes.write(b -> {
            boolean[] claimed = {false};
            claims.claimFresh(b, messageId, instanceId, now, now.plus(lease), changed -> claimed[0] = changed == 1);
            return () -> claimed[0];
        });
        return won ? now : null;
    }

    /** Claims the messages whose retry is due or whose claim ran out, up to {@code herald.delivery.due-batch}. */
    public List<String> claimDue() {
        List<String> won = new ArrayList<>();
        for (String id : claims.due(now(), batch)) {
            if (claim(id) != null) {
                won.add(id);
            }
        }
        return won;
    }

    /** The attempt failed transiently and may be retried: the message is due again after its backoff. */
    public void retryLater(@ExchangeProperty(StatusRecorder.MESSAGE_ID) String messageId,
                           @ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message) {
        if (messageId == null) {
            return;
        }
        int attempts = message == null ? 1 : Math.max(1, message.attempts());
        claims.retryAt(messageId, instanceId, now().plus(backoff.after(attempts)));
    }

    /** Deliverable messages that were never attempted: after a start they are put on the delivery queue again. */
    public List<String> neverAttempted() {
        return claims.neverAttempted();
    }


    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * On a graceful stop, after the routes have stopped, the claims this instance still holds are handed back, so
     * another instance need not wait for the lease to run out. Not while an attempt may still be running: then the
     * lease stays and runs out by itself.
     */
    @Override
    protected void doStop() {
        if (camelContext != null && camelContext.getInflightRepository().size() > 0) {
            LOG.warn("{} exchanges still in flight: delivery claims of {} are left to expire",
                    camelContext.getInflightRepository().size(), instanceId);
            return;
        }
        try {
            int released = claims.releaseAll(instanceId, now());
            if (released > 0) {
                LOG.info("Handed back {} delivery claims of {}", released, instanceId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not hand back the delivery claims of {}: {}", instanceId, e.getMessage());
        }
    }
}
