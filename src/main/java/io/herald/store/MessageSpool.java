package io.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The message spool (table {@code message_spool}, migration V7): the accepted messages of a tracked dispatch, stored
 * in the request's transaction as one row per batch, then expanded into message rows in the background.
 * <p>
 * A batch is expanded by whoever claims it: a conditional UPDATE sets a random claim token and a lease, so of several
 * instances (or an instance's signal and sweep) one expands it; the expanding transaction deletes the row only while
 * its token is still the row's ({@link #finish}), so a batch whose lease ran out and that another took over is never
 * stored twice. A claim that is not finished (its instance died, its transaction failed) runs out by itself.
 */
public class MessageSpool {
    /** Rows looked at per claim: a few, so that a batch another instance just claimed does not end the pass. */
    private static final int CANDIDATES = 4;

    private final Jdbc jdbc;

    public MessageSpool(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A batch claimed for expansion, with what its dispatch says about its messages. */
    public record Batch(long id, String claim, long dispatchId, long accountId, long campaignId, boolean sandbox,
                        String dialect, MessageStatus status, String detail, String content, OffsetDateTime receivedAt,
                        OffsetDateTime sendAt) {
    }

    /** Spools a batch of {@code messages} messages inside the caller's transaction (the request's). */
    public void insert(Connection c, long dispatchId, MessageStatus status, String detail, int messages, String content)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO message_spool (dispatch_id, status, detail, messages, content, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", dispatchId, status.name(), detail, messages, content, now());
    }

    /** Claims the oldest batch nobody is expanding (or whose expansion's lease ran out) for {@code lease}. */
    public Optional<Batch> claimNext(Duration lease) {
        OffsetDateTime now = now();
        List<Long> candidates = jdbc.query("SELECT id FROM message_spool WHERE claimed_until IS NULL OR claimed_until <= ?"
                + " ORDER BY id FETCH FIRST " + CANDIDATES + " ROWS ONLY", rs -> rs.getLong("id"), now);
        for (long id : candidates) {
            String claim = UUID.randomUUID().toString();
            int won = jdbc.update("UPDATE message_spool SET claim = ?, claimed_until = ? WHERE id = ?"
                    + " AND (claimed_until IS NULL OR claimed_until <= ?)", claim, now.plus(lease), id, now);
            if (won == 1) {
                Optional<Batch> batch = jdbc.queryOne("SELECT s.*, d.account_id, d.campaign_id, d.is_test, d.dialect,"
                        + " d.created_at AS received_at, d.send_at FROM message_spool s JOIN dispatch d ON d.id = s.dispatch_id"
                        + " WHERE s.id = ? AND s.claim = ?", MessageSpool::map, id, claim);
                if (batch.isPresent()) {
                    return batch;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes a claimed batch inside the caller's transaction (the one storing its messages), and answers whether the
     * claim still held it: when not, another expansion took it over and the caller must store nothing.
     */
    public boolean finish(Connection c, Batch batch) throws SQLException {
        return Jdbc.update(c, "DELETE FROM message_spool WHERE id = ? AND claim = ?", batch.id(), batch.claim()) == 1;
    }

    /** Whether messages of the dispatch are still spooled, not yet stored as messages. */
    public boolean spooled(long dispatchId) {
        return !jdbc.query("SELECT 1 AS x FROM message_spool WHERE dispatch_id = ? FETCH FIRST 1 ROWS ONLY",
                rs -> rs.getInt("x"), dispatchId).isEmpty();
    }

    private static Batch map(ResultSet rs) throws SQLException {
        return new Batch(rs.getLong("id"), rs.getString("claim"), rs.getLong("dispatch_id"), rs.getLong("account_id"),
                rs.getLong("campaign_id"), rs.getBoolean("is_test"), rs.getString("dialect"),
                MessageStatus.valueOf(rs.getString("status")), rs.getString("detail"), rs.getString("content"),
                Jdbc.timestamp(rs, "received_at"), Jdbc.timestamp(rs, "send_at"));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
