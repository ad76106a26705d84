package io.herald.console;

import io.herald.store.Jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's live counters and throughput chart ({@code GET /console/stats}): messages per status, and the status
 * events of the last {@link #WINDOW} in {@link #BUCKET} buckets (accepted, sent, delivered, failed). A tenant's session
 * sees its own account only; the operator's sees every account. Read from the database, so they agree across
 * instances and restarts (the Prometheus counters at /observe/metrics are each instance's own since its start).
 */
public class ConsoleStats {
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final Duration BUCKET = Duration.ofSeconds(10);
    private static final List<String> CHARTED = List.of("ACCEPTED", "SENT", "DELIVERED", "FAILED");

    private final Jdbc jdbc;
    private final Clock clock;

    public ConsoleStats(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** {@code accountId} null: every account. */
    public Map<String, Object> stats(Long accountId) {
        String scope = accountId == null ? "" : " WHERE account_id = ?";
        Object[] params = accountId == null ? new Object[0] : new Object[] {accountId};
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT status, COUNT(*) AS n FROM message" + scope + " GROUP BY status",
                rs -> counts.put(rs.getString("status"), rs.getLong("n")), params);

        Instant now = clock.instant();
        long bucketSeconds = BUCKET.toSeconds();
        long last = now.getEpochSecond() / bucketSeconds;
        int buckets = (int) (WINDOW.toSeconds() / bucketSeconds);
        long first = last - buckets + 1;
        OffsetDateTime since = OffsetDateTime.ofInstant(Instant.ofEpochSecond(first * bucketSeconds), ZoneOffset.UTC);
        Map<String, long[]> series = new LinkedHashMap<>();
        CHARTED.forEach(s -> series.put(s, new long[buckets]));
        String sql = "SELECT e.status, e.at FROM message_event e"
                + (accountId == null ? " WHERE" : " JOIN message m ON m.id = e.message_id WHERE m.account_id = ? AND")
                + " e.at >= ? AND e.status IN ('ACCEPTED', 'SENT', 'DELIVERED', 'FAILED')";
        Object[] eventParams = accountId == null ? new Object[] {since} : new Object[] {accountId, since};
        jdbc.query(sql, rs -> {
            int i = (int) (Jdbc.timestamp(rs, "at").toEpochSecond() / bucketSeconds - first);
            if (i >= 0 && i < buckets) {
                series.get(rs.getString("status"))[i]++;
            }
            return null;
        }, eventParams);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("counts", counts);
        answer.put("bucketSeconds", bucketSeconds);
        answer.put("since", since.toString());
        Map<String, List<Long>> lines = new LinkedHashMap<>();
        series.forEach((status, values) -> {
            List<Long> l = new ArrayList<>(values.length);
            for (long v : values) {
                l.add(v);
            }
            lines.put(status, l);
        });
        answer.put("series", lines);
        return answer;
    }
}
