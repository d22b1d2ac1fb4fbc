package dev.midstream.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;

import java.time.Duration;
import java.util.List;

/**
 * Every option of a Midstream job's configuration file ({@code --config}), with its default. What belongs to a data
 * set (topics, schema, dedup, salts, tables) is in its pipeline file; this file holds what all pipelines of a job
 * share: connections, starting offsets, write tuning, dead-letter policy. The README's option table is generated
 * from {@link #ALL}; options that used to exist are in {@link RetiredOptions}.
 */
public final class MidstreamOptions {
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("midstream.kafka.bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, host:port[,host:port], for every Kafka client of the job:"
                    + " sources, clean topics and dead-letter topics. Required.");

    public static final ConfigOption<String> GROUP_ID = key("midstream.source.group-id")
            .stringType().defaultValue("midstream")
            .withDescription("Prefix of the Kafka consumer groups: each pipeline or transform reads as"
                    + " <group-id>.<name> and commits its offsets there on every checkpoint.");
    public static final ConfigOption<String> STARTING_OFFSETS = key("midstream.source.starting-offsets")
            .stringType().defaultValue("committed-or-earliest")
            .withDescription("Where a job without state starts: committed-or-earliest, earliest or latest."
                    + " A job restored from a checkpoint or savepoint always continues from its state.");
    public static final ConfigOption<Boolean> BOUNDED = key("midstream.source.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Stop at the offsets that are latest when the job starts (backfills and tests).");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = key("midstream.source.max-record-bytes")
            .intType().defaultValue(256 * 1024)
            .withDescription("Records larger than this go to dead letters (source/payload_too_large) unparsed,"
                    + " unless the pipeline file sets source.max_record_bytes.");

    public static final ConfigOption<String> LOCAL_TIME_ZONE = key("midstream.validation.local-time-zone")
            .stringType().defaultValue("UTC")
            .withDescription("Zone of timestamps that carry no offset, e.g. Asia/Shanghai.");

    public static final ConfigOption<String> JDBC_URL = key("midstream.jdbc.url")
            .stringType().noDefaultValue()
            .withDescription("JDBC URL of the tables, dead-letter tables and lookups; it chooses the database:"
                    + " jdbc:postgresql: (reWriteBatchedInserts=true is added if absent), or jdbc:mariadb: for MariaDB"
                    + " and MySQL (jdbc:mysql: works too, through MariaDB Connector/J). Required.");
    public static final ConfigOption<String> JDBC_USERNAME = key("midstream.jdbc.username")
            .stringType().noDefaultValue()
            .withDescription("Database user, unless the URL carries one.");
    public static final ConfigOption<String> JDBC_PASSWORD_ENV = key("midstream.jdbc.password-env")
            .stringType().defaultValue("MIDSTREAM_JDBC_PASSWORD")
            .withDescription("Environment variable holding the database password; unset means no password.");

    public static final ConfigOption<Integer> BATCH_SIZE = key("midstream.sink.batch-size")
            .intType().defaultValue(500)
            .withDescription("Rows per upsert statement (distinct keys) of every table a job writes.");
    public static final ConfigOption<Duration> BATCH_INTERVAL = key("midstream.sink.batch-interval")
            .durationType().defaultValue(Duration.ofMillis(200))
            .withDescription("Longest a row waits for its batch to fill. Checkpoints always flush.");
    public static final ConfigOption<Integer> MAX_RETRIES = key("midstream.sink.max-retries")
            .intType().defaultValue(3)
            .withDescription("Retries of a failed database write before the task fails and Flink restarts it.");
    public static final ConfigOption<String> WRITE_METHOD = key("midstream.sink.write-method")
            .stringType().defaultValue("copy")
            .withDescription("How a batch reaches a PostgreSQL table: copy (COPY … FROM STDIN (FORMAT binary) into"
                    + " the connection's temporary table, then one upsert from it, in one transaction) or statement"
                    + " (one INSERT … SELECT … FROM unnest(text arrays) per batch; for connection poolers in"
                    + " transaction mode, such as PgBouncer's, which do not keep a session's temporary table). Both"
                    + " write the same rows. MariaDB and MySQL always use statements.");
    public static final ConfigOption<Boolean> CREATE_TABLES = key("midstream.sink.create-tables")
            .booleanType().defaultValue(true)
            .withDescription("Create every table the job writes (and its dead-letter tables) at start-up if it does"
                    + " not exist.");

    public static final ConfigOption<Duration> TOPIC_MAX_TIMESTAMP_AHEAD = key("midstream.sink.topic-max-timestamp-ahead")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("How far ahead of now a clean topic's broker accepts Kafka timestamps (the topic's"
                    + " message.timestamp.after.max.ms; Kafka 4's default is 1 h). Records whose event time, which"
                    + " becomes the Kafka timestamp, lies further ahead go to dead letters (sink/timestamp_ahead).");

    public static final ConfigOption<String> QUALITY_TABLE = key("midstream.quality.table")
            .stringType().defaultValue("dq_counts")
            .withDescription("The table of the job's quality history: per checkpoint, pipeline, outcome (read, written,"
                    + " rejected per stage and rule, deduplicated per kind, skipped, expanded) and source partition,"
                    + " how many records, exact across failures. none turns it off.");

    public static final ConfigOption<Integer> DEAD_LETTER_MAX_PAYLOAD = key("midstream.deadletter.max-payload-bytes")
            .intType().defaultValue(64 * 1024)
            .withDescription("Payload bytes kept in a dead letter; the original size is always recorded.");
    public static final ConfigOption<String> DEAD_LETTER_PAYLOAD = key("midstream.deadletter.payload")
            .stringType().defaultValue("raw")
            .withDescription("What every dead letter of the job keeps of its payload: raw (default; it may hold PII,"
                    + " so restrict who reads the dead-letter tables and topics), redact (emails replaced, and the"
                    + " values of the fields a pipeline file lists under pii) or drop (the size only).");
    public static final ConfigOption<Integer> DEAD_LETTER_BATCH_SIZE = key("midstream.deadletter.batch-size")
            .intType().defaultValue(500)
            .withDescription("Dead letters per insert into a dead-letter table.");
    public static final ConfigOption<Duration> DEAD_LETTER_BATCH_INTERVAL = key("midstream.deadletter.batch-interval")
            .durationType().defaultValue(Duration.ofMillis(200))
            .withDescription("Longest a dead letter waits for its batch. Checkpoints always flush.");

    /** All options, in the order the README lists them. */
    public static final List<ConfigOption<?>> ALL = List.of(BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, BOUNDED,
            MAX_RECORD_BYTES, LOCAL_TIME_ZONE, JDBC_URL, JDBC_USERNAME, JDBC_PASSWORD_ENV, BATCH_SIZE, BATCH_INTERVAL,
            MAX_RETRIES, WRITE_METHOD, CREATE_TABLES, TOPIC_MAX_TIMESTAMP_AHEAD, QUALITY_TABLE, DEAD_LETTER_MAX_PAYLOAD, DEAD_LETTER_PAYLOAD, DEAD_LETTER_BATCH_SIZE,
            DEAD_LETTER_BATCH_INTERVAL);

    private MidstreamOptions() {}
}
