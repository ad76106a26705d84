package io.herald.edge;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's bucket is the same few numbers whatever its rate: what the throttle EIP did (a permit held per allowed
 * request of the period) cost memory in proportion to the limit. No timing is asserted: only state sizes and counts.
 */
class TokenBucketsTest {

    static int stateSize(LocalBucket bucket) throws Exception {
        return bucket.toBinarySnapshot().length;
    }

    @Test
    void aMillionPerSecondHoldsAsMuchStateAsTenPerSecond() throws Exception {
        TokenBuckets buckets = new TokenBuckets(); // the real clock: Bucket4j writes snapshots of it only
        assertThat(buckets.tryTake(1, 1_000_000)).isTrue();
        assertThat(buckets.tryTake(2, 10)).isTrue();
        int large = stateSize(buckets.bucketOf(1));
        int small = stateSize(buckets.bucketOf(2));
        assertThat(large).isEqualTo(small);

        // 200,000 requests later, allowed or refused, the state has not grown
        for (int i = 0; i < 200_000; i++) {
            buckets.tryTake(1, 1_000_000);
            buckets.tryTake(2, 10);
        }
        assertThat(stateSize(buckets.bucketOf(1))).isEqualTo(large);
        assertThat(stateSize(buckets.bucketOf(2))).isEqualTo(small);
    }

    @Test
    void aBucketHoldsOneSecondOfItsRateAndRefillsAtIt() {
        ManualClock clock = new ManualClock();
        TokenBuckets buckets = new TokenBuckets(clock);
        assertThat(takes(buckets, 7, 10, 100)).isEqualTo(10);

        clock.nanos += 100_000_000; // a tenth of a second: one token at 10 a second
        assertThat(takes(buckets, 7, 10, 100)).isEqualTo(1);

        clock.nanos += 60_000_000_000L; // a full bucket holds one second's worth, not what an idle minute would add
        assertThat(takes(buckets, 7, 10, 100)).isEqualTo(10);
    }

    private static int takes(TokenBuckets buckets, long keyId, int perSecond, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += buckets.tryTake(keyId, perSecond) ? 1 : 0;
        }
        return allowed;
    }

    static final class ManualClock implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    @Test
    void aChangedRateStartsANewBucketAndOtherKeysAreUntouched() {
        TokenBuckets buckets = new TokenBuckets(new ManualClock());
        LocalBucket before = bucketAfterOneTake(buckets, 3, 5);
        LocalBucket other = bucketAfterOneTake(buckets, 4, 5);
        LocalBucket after = bucketAfterOneTake(buckets, 3, 50);
        assertThat(after).isNotSameAs(before);
        assertThat(after.getAvailableTokens()).isGreaterThan(5);
        assertThat(buckets.bucketOf(4)).isSameAs(other);
    }

    private static LocalBucket bucketAfterOneTake(TokenBuckets buckets, long keyId, int perSecond) {
        assertThat(buckets.tryTake(keyId, perSecond)).isTrue();
        return buckets.bucketOf(keyId);
    }
}
