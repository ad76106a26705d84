package io.herald.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way tests wait for something that happens asynchronously: poll a probe until its value satisfies a
 * condition, and fail with the last value seen once the timeout has passed. (A fixed pause that lets time pass on
 * purpose, to show that something does NOT happen, stays a {@link HeraldApp#sleep}.)
 */
public final class Await {
    public static final Duration POLL = Duration.ofMillis(50);

    private Await() {
    }

    /** Polls every 50 ms; answers the first value that satisfies the condition. */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        return until(what, timeout, POLL, probe, done);
    }

    public static <T> T until(String what, Duration timeout, Duration poll, Supplier<T> probe, Predicate<? super T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T last = null;
        while (true) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for: " + what + "; last seen: " + last);
            }
            HeraldApp.sleep(poll.toMillis());
        }
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, POLL, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** Re-runs the assertions until they pass; after the timeout, their last failure is thrown. */
    public static void untilAsserted(Duration timeout, Runnable assertions) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                assertions.run();
                return;
            } catch (AssertionError e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            HeraldApp.sleep(POLL.toMillis());
        }
    }

    /**
     * Asserts repeatedly until the instant has passed: for what must NOT happen before a time (nothing sent before its
     * schedule, no further callback within a period), which cannot be awaited.
     */
    public static void during(Instant end, Duration poll, Runnable assertions) {
        while (Instant.now().isBefore(end)) {
            assertions.run();
            HeraldApp.sleep(poll.toMillis());
        }
    }

    /** Waits until the given instant has passed (a schedule time, not an outcome). */
    public static void past(Instant instant) {
        while (Instant.now().isBefore(instant)) {
            HeraldApp.sleep(Math.max(1, Math.min(100, Duration.between(Instant.now(), instant).toMillis())));
        }
    }
}
