package dev.midstream.cleanse;

/**
 * What the deduplicator remembers per key: the newest version seen and a fingerprint of its content.
 * Kept as a POJO so its state schema can evolve (add fields with defaults) across savepoints: {@link #versionMinor}
 * was added for change streams' log positions; entries from earlier savepoints read it as 0.
 */
public class DedupEntry {
    /** The newest version seen: a timestamp in epoch millis, a long, a log position's major part, or 0. */
    public long version;
    public long fingerprint;
    /** A log position's minor part; 0 for other versions. */
    public long versionMinor;

    public DedupEntry() {}

    public DedupEntry(long version, long fingerprint) {
        this(version, 0, fingerprint);
    }

    public DedupEntry(long version, long versionMinor, long fingerprint) {
        this.version = version;
        this.versionMinor = versionMinor;
        this.fingerprint = fingerprint;
    }
}
