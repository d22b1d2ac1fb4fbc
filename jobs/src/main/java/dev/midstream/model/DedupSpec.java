package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Deduplication: records with the same {@code key} are one entity; with a {@code version} field (a timestamp
 * or a long, or {@link #POSITION} for a change stream's log position) only a newer version passes, without one only
 * the first. Remembered for {@code ttl}.
 */
public record DedupSpec(List<String> key, String version, Duration ttl, Location location) implements Serializable {
    public DedupSpec {
        // interned, also as a task deserializes it: records then find the name by identity (FieldNames)
        key = key == null ? null : key.stream().map(String::intern).toList();
        version = version == null ? null : version.intern();
    }

    /** The version of a change: where it is in the source database's log. */
    public static final String POSITION = "$position";

    public boolean byPosition() {
        return POSITION.equals(version);
    }
}
