package io.herald.callbacks;

import io.herald.store.Jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Callbacks to post (an outbox: each is stored before it is posted, so a restart loses none), and the dead letters
 * of those given up.
 */
public class CallbackRepository {
    public static final String PENDING = "PENDING";
    public static final String POSTED = "POSTED";
    public static final String PARKED = "PARKED";

    public record Callback(long id, long accountId, String messageId, Long dispatchId, String event, String url, String body,
                           String status, int attempts, OffsetDateTime firstAttemptAt, String lastError) {
    }

    public record DeadLetter(long id, Callback callback, int attempts, String lastError, OffsetDateTime parkedAt) {
    }

    private final Jdbc jdbc;

    public CallbackRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /**
     * Stores a callback unless one with the same key exists (then answers empty), inside the caller's transaction:
     * the key makes one final state give exactly one callback per target, however often its event arrives.
     */
    public Optional<Long> insertIfAbsent(Connection c, String dedupeKey, long accountId, String messageId, Long dispatchId,
                                         String event, String url, String body) throws SQLException {
        if (!Jdbc.query(c, "SELECT id FROM callback WHERE dedupe_key = ?", rs -> rs.getLong(1), dedupeKey).isEmpty()) {
            return Optional.empty();
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            OffsetDateTime now = now();
            return Optional.of(Jdbc.insert(c, "INSERT INTO callback (dedupe_key, account_id, message_id, dispatch_id, event, url,"
                            + " body, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    dedupeKey, accountId, messageId, dispatchId, event, url, body, PENDING, now, now));
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(savepoint);
            return Optional.empty();
        }
    }

    public Optional<Callback> find(long id) {
        return jdbc.queryOne("SELECT * FROM callback WHERE id = ?", CallbackRepository::map, id);
    }

    public List<Callback> forMessage(String messageId) {
        return jdbc.query("SELECT * FROM callback WHERE message_id = ? ORDER BY id", CallbackRepository::map, messageId);
    }

    /**
     * Takes a pending, due callback for one attempt until {@code until}; answers empty when it is not pending, not
     * due yet (waiting out a backoff), or another worker holds it.
     */
    public Optional<Callback> claim(long id, OffsetDateTime until) {
        OffsetDateTime now = now();
        int claimed = jdbc.update("UPDATE callback SET claimed_until = ?, updated_at = ? WHERE id = ? AND status = ?"
                + " AND (claimed_until IS NULL OR claimed_until < ?)", until, now, id, PENDING, now);
        return claimed == 1 ? find(id) : Optional.empty();
    }

    /** Counts an attempt and answers when the first one began (retries give up counting from there). */
    public OffsetDateTime beginAttempt(long id) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE callback SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),"
                    + " updated_at = ? WHERE id = ?", now(), now(), id);
            return Jdbc.query(c, "SELECT first_attempt_at FROM callback WHERE id = ?", rs -> Jdbc.timestamp(rs, "first_attempt_at"),
                    id).get(0);
        });
    }

    /** The attempt failed: the callback stays pending and is due again at {@code dueAt}. */
    public void recordFailure(long id, String error, OffsetDateTime dueAt) {
        jdbc.update("UPDATE callback SET last_error = ?, claimed_until = ?, updated_at = ? WHERE id = ? AND status = ?",
                truncate(error), dueAt, now(), id, PENDING);
    }

    public void markPosted(long id) {
        jdbc.update("UPDATE callback SET status = ?, claimed_until = NULL, updated_at = ? WHERE id = ? AND status = ?",
                POSTED, now(), id, PENDING);
    }

    public void park(long id, String error) {
        OffsetDateTime now = now();
        jdbc.inTransaction(c -> {
            if (Jdbc.update(c, "UPDATE callback SET status = ?, last_error = ?, claimed_until = NULL, updated_at = ?"
                    + " WHERE id = ? AND status = ?", PARKED, truncate(error), now, id, PENDING) == 1) {
                int attempts = Jdbc.query(c, "SELECT attempts FROM callback WHERE id = ?", rs -> rs.getInt(1), id).get(0);
                Jdbc.update(c, "INSERT INTO callback_dead_letter (callback_id, attempts, last_error, parked_at) VALUES (?, ?, ?, ?)",
                        id, attempts, truncate(error), now);
            }
            return null;
        });
    }

    /** Pending callbacks that are due: new ones, retries whose backoff is over, those of an instance that died. */
    public List<Long> dueIds(int limit) {
        return jdbc.query("SELECT id FROM callback WHERE status = ? AND (claimed_until IS NULL OR claimed_until < ?)"
                + " ORDER BY id FETCH FIRST " + limit + " ROWS ONLY", rs -> rs.getLong(1), PENDING, now());
    }

    /** Parked callbacks not yet replayed: every account's ({@code accountId} null) or one account's. */
    public List<DeadLetter> deadLetters(Long accountId) {
        return jdbc.query("SELECT d.id AS dead_letter_id, d.attempts AS parked_attempts, d.last_error AS parked_error, d.parked_at,"
                + " c.* FROM callback_dead_letter d JOIN callback c ON c.id = d.callback_id WHERE d.replayed_at IS NULL"
                + (accountId == null ? "" : " AND c.account_id = ?")
                + " ORDER BY d.id", rs -> new DeadLetter(rs.getLong("dead_letter_id"), map(rs), rs.getInt("parked_attempts"),
                rs.getString("parked_error"), Jdbc.timestamp(rs, "parked_at")), accountId == null ? new Object[0] : new Object[] {accountId});
    }

    /**
     * Puts a parked callback back to PENDING with a fresh retry period; answers its id, or empty if not parked (or,
     * with an {@code accountId}, not that account's).
     */
    public Optional<Long> replay(long deadLetterId, Long accountId) {
        OffsetDateTime now = now();
        return jdbc.inTransaction(c -> {
            List<Long> ids = Jdbc.query(c, "SELECT d.callback_id FROM callback_dead_letter d JOIN callback c ON c.id = d.callback_id"
                    + " WHERE d.id = ? AND d.replayed_at IS NULL" + (accountId == null ? "" : " AND c.account_id = ?"),
                    rs -> rs.getLong(1), accountId == null ? new Object[] {deadLetterId} : new Object[] {deadLetterId, accountId});
            if (ids.isEmpty() || Jdbc.update(c, "UPDATE callback_dead_letter SET replayed_at = ? WHERE id = ? AND replayed_at IS NULL",
                    now, deadLetterId) != 1) {
                return Optional.empty();
            }
            Jdbc.update(c, "UPDATE callback SET status = ?, attempts = 0, first_attempt_at = NULL, claimed_until = NULL,"
                    + " updated_at = ? WHERE id = ? AND status = ?", PENDING, now, ids.get(0), PARKED);
            return Optional.of(ids.get(0));
        });
    }

    /**
     * Final messages since then that need a callback (a COSMOS callback URL, or their account's webhook) but have
     * none stored: their status event was lost (e.g. in an in-memory queue at a crash) and is told again.
     */
    public List<String> finalMessagesWithoutCallbacks(OffsetDateTime since) {
        return jdbc.query("SELECT m.id FROM message m WHERE m.status IN ('DELIVERED', 'NOT_DELIVERED', 'FAILED', 'REJECTED')"
                + " AND m.updated_at >= ?"
                + " AND (EXISTS (SELECT 1 FROM cosmos_message cm WHERE cm.message_id = m.id AND cm.callback_url IS NOT NULL)"
                + "   OR EXISTS (SELECT 1 FROM account_webhook w WHERE w.account_id = m.account_id AND w.url IS NOT NULL"
                + "              AND w.updated_at <= m.updated_at))"
                + " AND NOT EXISTS (SELECT 1 FROM callback cb WHERE cb.message_id = m.id)"
                + " ORDER BY m.updated_at", rs -> rs.getString(1), since);
    }

    /**
     * Removes posted callbacks (and their replayed dead letters) unchanged for {@code retention} (ISO-8601, e.g.
     * {@code P7D}); keep it longer than {@code herald.callbacks.give-up-after}, the look-back of the start-up replay.
     */
    public int purgeOlderThan(String retention) {
        return purge(now().minus(java.time.Duration.parse(retention)));
    }

    int purge(OffsetDateTime before) {
        return jdbc.inTransaction(c -> Jdbc.update(c, "DELETE FROM callback_dead_letter WHERE replayed_at < ?"
                        + " AND callback_id IN (SELECT id FROM callback WHERE status = ?)", before, POSTED)
                + Jdbc.update(c, "DELETE FROM callback WHERE status = ? AND updated_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM callback_dead_letter d WHERE d.callback_id = callback.id)", POSTED, before));
    }

    private static Callback map(ResultSet rs) throws SQLException {
        return new Callback(rs.getLong("id"), rs.getLong("account_id"), rs.getString("message_id"),
                Jdbc.nullableLong(rs, "dispatch_id"), rs.getString("event"), rs.getString("url"), rs.getString("body"),
                rs.getString("status"), rs.getInt("attempts"), Jdbc.timestamp(rs, "first_attempt_at"), rs.getString("last_error"));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
