package io.herald.edge.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** How many requests a dialect's fuzz run sent, and what came back. */
public final class Tally {
    private final String dialect;
    private final long started = System.nanoTime();
    private final Map<String, Integer> answers = new TreeMap<>();
    private final Map<String, Integer> defects = new TreeMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger valid = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong slowestNanos = new AtomicLong();

    public Tally(String dialect) {
        this.dialect = dialect;
    }

    synchronized void count(FuzzRequest request, Dialect.Outcome outcome, long nanos) {
        requests.incrementAndGet();
        answers.merge(outcome.label(), 1, Integer::sum);
        defects.merge(request.valid() ? "valid" : request.category(), 1, Integer::sum);
        if (request.valid()) {
            valid.incrementAndGet();
        }
        messages.addAndGet(outcome.messageIds().size());
        slowestNanos.accumulateAndGet(nanos, Math::max);
    }

    void failed() {
        requests.incrementAndGet();
        failures.incrementAndGet();
    }

    public int requests() {
        return requests.get();
    }

    /** Requests malformed by construction (all but those sent valid on purpose). */
    public int malformed() {
        return requests.get() - valid.get();
    }

    public int failures() {
        return failures.get();
    }

    public synchronized String report() {
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format("FUZZ %s: %d requests (%d malformed) in %.1f s (%.0f/s), slowest answer %d ms; %d valid on purpose created %d messages;"
                        + " %d failed checks%n  answers (status/code): %s%n  requests by defect: %s",
                dialect, requests.get(), malformed(), seconds, requests.get() / Math.max(seconds, 0.001), slowestNanos.get() / 1_000_000,
                valid.get(), messages.get(), failures.get(), format(answers), format(defects));
    }

    private static String format(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
