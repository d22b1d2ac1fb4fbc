package dev.midstream.options;

import java.io.Serializable;

/** How every Kafka client of the job reaches the brokers. */
public record KafkaOptions(String bootstrapServers) implements Serializable {}
