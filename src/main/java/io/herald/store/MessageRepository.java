package io.herald.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static io.herald.store.Jdbc.now;

/**
 * Messages and their status history. Every status change is a conditional update from the states it may
 * leave, so a late or repeated event can never move a message backwards. Their dispatches are
 * {@link DispatchRepository}'s, the feeder's queue claims {@link QueueRepository}'s, delivery claims
 * {@link MessageClaims}'.
 */
public class MessageRepository {
    private final Jdbc jdbc;

    public MessageRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    private static final String INSERT_MESSAGE = "INSERT INTO message (id, account_id, dispatch_id, campaign_id, channel,"
            + " recipient, sender, reply_to, subject, body_text, body_html, unsubscribe_url, sandbox, status, created_at,"
            + " updated_at, claimed_by, claimed_until, attempts, first_attempt_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * A delivery claim taken with the insert (see {@link MessageClaims}): the accepting instance delivers the message
     * itself, from its own in-memory queue, as its first attempt, and needs no claim of its own later.
     */
    public record Claim(String instance, OffsetDateTime until) {
    }
    private static final String INSERT_EVENT = "INSERT INTO message_event (message_id, status, at, detail) VALUES (?, ?, ?, ?)";

    /**
     * Adds messages with their first status event to a batch. A message stored QUEUED (handed to delivery in the same
     * breath) gets two events: ACCEPTED with {@code detail}, then QUEUED. {@code claim}: claimed for delivery as well
     * (null: not).
     */
    public void add(Batch b, List<StoredMessage> messages, String detail, Claim claim) {
        OffsetDateTime now = now();
        for (StoredMessage m : messages) {
            b.add(INSERT_MESSAGE, m.id(), m.accountId(), m.dispatchId(), m.campaignId(), m.channel().name(), m.recipient(),
                    m.from(), m.replyTo(), m.subject(), m.text(), m.html(), m.unsubscribeUrl(), m.sandbox(), m.status().name(),
                    now, now, claim == null ? null : claim.instance(), claim == null ? null : claim.until(), m.attempts(),
                    m.firstAttemptAt());
            boolean queued = m.status() == MessageStatus.QUEUED;
            b.add(INSERT_EVENT, m.id(), (queued ? MessageStatus.ACCEPTED : m.status()).name(), now, detail);
            if (queued) {
                b.add(INSERT_EVENT, m.id(), MessageStatus.QUEUED.name(), now, "handed to delivery");
            }
        }
    }

    /**
     * Adds a conditional status change to a batch: the message moves to {@code to} if it is in one of {@code from}
     * (with the provider's id and the SMS upstream that carried it, when given); only then is its event recorded.
     * {@code then} hears whether it moved (1) or had already moved on (0), inside the transaction.
     */
    public void transition(Batch b, String id, Collection<MessageStatus> from, MessageStatus to, String detail,
                           String providerMessageId, String upstream, Batch.Counted then) {
        OffsetDateTime now = now();
        String placeholders = String.join(", ", from.stream().map(s -> "'" + s.name() + "'").toList());
        boolean error = to.isFinal() && to != MessageStatus.DELIVERED;
        List<Object> params = new ArrayList<>(List.of(to.name(), now));
        if (providerMessageId != null) {
            params.add(providerMessageId);
        }
        if (upstream != null) {
            params.add(upstream);
        }
        if (error) {
            params.add(truncate(detail));
        }
        params.add(id);
        b.add("UPDATE message SET status = ?, updated_at = ?" + (providerMessageId != null ? ", provider_message_id = ?" : "")
                + (upstream != null ? ", upstream = ?" : "")
                + (error ? ", last_error = ?" : "") + " WHERE id = ? AND status IN (" + placeholders + ")", changed -> {
                    if (changed == 1) {
                        b.add(INSERT_EVENT, id, to.name(), now, truncate(detail));
                    }
                    then.rows(changed);
                }, params.toArray());
    }

    /** Adds the sandbox transport's record of a message to a batch. */
    public void addSandboxDelivery(Batch b, StoredMessage m) {
        b.add("INSERT INTO sandbox_delivery (message_id, channel, recipient, sender, subject, body, delivered_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", m.id(), m.channel().name(), m.recipient(), m.from(), m.subject(),
                m.text() != null ? m.text() : m.html(), now());
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

    /** The SMS upstream that carried a message (SPEC §6), if one did. */
    public Optional<String> upstream(String id) {
        return jdbc.queryOne("SELECT upstream FROM message WHERE id = ?", rs -> rs.getString(1), id);
    }

    public List<MessageEvent> events(String id) {
        return jdbc.query("SELECT status, at, detail FROM message_event WHERE message_id = ? ORDER BY id",
                rs -> new MessageEvent(MessageStatus.valueOf(rs.getString("status")), Jdbc.timestamp(rs, "at"),
                        rs.getString("detail")), id);
    }

    /** A message row as a {@link StoredMessage} (for queries of other concerns on the message table). */
    public static StoredMessage map(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getString("id"), rs.getLong("account_id"), rs.getLong("dispatch_id"),
                rs.getLong("campaign_id"), Channel.valueOf(rs.getString("channel")), rs.getString("recipient"),
                rs.getString("sender"), rs.getString("reply_to"), rs.getString("subject"), rs.getString("body_text"),
                rs.getString("body_html"), rs.getString("unsubscribe_url"), rs.getBoolean("sandbox"),
                MessageStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Jdbc.timestamp(rs, "first_attempt_at"), rs.getString("provider_message_id"));
    }

    static String truncate(String detail) {
        return detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    }
}
