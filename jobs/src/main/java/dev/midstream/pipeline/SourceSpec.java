package dev.midstream.pipeline;

import java.io.Serializable;
import java.util.List;

/** The Kafka topics a data set arrives on; {@code json} is the only format so far. */
public record SourceSpec(List<String> topics, String format, int maxRecordBytes) implements Serializable {}
