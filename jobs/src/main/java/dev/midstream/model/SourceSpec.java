package dev.midstream.model;

import java.io.Serializable;
import java.util.List;

/**
 * The Kafka topics a data set arrives on; {@code json} is the only format so far. {@code maxRecordBytes} is null
 * when the file leaves it to the job configuration ({@code midstream.source.max-record-bytes}).
 */
public record SourceSpec(List<String> topics, String format, Integer maxRecordBytes) implements Serializable {}
