package dev.midstream.model;

import java.io.Serializable;

/**
 * What to do with one personal-data field before it leaves the pipeline: {@code hash} (hex SHA-256 of
 * salt + value; the salt is a secret reference), {@code mask} (keep the last {@code keepLast} characters,
 * {@code *} for the rest) or {@code drop}.
 */
public record PiiSpec(String field, Kind kind, Secret salt, int keepLast) implements Serializable {
    public PiiSpec {
        // interned, also as a task deserializes it: records then find the name by identity (FieldNames)
        field = field.intern();
    }

    public enum Kind { HASH, MASK, DROP }
}
