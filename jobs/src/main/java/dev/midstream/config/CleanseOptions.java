package dev.midstream.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every option of the cleanse job, with its default. The README's option table is generated from this list. */
public final class CleanseOptions {
    public static final ConfigOption<String> PIPELINE_NAME = key("midstream.pipeline.name")
            .stringType().defaultValue("orders")
            .withDescription("Name of the pipeline: prefixes operator uids, metric labels and dead letters."
                    + " Changing it drops the job's state on restore.");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("midstream.source.bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, host:port[,host:port]. Required.");
    public static final ConfigOption<String> SOURCE_TOPIC = key("midstream.source.topic")
            .stringType().defaultValue("ods.orders")
            .withDescription("The raw topic of JSON order events.");
    public static final ConfigOption<String> GROUP_ID = key("midstream.source.group-id")
            .stringType().defaultValue("midstream-orders")
            .withDescription("Kafka consumer group; offsets are committed to it on every checkpoint.");
    public static final ConfigOption<String> STARTING_OFFSETS = key("midstream.source.starting-offsets")
            .stringType().defaultValue("committed-or-earliest")
            .withDescription("Where a job without state starts: committed-or-earliest, earliest or latest."
                    + " A job restored from a checkpoint or savepoint always continues from its state.");
    public static final ConfigOption<Boolean> BOUNDED = key("midstream.source.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Stop at the offsets that are latest when the job starts (backfills and tests).");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = key("midstream.source.max-record-bytes")
            .intType().defaultValue(256 * 1024)
            .withDescription("Records larger than this go to dead letters (source/payload_too_large) unparsed.");

    public static final ConfigOption<String> MAX_AMOUNT = key("midstream.validation.max-amount")
            .stringType().defaultValue("1000000")
            .withDescription("Largest accepted amount in the currency's major unit (validation/amount_range).");
    public static final ConfigOption<String> LOCAL_TIME_ZONE = key("midstream.validation.local-time-zone")
            .stringType().defaultValue("UTC")
            .withDescription("Zone of event_time values that carry no offset, e.g. Asia/Shanghai.");

    public static final ConfigOption<Duration> DEDUP_TTL = key("midstream.dedup.ttl")
            .durationType().defaultValue(Duration.ofHours(24))
            .withDescription("How long an order id's newest version is remembered for deduplication.");

    public static final ConfigOption<String> SALT_ENV = key("midstream.pii.salt-env")
            .stringType().defaultValue("MIDSTREAM_PII_SALT")
            .withDescription("Environment variable holding the email-hashing salt (at least 16 bytes).");
    public static final ConfigOption<String> SALT_FILE = key("midstream.pii.salt-file")
            .stringType().noDefaultValue()
            .withDescription("File holding the email-hashing salt; takes precedence over midstream.pii.salt-env.");

    public static final ConfigOption<String> JDBC_URL = key("midstream.sink.jdbc-url")
            .stringType().noDefaultValue()
            .withDescription("PostgreSQL JDBC URL. Required. reWriteBatchedInserts=true is added if absent.");
    public static final ConfigOption<String> JDBC_USERNAME = key("midstream.sink.username")
            .stringType().noDefaultValue()
            .withDescription("Database user, unless the URL carries one.");
    public static final ConfigOption<String> JDBC_PASSWORD_ENV = key("midstream.sink.password-env")
            .stringType().defaultValue("MIDSTREAM_JDBC_PASSWORD")
            .withDescription("Environment variable holding the database password; unset means no password.");
    public static final ConfigOption<String> TABLE = key("midstream.sink.table")
            .stringType().defaultValue("orders")
            .withDescription("Table the cleansed orders are upserted into (table or schema.table).");
    public static final ConfigOption<Integer> BATCH_SIZE = key("midstream.sink.batch-size")
            .intType().defaultValue(500)
            .withDescription("Rows per upsert statement (distinct order ids).");
    public static final ConfigOption<Duration> BATCH_INTERVAL = key("midstream.sink.batch-interval")
            .durationType().defaultValue(Duration.ofMillis(200))
            .withDescription("Longest a row waits for its batch to fill. Checkpoints always flush.");
    public static final ConfigOption<Integer> MAX_RETRIES = key("midstream.sink.max-retries")
            .intType().defaultValue(3)
            .withDescription("Retries of a failed database write before the task fails and Flink restarts it.");
    public static final ConfigOption<Boolean> CREATE_TABLES = key("midstream.sink.create-tables")
            .booleanType().defaultValue(true)
            .withDescription("Create the orders and dead-letter tables at start-up if they do not exist.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("midstream.deadletter.topic")
            .stringType().defaultValue("ods.orders.dead-letters")
            .withDescription("Kafka topic dead letters are written to, as JSON.");
    public static final ConfigOption<String> DEAD_LETTER_TABLE = key("midstream.deadletter.table")
            .stringType().defaultValue("dead_letters")
            .withDescription("Table dead letters are written to, one row per rejected source record.");
    public static final ConfigOption<Integer> DEAD_LETTER_MAX_PAYLOAD = key("midstream.deadletter.max-payload-bytes")
            .intType().defaultValue(64 * 1024)
            .withDescription("Payload bytes kept in a dead letter; the original size is always recorded.");

    public static final ConfigOption<String> DEAD_LETTER_PAYLOAD = key("midstream.deadletter.payload")
            .stringType().defaultValue("raw")
            .withDescription("What dead letters keep of the payload: raw (default; it may hold PII, so restrict who reads"
                    + " the dead-letter table and topic), redact (emails replaced, and the values of the pipeline's pii"
                    + " fields; customer_phone in the hand-built orders job) or drop.");

    private CleanseOptions() {}

    /** All options, in declaration order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : CleanseOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }
}
