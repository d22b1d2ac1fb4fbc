package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How facts are joined with a dimension: the fact's key fields (matching the dimension's key), the dimension
 * fields copied into the fact ({@code output field → dimension field}), the dimension's version field (an older
 * version never replaces a newer one), how long a fact waits for a dimension row that has not arrived, and what
 * happens when the wait runs out.
 */
public record EnrichSpec(String id, List<String> factKey, List<String> dimensionKey, Map<String, String> fields,
        String dimensionVersion, Duration maxWait, OnMissing onMissing, String missingFlag) implements Serializable {

    public enum OnMissing {
        /** Emit the fact without dimension fields, {@code missingFlag} set to true, counted. */
        EMIT,
        /** Send the fact to dead letters ({@code enrich/dimension_missing}). */
        DEAD_LETTER
    }

    public EnrichSpec {
        factKey = List.copyOf(factKey);
        dimensionKey = List.copyOf(dimensionKey);
        fields = new LinkedHashMap<>(fields);
        if (factKey.size() != dimensionKey.size() || factKey.isEmpty()) {
            throw new IllegalArgumentException("the fact key and the dimension key must name the same number of fields");
        }
    }
}
