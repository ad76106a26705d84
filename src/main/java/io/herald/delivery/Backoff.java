package io.herald.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, for every retry Herald stores (deliveries and callbacks): the delay doubles from
 * {@code initial} with each attempt up to {@code max}, and is spread by ±15 % so that messages failed together do
 * not come due together.
 */
public record Backoff(Duration initial, Duration max) {

    /** The delay before the attempt after {@code attempts} failed ones (at least 1 ms). */
    public Duration after(int attempts) {
        long base = initial.toMillis();
        long cap = Math.max(base, max.toMillis());
        long delay = base;
        for (int i = 1; i < attempts && delay < cap; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, cap);
        double jitter = 0.85 + ThreadLocalRandom.current().nextDouble() * 0.3;
        return Duration.ofMillis(Math.max(1, Math.round(delay * jitter)));
    }
}
