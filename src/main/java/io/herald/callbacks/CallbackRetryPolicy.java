package io.herald.callbacks;

import io.herald.callbacks.CallbackRepository.Callback;
import io.herald.delivery.Backoff;
import io.herald.status.StatusRecorder;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Retries of failed callbacks: exponential backoff ({@link Backoff}: doubling from {@code herald.retry.initial-delay-ms}
 * up to {@code herald.retry.max-delay-ms}, with jitter) until {@code herald.callbacks.give-up-after} has passed since the
 * first attempt. The retry is stored, not waited for in memory: the callback is handed back with the time it is due
 * again, and the callbacks-due route picks it up then, on whichever instance polls first. So a restart or a crash
 * loses no retry, and no worker (or shutdown) waits out a backoff.
 */
public class CallbackRetryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackRetryPolicy.class);

    private final CallbackRepository callbacks;
    private final Duration giveUpAfter;
    private final Backoff backoff;

    public CallbackRetryPolicy(CallbackRepository callbacks, Duration giveUpAfter, Duration initialDelay, Duration maxDelay) {
        this.callbacks = callbacks;
        this.giveUpAfter = giveUpAfter;
        this.backoff = new Backoff(initialDelay, maxDelay);
    }

    /** False once give-up-after has passed since the first attempt (which is stored, so it survives restarts). */
    public boolean shouldRetry(@ExchangeProperty(CallbackPoster.FIRST_ATTEMPT) OffsetDateTime firstAttempt) {
        return firstAttempt == null || OffsetDateTime.now(ZoneOffset.UTC).isBefore(firstAttempt.plus(giveUpAfter));
    }

    /** Records the failure and makes the callback due again after its backoff. */
    public void retryLater(Exchange exchange, @ExchangeProperty(CallbackPoster.CALLBACK) Callback callback) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown error" : StatusRecorder.describe(cause);
        if (callback == null) {
            LOG.error("A callback could not be loaded: {}", reason);
            return;
        }
        int attempts = callbacks.find(callback.id()).map(Callback::attempts).orElse(1);
        Duration delay = backoff.after(attempts);
        callbacks.recordFailure(callback.id(), reason, OffsetDateTime.now(ZoneOffset.UTC).plus(delay));
        LOG.warn("Callback {} to {} failed (attempt {}), retrying in {} ms: {}", callback.id(), callback.url(), attempts,
                delay.toMillis(), reason);
    }

}
