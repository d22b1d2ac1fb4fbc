package dev.midstream.deadletter;

/** The pipeline stage that rejected a record. The lower-case name is what tables, topics and metrics show. */
public enum Stage {
    SOURCE,
    PARSE,
    /** A change-stream envelope that holds no change this pipeline can take (unknown op, no row, no key, ...). */
    CHANGE,
    VALIDATION,
    DEDUP,
    /** A {@code map} step of a declarative pipeline. */
    TRANSFORM,
    /** A user function; shown as {@code udf:<step id>}. */
    UDF,
    /** Enrichment with dimension data (the transform layer). */
    ENRICH,
    MASK,
    /** Later than a window's allowed lateness (the transform layer). */
    LATE,
    SINK;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
