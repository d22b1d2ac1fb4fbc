package dev.midstream.options;

import java.io.Serializable;
import java.time.ZoneId;

/**
 * How raw records are read, for every pipeline that does not say otherwise: the zone of timestamps without an
 * offset, and the largest record parsed (a pipeline file's {@code source.max_record_bytes} wins).
 */
public record RecordOptions(ZoneId localTimeZone, int maxRecordBytes) implements Serializable {}
