package dev.midstream.enrich;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A bounded cache whose entries expire a fixed time after they were loaded: least recently used entries go first
 * when it is full. Values are {@link Optional}, so "no such row" is remembered as well. One per subtask; not
 * thread-safe.
 */
final class LookupCache<K, V> {
    private record Entry<V>(Optional<V> value, long loadedAt) {}

    private final int maxSize;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final LinkedHashMap<K, Entry<V>> entries;

    LookupCache(int maxSize, long ttlMillis, LongSupplier clock) {
        this.maxSize = maxSize;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > LookupCache.this.maxSize;
            }
        };
    }

    /** The cached value, or null when the key is not cached or its entry has expired. */
    Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() - entry.loadedAt() >= ttlMillis) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    void put(K key, Optional<V> value) {
        entries.put(key, new Entry<>(value, clock.getAsLong()));
    }

    int size() {
        return entries.size();
    }
}
