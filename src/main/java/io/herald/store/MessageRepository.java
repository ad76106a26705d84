package io.herald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Messages and their status history. Every status change is a conditional update from the states it may
 * leave, so a late or repeated event can never move a message backwards.
 */
public class MessageRepository {
    private static final int BATCH = 500;
    private final Jdbc jdbc;

    public MessageRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public long insertDispatch(Connection c, long accountId, long campaignId, long keyId, String dialect, boolean test,
                               int totalRecipients, int accepted) throws SQLException {
        return Jdbc.insert(c, "INSERT INTO dispatch (account_id, campaign_id, api_key_id, dialect, is_test, total_recipients,"
                        + " accepted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                accountId, campaignId, keyId, dialect, test, totalRecipients, accepted, now());
    }

    /** Inserts messages with their first status event, in batches, inside the caller's transaction. */
    public void insert(Connection c, List<StoredMessage> messages, String detail) throws SQLException {
        OffsetDateTime now = now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message (id, account_id, dispatch_id, campaign_id, channel,"
                + " recipient, sender, reply_to, subject, body_text, body_html, unsubscribe_url, sandbox, status, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement events = c.prepareStatement(
                     "INSERT INTO message_event (message_id, status, at, detail) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            for (StoredMessage m : messages) {
                Jdbc.bind(ps, m.id(), m.accountId(), m.dispatchId(), m.campaignId(), m.channel().name(), m.recipient(),
                        m.from(), m.replyTo(), m.subject(), m.text(), m.html(), m.unsubscribeUrl(), m.sandbox(),
                        m.status().name(), now, now);
                ps.addBatch();
                Jdbc.bind(events, m.id(), m.status().name(), now, detail);
                events.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    events.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
                events.executeBatch();
            }
        }
    }

    /**
     * Moves a message to {@code to} if it is currently in one of {@code from}, and records the event.
     * Answers false (and records nothing) when the message had already moved on.
     */
    public boolean transition(String id, Collection<MessageStatus> from, MessageStatus to, String detail) {
        return jdbc.inTransaction(c -> transition(c, id, from, to, detail));
    }

    public boolean transition(Connection c, String id, Collection<MessageStatus> from, MessageStatus to, String detail)
            throws SQLException {
        OffsetDateTime now = now();
        String placeholders = String.join(", ", from.stream().map(s -> "'" + s.name() + "'").toList());
        int changed = Jdbc.update(c, "UPDATE message SET status = ?, updated_at = ?"
                + (to.isFinal() && to != MessageStatus.DELIVERED ? ", last_error = ?" : "")
                + " WHERE id = ? AND status IN (" + placeholders + ")",
                to.isFinal() && to != MessageStatus.DELIVERED
                        ? new Object[] {to.name(), now, truncate(detail), id}
                        : new Object[] {to.name(), now, id});
        if (changed == 1) {
            Jdbc.update(c, "INSERT INTO message_event (message_id, status, at, detail) VALUES (?, ?, ?, ?)",
                    id, to.name(), now, truncate(detail));
        }
        return changed == 1;
    }

    /** ACCEPTED → QUEUED for every message of a dispatch, in one statement pair. */
    public void markDispatchQueued(long dispatchId) {
        OffsetDateTime now = now();
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO message_event (message_id, status, at, detail) SELECT id, 'QUEUED', CAST(? AS TIMESTAMP WITH TIME ZONE),"
                    + " 'handed to delivery'"
                    + " FROM message WHERE dispatch_id = ? AND status = 'ACCEPTED'", now, dispatchId);
            return Jdbc.update(c, "UPDATE message SET status = 'QUEUED', updated_at = ? WHERE dispatch_id = ? AND status = 'ACCEPTED'",
                    now, dispatchId);
        });
    }

    public void recordSent(String id, String providerMessageId, String detail) {
        jdbc.inTransaction(c -> {
            if (transition(c, id, List.of(MessageStatus.ACCEPTED, MessageStatus.QUEUED), MessageStatus.SENT, detail)) {
                Jdbc.update(c, "UPDATE message SET provider_message_id = ? WHERE id = ?", providerMessageId, id);
            }
            return null;
        });
    }

    /** Counts one delivery attempt and answers when the first attempt began. */
    public OffsetDateTime beginAttempt(String id) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE message SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?)"
                    + " WHERE id = ?", now(), id);
            return Jdbc.query(c, "SELECT first_attempt_at FROM message WHERE id = ?",
                    rs -> Jdbc.timestamp(rs, "first_attempt_at"), id).get(0);
        });
    }

    public void recordAttemptFailure(String id, String error) {
        OffsetDateTime now = now();
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE message SET last_error = ?, updated_at = ? WHERE id = ?", truncate(error), now, id);
            Jdbc.update(c, "INSERT INTO message_event (message_id, status, at, detail) VALUES (?, ?, ?, ?)",
                    id, MessageStatus.QUEUED.name(), now, truncate("retrying after: " + error));
            return null;
        });
    }

    public Optional<StoredMessage> find(String id) {
        return jdbc.queryOne("SELECT * FROM message WHERE id = ?", MessageRepository::map, id);
    }

    public Optional<StoredMessage> find(long accountId, String id) {
        return jdbc.queryOne("SELECT * FROM message WHERE id = ? AND account_id = ?", MessageRepository::map, id, accountId);
    }

    public Optional<StoredMessage> findByProviderId(String providerMessageId) {
        return jdbc.queryOne("SELECT * FROM message WHERE provider_message_id = ?", MessageRepository::map, providerMessageId);
    }

    public List<MessageEvent> events(String id) {
        return jdbc.query("SELECT status, at, detail FROM message_event WHERE message_id = ? ORDER BY id",
                rs -> new MessageEvent(MessageStatus.valueOf(rs.getString("status")), Jdbc.timestamp(rs, "at"),
                        rs.getString("detail")), id);
    }

    /** Messages accepted but not yet handed to a transport: what a restart must pick up again. */
    public List<String> unfinishedIds() {
        return jdbc.query("SELECT id FROM message WHERE status IN ('ACCEPTED', 'QUEUED') ORDER BY created_at",
                rs -> rs.getString("id"));
    }

    public void recordSandboxDelivery(StoredMessage m) {
        jdbc.update("INSERT INTO sandbox_delivery (message_id, channel, recipient, sender, subject, body, delivered_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", m.id(), m.channel().name(), m.recipient(), m.from(), m.subject(),
                m.text() != null ? m.text() : m.html(), now());
    }

    private static StoredMessage map(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getString("id"), rs.getLong("account_id"), rs.getLong("dispatch_id"),
                rs.getLong("campaign_id"), Channel.valueOf(rs.getString("channel")), rs.getString("recipient"),
                rs.getString("sender"), rs.getString("reply_to"), rs.getString("subject"), rs.getString("body_text"),
                rs.getString("body_html"), rs.getString("unsubscribe_url"), rs.getBoolean("sandbox"),
                MessageStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Jdbc.timestamp(rs, "first_attempt_at"), rs.getString("provider_message_id"));
    }

    private static String truncate(String detail) {
        return detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
