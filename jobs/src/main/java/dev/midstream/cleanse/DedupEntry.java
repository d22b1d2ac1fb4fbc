package dev.midstream.cleanse;

/**
 * What the deduplicator remembers per order id: the newest version seen and a fingerprint of its content.
 * Kept as a POJO so its state schema can evolve (add fields with defaults) across savepoints.
 */
public class DedupEntry {
    /** The event time, in epoch millis, of the newest version seen. */
    public long version;
    public long fingerprint;

    public DedupEntry() {}

    public DedupEntry(long version, long fingerprint) {
        this.version = version;
        this.fingerprint = fingerprint;
    }
}
