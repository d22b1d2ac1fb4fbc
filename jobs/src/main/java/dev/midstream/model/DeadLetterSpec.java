package dev.midstream.model;

import java.io.Serializable;

/** Where a pipeline's rejected records go: a PostgreSQL table and/or a Kafka topic (at least one). */
public record DeadLetterSpec(String table, String topic) implements Serializable {}
