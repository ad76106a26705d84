package io.herald.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(60_000));

    @Test
    void theDelayDoublesWithEachAttemptWithinFifteenPercent() {
        for (int attempts = 1; attempts <= 6; attempts++) {
            long expected = 1000L << (attempts - 1);
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.after(attempts).toMillis()).as("attempt %d", attempts)
                        .isBetween(Math.round(expected * 0.85), Math.round(expected * 1.15));
            }
        }
    }

    @Test
    void theDelayStopsAtTheMaximum() {
        for (int attempts : new int[] {7, 20, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.after(attempts).toMillis()).isBetween(51_000L, 69_000L);
        }
    }

    @Test
    void aMaximumBelowTheInitialDelayKeepsTheInitialDelayAndNoDelayIsZero() {
        assertThat(new Backoff(Duration.ofMillis(500), Duration.ofMillis(10)).after(5).toMillis()).isBetween(425L, 575L);
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).after(3).toMillis()).isEqualTo(1);
    }
}
