package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Deduplication: records with the same {@code key} are one entity; with a {@code version} field (a timestamp
 * or a long) only a newer version passes, without one only the first. Remembered for {@code ttl}.
 */
public record DedupSpec(List<String> key, String version, Duration ttl, Location location) implements Serializable {}
