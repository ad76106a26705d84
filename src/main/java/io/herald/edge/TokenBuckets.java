package io.herald.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.time.Duration;

/**
 * One token bucket per API key: it holds up to a second's worth of requests and refills at the key's rate, so a key
 * may use its rate on average and burst up to it. A bucket is a few numbers whatever the rate (1 or 1,000,000 a
 * second), updated in place. A bucket idle for over a second is full again, the same as a new one, so idle keys are
 * dropped after {@link #IDLE}; at most {@link #MAX_KEYS} keys are held.
 */
public class TokenBuckets {
    static final Duration IDLE = Duration.ofMinutes(1);
    static final long MAX_KEYS = 100_000;

    private record KeyBucket(int perSecond, LocalBucket bucket) {
    }

    private final Cache<Long, KeyBucket> buckets = Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(MAX_KEYS).build();
    private final TimeMeter clock;

    public TokenBuckets() {
        this(TimeMeter.SYSTEM_MILLISECONDS);
    }

    /** With another clock (tests). */
    TokenBuckets(TimeMeter clock) {
        this.clock = clock;
    }

    /** Takes one token from the key's bucket; false when it is empty. A changed rate starts a new bucket. */
    public boolean tryTake(long keyId, int perSecond) {
        KeyBucket current = buckets.get(keyId, id -> new KeyBucket(perSecond, newBucket(perSecond)));
        if (current.perSecond() != perSecond) {
            current = buckets.asMap().compute(keyId, (id, old) ->
                    old != null && old.perSecond() == perSecond ? old : new KeyBucket(perSecond, newBucket(perSecond)));
        }
        return current.bucket().tryConsume(1);
    }

    /** The key's bucket, if it holds one (for tests). */
    LocalBucket bucketOf(long keyId) {
        KeyBucket held = buckets.getIfPresent(keyId);
        return held == null ? null : held.bucket();
    }

    private LocalBucket newBucket(int perSecond) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(clock)
                // updates the state in place: nothing is allocated per request
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .build();
    }
}
