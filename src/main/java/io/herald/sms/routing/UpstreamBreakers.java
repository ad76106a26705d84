package io.herald.sms.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.herald.status.MessageMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Resilience4j circuit breaker per upstream (by name; herald.sms.failover.* settings), and each upstream's metrics:
 * {@code herald_sms_upstream_circuit{upstream}} (0 closed, 1 half-open, 2 open), {@code herald_sms_upstream_sent_total}
 * and {@code herald_sms_upstream_failed_total} (attempts that failed and moved on or were retried).
 */
public class UpstreamBreakers {
    private final CircuitBreakerRegistry breakers;
    private final MessageMetrics metrics;
    private final Set<String> metered = ConcurrentHashMap.newKeySet();

    public UpstreamBreakers(float failureRate, int minimumCalls, int window, Duration openFor, int halfOpenCalls,
                            MessageMetrics metrics) {
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRate)
                .minimumNumberOfCalls(minimumCalls)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                .build());
        this.metrics = metrics;
    }

    public CircuitBreaker of(String upstream) {
        CircuitBreaker breaker = breakers.circuitBreaker(upstream);
        if (metered.add(upstream)) {
            MeterRegistry registry = metrics.registry();
            Gauge.builder("herald.sms.upstream.circuit", breakers, r -> r.find(upstream).map(UpstreamBreakers::level).orElse(0.0))
                    .tag("upstream", upstream)
                    .description("Circuit of the SMS upstream: 0 closed, 1 half-open, 2 open").register(registry);
        }
        return breaker;
    }

    /** May the upstream be tried now (closed, or half-open with a trial call free)? Takes the permission if so. */
    public boolean tryAcquire(String upstream) {
        return of(upstream).tryAcquirePermission();
    }

    public void succeeded(String upstream, long startNanos) {
        of(upstream).onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        counter("herald.sms.upstream.sent", upstream).increment();
    }

    /** A refusal for good (4xx): the upstream answered, so it counts as up for its circuit. */
    public void refused(String upstream, long startNanos) {
        of(upstream).onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        counter("herald.sms.upstream.failed", upstream).increment();
    }

    public void failed(String upstream, long startNanos, Throwable cause) {
        of(upstream).onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, cause);
        counter("herald.sms.upstream.failed", upstream).increment();
    }

    /** Up: its circuit is not open (closed, or half-open and being tried). */
    public boolean available(String upstream) {
        CircuitBreaker.State state = of(upstream).getState();
        return state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN
                || state == CircuitBreaker.State.DISABLED || state == CircuitBreaker.State.METRICS_ONLY;
    }

    public CircuitBreaker.State state(String upstream) {
        return of(upstream).getState();
    }

    /** Forgets the circuits of upstreams that left the table (or changed): a new upstream of that name starts closed. */
    public void forget(Collection<String> upstreams) {
        upstreams.forEach(breakers::remove);
    }

    private Counter counter(String name, String upstream) {
        return metrics.registry().counter(name, "upstream", upstream);
    }

    private static double level(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0.0;
            case HALF_OPEN -> 1.0;
            case OPEN, FORCED_OPEN -> 2.0;
        };
    }
}
