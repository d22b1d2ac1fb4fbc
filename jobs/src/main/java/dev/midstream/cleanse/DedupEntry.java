package dev.midstream.cleanse;

/**
 * What the deduplicator remembers per key: the newest version seen and a fingerprint of its content.
 * Kept as a POJO so its state schema can evolve (add fields with defaults) across savepoints.
 */
public class DedupEntry {
    /** The newest version seen: a timestamp in epoch millis, a long, or 0 without a version field. */
    public long version;
    public long fingerprint;

    public DedupEntry() {}

    public DedupEntry(long version, long fingerprint) {
        this.version = version;
        this.fingerprint = fingerprint;
    }
}
