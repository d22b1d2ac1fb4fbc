package dev.midstream.model;

import java.io.Serializable;
import java.util.List;

/**
 * The Kafka topics a data set arrives on and how their records are written. {@code maxRecordBytes} is null when the
 * file leaves it to the job configuration ({@code midstream.source.max-record-bytes}).
 */
public record SourceSpec(List<String> topics, SourceFormat format, Integer maxRecordBytes, UnknownFields unknownFields)
        implements Serializable {}
