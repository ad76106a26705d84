package io.herald.store;

import io.herald.store.DispatchRepository.Dispatch;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.herald.store.Jdbc.now;

/**
 * The feeder's claims: ACCEPTED messages become QUEUED as they are handed to the delivery queue (and ACCEPTED again
 * when the hand-over failed), and the queuing of their dispatches starts and finishes with them. Delivery's own
 * claims, once a message is on the queue, are {@link MessageClaims}'.
 */
public class QueueRepository {
    private final Jdbc jdbc;
    private final DispatchRepository dispatches;

    public QueueRepository(Jdbc jdbc, DispatchRepository dispatches) {
        this.jdbc = jdbc;
        this.dispatches = dispatches;
    }

    /** A message claimed for the delivery queue, with its dispatch (null for none). */
    public record Queued(String id, Long dispatchId) {
    }

    /** What a feeder pass claimed, and whether more ACCEPTED messages may be waiting. */
    public record QueueClaim(List<Queued> claimed, boolean more) {
    }

    /**
     * Claims up to {@code limit} ACCEPTED messages for the delivery queue, in one transaction: each becomes QUEUED with
     * its event (a conditional update per message, so of several feeders exactly one claims each), and the queuing of
     * their dispatches starts. {@code storedBefore}: only messages stored before then (null: any).
     */
    public QueueClaim claimForQueue(int limit, OffsetDateTime storedBefore) {
        Jdbc.RowMapper<Queued> row = rs -> new Queued(rs.getString("id"), Jdbc.nullableLong(rs, "dispatch_id"));
        String select = "SELECT id, dispatch_id FROM message WHERE status = 'ACCEPTED'";
        String first = " FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        List<Queued> candidates = storedBefore == null ? jdbc.query(select + first, row)
                : jdbc.query(select + " AND created_at < ?" + first, row, storedBefore);
        if (candidates.isEmpty()) {
            return new QueueClaim(List.of(), false);
        }
        OffsetDateTime now = now();
        List<Queued> claimed = jdbc.inTransaction(c -> {
            List<Queued> won = Jdbc.updateEach(c, "UPDATE message SET status = 'QUEUED', updated_at = ? WHERE id = ?"
                    + " AND status = 'ACCEPTED'", candidates, q -> new Object[] {now, q.id()});
            Jdbc.updateEach(c, "INSERT INTO message_event (message_id, status, at, detail) VALUES (?, 'QUEUED', ?,"
                    + " 'handed to delivery')", won, q -> new Object[] {q.id(), now});
            for (Long dispatch : dispatches(won)) {
                Jdbc.update(c, "UPDATE dispatch SET started_queuing_at = ?, updated_at = ? WHERE id = ? AND started_queuing_at IS NULL",
                        now, now, dispatch);
            }
            return won;
        });
        return new QueueClaim(claimed, candidates.size() == limit);
    }

    /** Claimed messages whose hand-over to the queue failed are ACCEPTED again, for the next feeder pass. */
    public void unqueue(List<Queued> messages) {
        OffsetDateTime now = now();
        jdbc.inTransaction(c -> Jdbc.updateEach(c, "UPDATE message SET status = 'ACCEPTED', updated_at = ?"
                + " WHERE id = ? AND status = 'QUEUED' AND claimed_until IS NULL", messages, q -> new Object[] {now, q.id()}));
    }

    /** Of these dispatches, those with no message left to hand to delivery are Queued. */
    public void finishQueued(List<Queued> messages) {
        for (Long dispatch : dispatches(messages)) {
            dispatches.finishQueuing(dispatch);
        }
    }

    private static Set<Long> dispatches(List<Queued> messages) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Queued q : messages) {
            if (q.dispatchId() != null) {
                ids.add(q.dispatchId());
            }
        }
        return ids;
    }

    /**
     * Messages handed to the delivery queue right after their commit whose hand-over failed: those no claim holds (none
     * claimed for delivery with their insert, none an attempt took) are ACCEPTED again, for the feeder, and their
     * dispatches Pending until the feeder has handed them over. Claimed ones are deliver-due's once the claim ran out.
     */
    public void notHandedOver(List<StoredMessage> handed) {
        OffsetDateTime now = now();
        jdbc.inTransaction(c -> {
            List<StoredMessage> unqueued = Jdbc.updateEach(c, "UPDATE message SET status = 'ACCEPTED', updated_at = ?"
                    + " WHERE id = ? AND status = 'QUEUED' AND claimed_until IS NULL", handed, m -> new Object[] {now, m.id()});
            Set<Long> dispatches = new LinkedHashSet<>();
            unqueued.forEach(m -> dispatches.add(m.dispatchId()));
            Jdbc.updateEach(c, "UPDATE dispatch SET send_status = " + Dispatch.PENDING + ", finished_queuing_at = NULL,"
                    + " updated_at = ? WHERE id = ? AND send_status = " + Dispatch.QUEUED, new ArrayList<>(dispatches),
                    d -> new Object[] {now, d});
            return null;
        });
    }

    /** Messages accepted but not yet handed to a transport: what a restart must pick up again. */
    public List<String> unfinishedIds() {
        return jdbc.query("SELECT id FROM message WHERE status IN ('ACCEPTED', 'QUEUED') ORDER BY created_at",
                rs -> rs.getString("id"));
    }
}
