package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lookup of a small reference table in the database (currency rates, merchant names): the table, its key
 * column, the record field holding the key, the columns copied into the record ({@code output field → column}),
 * and the cache: at most {@code cacheSize} keys, each for at most {@code ttl}. A key with no row is cached too
 * (as absent) and, as configured, leaves the fields unset or sends the record to dead letters.
 */
public record LookupSpec(String id, String table, String keyColumn, String keyField, Map<String, String> columns,
        int cacheSize, Duration ttl, boolean rejectMissing) implements Serializable {

    public LookupSpec {
        columns = new LinkedHashMap<>(columns);
        if (cacheSize <= 0 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lookup '" + id + "': cache size and TTL must be positive");
        }
    }
}
