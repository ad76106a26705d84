package io.herald.store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Delivery claims on messages (columns {@code claimed_by}, {@code claimed_until}, migration V4). A claim is a
 * conditional UPDATE, so of several instances (or threads) racing for one message exactly one wins, on H2 and
 * PostgreSQL alike; the others see zero rows changed and leave the message alone.
 */
public class MessageClaims {
    private static final String DELIVERABLE = "status IN ('ACCEPTED', 'QUEUED')";

    private final Jdbc jdbc;

    public MessageClaims(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a deliverable message for {@code instance} until {@code until} and counts the attempt, if no claim or
     * retry backoff holds it at {@code now}. Answers the first attempt's time, or null when the claim was not won.
     */
    public OffsetDateTime claim(String id, String instance, OffsetDateTime now, OffsetDateTime until) {
        return jdbc.inTransaction(c -> {
            int won = Jdbc.update(c, "UPDATE message SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1,"
                            + " first_attempt_at = COALESCE(first_attempt_at, ?)"
                            + " WHERE id = ? AND " + DELIVERABLE + " AND (claimed_until IS NULL OR claimed_until <= ?)",
                    instance, until, now, id, now);
            if (won == 0) {
                return null;
            }
            return Jdbc.query(c, "SELECT first_attempt_at FROM message WHERE id = ?",
                    rs -> Jdbc.timestamp(rs, "first_attempt_at"), id).get(0);
        });
    }

    /**
     * Adds to a group commit the claim of a message never attempted (the delivery queue carried it whole, so it need
     * not be read): for {@code instance} until {@code until}, its first attempt at {@code now}. {@code won} hears 1 when
     * the claim was won; 0 when the message was attempted before (a repeated queue entry: claim it with
     * {@link #claim}), or is no longer deliverable.
     */
    public void claimFresh(Batch b, String id, String instance, OffsetDateTime now, OffsetDateTime until, Batch.Counted won) {
        b.add("UPDATE message SET claimed_by = ?, claimed_until = ?, attempts = 1, first_attempt_at = ? WHERE id = ? AND "
                + DELIVERABLE + " AND attempts = 0", won, instance, until, now, id);
    }

    /** Deliverable messages whose retry is due or whose claim has run out (its instance died), oldest first. */
    public List<String> due(OffsetDateTime now, int limit) {
        return jdbc.query("SELECT id FROM message WHERE " + DELIVERABLE + " AND claimed_until <= ?"
                + " ORDER BY claimed_until FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", rs -> rs.getString("id"), now);
    }

    /** Hands an attempt that failed transiently back: nobody holds the message until {@code retryAt}. */
    public boolean retryAt(String id, String instance, OffsetDateTime retryAt) {
        return jdbc.update("UPDATE message SET claimed_by = NULL, claimed_until = ? WHERE id = ? AND claimed_by = ? AND "
                + DELIVERABLE, retryAt, id, instance) == 1;
    }

    /** Gives up every claim {@code instance} still holds (on a graceful stop): the messages are due again at once. */
    public int releaseAll(String instance, OffsetDateTime now) {
        return jdbc.update("UPDATE message SET claimed_by = NULL, claimed_until = ? WHERE claimed_by = ? AND "
                + DELIVERABLE + " AND claimed_until > ?", now, instance, now);
    }

    /**
     * QUEUED messages never attempted (claimed_until NULL): what a start puts on the delivery queue again (they may
     * have been lost with the embedded queue). ACCEPTED ones are the feeder's (QueueFeeder).
     */
    public List<String> neverAttempted() {
        return jdbc.query("SELECT id FROM message WHERE status = 'QUEUED' AND claimed_until IS NULL ORDER BY created_at",
                rs -> rs.getString("id"));
    }
}
