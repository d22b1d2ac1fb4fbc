package dev.midstream.deadletter;

/** The pipeline stage that rejected a record. The lower-case name is what tables, topics and metrics show. */
public enum Stage {
    SOURCE,
    PARSE,
    VALIDATION,
    DEDUP,
    MASK,
    SINK;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
