package io.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.herald.store.Jdbc.now;
import static io.herald.store.Jdbc.utc;
import static io.herald.store.MessageRepository.truncate;

/**
 * Dispatches (migration V2): one per send request, with its status, its queuing times and its scheduled release.
 */
public class DispatchRepository {
    private final Jdbc jdbc;

    public DispatchRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

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

    /** The dispatch, if its queuing started and it has no message left to hand to delivery, is Queued. */
    public void finishQueuing(long dispatchId) {
        finishQueuingWhere("id = ?", dispatchId);
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
                + " WHERE d.id = ? AND d.account_id = ?", DispatchRepository::mapDispatch, id, accountId);
    }

    static Dispatch mapDispatch(ResultSet rs) throws SQLException {
        return new Dispatch(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("campaign_id"),
                Channel.valueOf(rs.getString("channel")), rs.getBoolean("is_test"), rs.getInt("total_recipients"),
                rs.getInt("accepted"), rs.getInt("send_status"), rs.getBoolean("scheduled"), Jdbc.timestamp(rs, "send_at"),
                Jdbc.timestamp(rs, "created_at"), Jdbc.timestamp(rs, "started_queuing_at"),
                Jdbc.timestamp(rs, "finished_queuing_at"), Jdbc.timestamp(rs, "updated_at"), rs.getString("error_message"));
    }

    /** How many messages of a dispatch are in each status. */
    public Map<MessageStatus, Long> statusCounts(long dispatchId) {
        Map<MessageStatus, Long> counts = new EnumMap<>(MessageStatus.class);
        jdbc.query("SELECT status, COUNT(*) AS n FROM message WHERE dispatch_id = ? GROUP BY status",
                rs -> counts.put(MessageStatus.valueOf(rs.getString("status")), rs.getLong("n")), dispatchId);
        return counts;
    }
}
