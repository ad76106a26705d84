package io.herald.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * How long the edge may serve a stored row from memory ({@code herald.cache.ttl}) and how many rows each cache holds
 * ({@code herald.cache.max-entries}). A change made through this instance's API removes the row at once; a change made
 * by another instance (or directly in the database) is seen once the row's TTL has run out.
 */
public record CacheSettings(Duration ttl, long maxEntries) {

    public <K, V> Cache<K, V> newCache() {
        return newCache(maxEntries);
    }

    public <K, V> Cache<K, V> newCache(long size) {
        return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
    }
}
