package dev.midstream.job;

import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The steps of the cleanse pipeline. Each step's uid ({@code <pipeline>/<id>}) and name come from here and
 * nowhere else: uids are the keys of savepoint state, so an id here never changes once released.
 */
public enum Step {
    SOURCE("source", "Kafka source"),
    VALIDATE("validate", "Parse and validate"),
    NORMALIZE("normalize", "Normalize"),
    DEDUP("dedup", "Deduplicate by order_id"),
    MASK("mask", "Mask PII"),
    BATCH("batch", "Batch upserts"),
    TABLE_SINK("table-sink", "PostgreSQL upsert"),
    TOPIC_SINK("topic-sink", "Clean records to Kafka (exactly-once)"),
    DEAD_LETTER_TOPIC("dead-letter-topic", "Dead letters to Kafka"),
    DEAD_LETTER_TABLE("dead-letter-table", "Dead letters to PostgreSQL");

    private final String id;
    private final String title;

    Step(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String uid(String pipeline) {
        return pipeline + "/" + id;
    }

    public String name(String pipeline) {
        return pipeline + ": " + title;
    }

    public <T> SingleOutputStreamOperator<T> apply(SingleOutputStreamOperator<T> operator, String pipeline) {
        return operator.uid(uid(pipeline)).name(name(pipeline));
    }

    public <T> DataStreamSink<T> apply(DataStreamSink<T> sink, String pipeline) {
        return sink.uid(uid(pipeline)).name(name(pipeline));
    }
}
