package io.herald.observe;

import io.herald.store.Jdbc;
import io.herald.store.MessageStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What waits, for the backlog gauges: messages per state not yet final (ACCEPTED, SCHEDULED, QUEUED, and SENT,
 * waiting for a delivery report) and the messages in the Messaging API's spool. Read with one GROUP BY (over the
 * status index) and one sum, at most once per {@code herald.metrics.backlog-refresh}: however many gauges a scrape
 * reads and however many scrapes come at once, the database sees those two queries once per period.
 */
public final class Backlog {
    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);
    public static final List<MessageStatus> WAITING = List.of(MessageStatus.ACCEPTED, MessageStatus.SCHEDULED,
            MessageStatus.QUEUED, MessageStatus.SENT);

    private final Jdbc jdbc;
    private final long refreshNanos;
    private Snapshot snapshot;

    /** The counts read at {@code readAt} (System.nanoTime); NaN where the read failed. */
    private record Snapshot(Map<MessageStatus, Double> waiting, double spooled, long readAt) {
    }

    public Backlog(Jdbc jdbc, Duration refresh) {
        this.jdbc = jdbc;
        this.refreshNanos = refresh.toNanos();
    }

    /** Messages in the state (0 when none). */
    public double waiting(MessageStatus status) {
        return current().waiting().getOrDefault(status, 0.0);
    }

    /** Messages spooled (answered, not yet stored as messages). */
    public double spooled() {
        return current().spooled();
    }

    private synchronized Snapshot current() {
        long now = System.nanoTime();
        if (snapshot == null || now - snapshot.readAt() >= refreshNanos) {
            snapshot = read(now);
        }
        return snapshot;
    }

    private Snapshot read(long now) {
        Map<MessageStatus, Double> waiting = new EnumMap<>(MessageStatus.class);
        try {
            String in = Jdbc.in(WAITING.size());
            jdbc.query("SELECT status, COUNT(*) FROM message WHERE status IN " + in + " GROUP BY status",
                    rs -> waiting.put(MessageStatus.valueOf(rs.getString(1)), (double) rs.getLong(2)),
                    WAITING.stream().map(Enum::name).toArray());
            double spooled = jdbc.queryOne("SELECT COALESCE(SUM(messages), 0) FROM message_spool", rs -> rs.getDouble(1))
                    .orElse(0.0);
            return new Snapshot(waiting, spooled, now);
        } catch (RuntimeException e) {
            LOG.warn("Backlog gauges not read: {}", e.getMessage());
            WAITING.forEach(status -> waiting.put(status, Double.NaN));
            return new Snapshot(waiting, Double.NaN, now);
        }
    }
}
