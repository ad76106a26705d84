package io.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Messages and their status history. Every status change is a conditional update from the states it may
 * leave, so a late or repeated event can never move a message backwards.
 */
public class MessageRepository {
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

    /**
     * Adds a dispatch with its final values to a batch: a request whose messages are written in one group commit needs
     * no later update. {@code queuedAt}: when its messages were handed to delivery (null: not yet, e.g. scheduled).
     * {@code keyed} hears its id.
     */
    public void addDispatch(Batch b, long accountId, long campaignId, long keyId, String dialect, boolean test,
                            int totalRecipients, int accepted, OffsetDateTime createdAt, boolean scheduled,
                            OffsetDateTime sendAt, OffsetDateTime queuedAt, Batch.Keyed keyed) {
        b.insert("INSERT INTO dispatch (account_id, campaign_id, api_key_id, dialect, is_test, total_recipients,"
                        + " accepted, created_at, send_status, scheduled, send_at, started_queuing_at, finished_queuing_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", keyed,
                accountId, campaignId, keyId, dialect, test, totalRecipients, accepted, utc(createdAt),
                queuedAt != null ? Dispatch.QUEUED : Dispatch.PENDING, scheduled, utc(sendAt), queuedAt, queuedAt);
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
     * (with the provider's id, when given); only then is its event recorded. {@code then} hears whether it moved (1)
     * or had already moved on (0), inside the transaction.
     */
    public void transition(Batch b, String id, Collection<MessageStatus> from, MessageStatus to, String detail,
                           String providerMessageId, Batch.Counted then) {
        OffsetDateTime now = now();
        String placeholders = String.join(", ", from.stream().map(s -> "'" + s.name() + "'").toList());
        boolean error = to.isFinal() && to != MessageStatus.DELIVERED;
        List<Object> params = new ArrayList<>(List.of(to.name(), now));
        if (providerMessageId != null) {
            params.add(providerMessageId);
        }
        if (error) {
            params.add(truncate(detail));
        }
        params.add(id);
        b.add("UPDATE message SET status = ?, updated_at = ?" + (providerMessageId != null ? ", provider_message_id = ?" : "")
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

    // --- dispatches: status, queuing times, scheduled release (migration V2) -----------------------------

    /** A dispatch as the Messaging API shows it; {@code channel} is its campaign's. */
    public record Dispatch(long id, long accountId, long campaignId, Channel channel, boolean test, int totalRecipients,
                           int accepted, int sendStatus, boolean scheduled, OffsetDateTime sendAt, OffsetDateTime createdAt,
                           OffsetDateTime startedQueuingAt, OffsetDateTime finishedQueuingAt, OffsetDateTime updatedAt,
                           String errorMessage) {
        public static final int DRAFT = 1;
        public static final int PENDING = 2;
        public static final int QUEUED = 3;
        public static final int ERROR = 7;
    }

    /**
     * Initialises a dispatch inside the transaction that stored its messages: its counts, its send time, and Pending,
     * or Error when {@code errorMessage} says why nothing will be sent.
     */
    public void initialiseDispatch(Connection c, long id, OffsetDateTime createdAt, int totalRecipients, int accepted,
                                   boolean scheduled, OffsetDateTime sendAt, String errorMessage) throws SQLException {
        Jdbc.update(c, "UPDATE dispatch SET created_at = ?, total_recipients = ?, accepted = ?, send_status = ?, scheduled = ?,"
                        + " send_at = ?, error_message = ? WHERE id = ?",
                utc(createdAt), totalRecipients, accepted, errorMessage == null ? Dispatch.PENDING : Dispatch.ERROR, scheduled,
                utc(sendAt), truncate(errorMessage), id);
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
            finishQueuingWhere("id = ?", dispatch);
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
     * None of the dispatch's messages is still spooled (migration V7): only then is a scheduled dispatch released (else
     * a message stored after the release would stay SCHEDULED) or a dispatch Queued.
     */
    private static final String NOTHING_SPOOLED =
            " AND NOT EXISTS (SELECT 1 FROM message_spool s WHERE s.dispatch_id = dispatch.id)";

    /** Scheduled dispatches whose send time has come and whose release nobody has started, oldest first. */
    public List<Long> dueDispatchIds(int limit) {
        return jdbc.query("SELECT id FROM dispatch WHERE send_status = " + Dispatch.PENDING + " AND scheduled = TRUE"
                + " AND started_queuing_at IS NULL AND send_at <= ?" + NOTHING_SPOOLED + " ORDER BY send_at FETCH FIRST "
                + Math.max(1, limit) + " ROWS ONLY", rs -> rs.getLong("id"), now());
    }

    /**
     * Releases a scheduled dispatch whose time has come: claims it (a conditional UPDATE, so of several instances or
     * polls exactly one wins, on H2 and PostgreSQL alike) and makes its SCHEDULED messages ACCEPTED, in one
     * transaction (an ACCEPTED event each); the feeder then hands them to delivery as it does every accepted message
     * and marks the dispatch Queued. Answers whether this call released it.
     */
    public boolean releaseScheduled(long dispatchId) {
        OffsetDateTime now = now();
        return jdbc.inTransaction(c -> {
            int won = Jdbc.update(c, "UPDATE dispatch SET started_queuing_at = ?, updated_at = ? WHERE id = ? AND send_status = "
                    + Dispatch.PENDING + " AND scheduled = TRUE AND started_queuing_at IS NULL AND send_at <= ?" + NOTHING_SPOOLED,
                    now, now, dispatchId, now);
            if (won == 0) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO message_event (message_id, status, at, detail) SELECT id, 'ACCEPTED',"
                    + " CAST(? AS TIMESTAMP WITH TIME ZONE), 'released at its scheduled time' FROM message"
                    + " WHERE dispatch_id = ? AND status = 'SCHEDULED'", now, dispatchId);
            Jdbc.update(c, "UPDATE message SET status = 'ACCEPTED', updated_at = ? WHERE dispatch_id = ? AND status = 'SCHEDULED'",
                    now, dispatchId);
            return true;
        });
    }

    /**
     * After a start: dispatches whose queuing the previous run began but did not finish, and that have no message left
     * to hand over, are Queued (resume-unfinished put their QUEUED messages on the delivery queue again). Dispatches
     * with ACCEPTED messages are finished by the feeder once it handed them over; scheduled ones not yet released are
     * left alone.
     */
    public int finishInterruptedQueuing() {
        return finishInterruptedQueuing(now());
    }

    /** {@link #finishInterruptedQueuing()} for the dispatches whose queuing started before {@code startedBefore}. */
    public int finishInterruptedQueuing(OffsetDateTime startedBefore) {
        return finishQueuingWhere("started_queuing_at <= ?", startedBefore);
    }

    /**
     * Pending dispatches (of {@code condition}) whose queuing started and that have no message left to hand to delivery
     * (none ACCEPTED or SCHEDULED, none still spooled) are Queued.
     */
    private int finishQueuingWhere(String condition, Object parameter) {
        OffsetDateTime now = now();
        return jdbc.update("UPDATE dispatch SET send_status = " + Dispatch.QUEUED + ", finished_queuing_at = ?, updated_at = ?"
                + " WHERE " + condition + " AND send_status = " + Dispatch.PENDING + " AND started_queuing_at IS NOT NULL"
                + " AND finished_queuing_at IS NULL AND NOT EXISTS (SELECT 1 FROM message m WHERE m.dispatch_id = dispatch.id"
                + " AND m.status IN ('ACCEPTED', 'SCHEDULED'))" + NOTHING_SPOOLED, now, now, parameter);
    }

    public Optional<Dispatch> findDispatch(long accountId, long id) {
        return jdbc.queryOne("SELECT d.*, c.channel FROM dispatch d JOIN campaign c ON c.id = d.campaign_id"
                + " WHERE d.id = ? AND d.account_id = ?", MessageRepository::mapDispatch, id, accountId);
    }

    private static Dispatch mapDispatch(ResultSet rs) throws SQLException {
        return new Dispatch(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("campaign_id"),
                Channel.valueOf(rs.getString("channel")), rs.getBoolean("is_test"), rs.getInt("total_recipients"),
                rs.getInt("accepted"), rs.getInt("send_status"), rs.getBoolean("scheduled"), Jdbc.timestamp(rs, "send_at"),
                Jdbc.timestamp(rs, "created_at"), Jdbc.timestamp(rs, "started_queuing_at"),
                Jdbc.timestamp(rs, "finished_queuing_at"), Jdbc.timestamp(rs, "updated_at"), rs.getString("error_message"));
    }

    // --- CRM outbox (migration V2) -------------------------------------------------------------------------

    /** The CRM record of one message whose recipient has a card number, waiting until the CRM endpoint took it. */
    public record CrmRecord(long outboxId, String messageId, String cardNumber, String uniqueId, Channel channel,
                            long campaignId, long dispatchId, OffsetDateTime acceptedAt, OffsetDateTime sendAt) {
    }

    /** Adds CRM records for the outbox to a batch (the one that stores their messages). */
    public void addCrmRecords(Batch b, List<CrmRecord> records) {
        for (CrmRecord r : records) {
            b.add(INSERT_CRM, r.messageId(), r.cardNumber(), r.uniqueId(), r.channel().name(), r.campaignId(), r.dispatchId(),
                    utc(r.acceptedAt()), utc(r.sendAt()));
        }
    }

    private static final String INSERT_CRM = "INSERT INTO crm_outbox (message_id, card_number, unique_id, channel,"
            + " campaign_id, dispatch_id, accepted_at, send_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Claims up to {@code limit} outbox records for {@code lease}, oldest first. Each claim is a conditional UPDATE, so a
     * record is sent by one instance at a time; a claim that runs out (its instance died) makes the record due again.
     */
    public List<CrmRecord> claimCrmRecords(int limit, Duration lease) {
        OffsetDateTime now = now();
        List<CrmRecord> candidates = jdbc.query("SELECT * FROM crm_outbox WHERE claimed_until IS NULL OR claimed_until <= ?"
                + " ORDER BY id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", MessageRepository::mapCrmRecord, now);
        if (candidates.isEmpty()) {
            return candidates;
        }
        return jdbc.inTransaction(c -> Jdbc.updateEach(c, "UPDATE crm_outbox SET claimed_until = ?"
                + " WHERE id = ? AND (claimed_until IS NULL OR claimed_until <= ?)", candidates,
                r -> new Object[] {now.plus(lease), r.outboxId(), now}));
    }

    /** Removes records the CRM endpoint took. */
    public void deleteCrmRecords(List<CrmRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> Jdbc.updateEach(c, "DELETE FROM crm_outbox WHERE id = ?", records,
                r -> new Object[] {r.outboxId()}));
    }

    private static CrmRecord mapCrmRecord(ResultSet rs) throws SQLException {
        return new CrmRecord(rs.getLong("id"), rs.getString("message_id"), rs.getString("card_number"), rs.getString("unique_id"),
                Channel.valueOf(rs.getString("channel")), rs.getLong("campaign_id"), rs.getLong("dispatch_id"),
                Jdbc.timestamp(rs, "accepted_at"), Jdbc.timestamp(rs, "send_at"));
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
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

    // --- opt-out, content rules and callbacks (COSMOS module) ---------------------------------------------------

    /**
     * The latest SMS stored for one of {@code recipients} (the forms a number may be stored in), from sender
     * {@code sender} when it is not null: whose account an inbound STOP opts out of.
     */
    public Optional<StoredMessage> lastSmsTo(List<String> recipients, String sender) {
        if (recipients.isEmpty()) {
            return Optional.empty();
        }
        String in = String.join(", ", java.util.Collections.nCopies(recipients.size(), "?"));
        List<Object> params = new java.util.ArrayList<>(recipients);
        if (sender != null) {
            params.add(sender);
        }
        return jdbc.queryOne("SELECT * FROM message WHERE channel = 'SMS' AND recipient IN (" + in + ")"
                + (sender != null ? " AND sender = ?" : "") + " ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY",
                MessageRepository::map, params.toArray());
    }

    /** How many messages with this text the account sent to this recipient since then (the repeated-text rule). */
    public long countSameText(long accountId, String recipient, String text, OffsetDateTime since) {
        return jdbc.query("SELECT COUNT(*) FROM message WHERE recipient = ? AND created_at >= ? AND account_id = ?"
                + " AND body_text = ?", rs -> rs.getLong(1), recipient, since, accountId, text).get(0);
    }

    /** How many messages of a dispatch are in each status. */
    public java.util.Map<MessageStatus, Long> statusCounts(long dispatchId) {
        java.util.Map<MessageStatus, Long> counts = new java.util.EnumMap<>(MessageStatus.class);
        jdbc.query("SELECT status, COUNT(*) AS n FROM message WHERE dispatch_id = ? GROUP BY status",
                rs -> counts.put(MessageStatus.valueOf(rs.getString("status")), rs.getLong("n")), dispatchId);
        return counts;
    }
}
