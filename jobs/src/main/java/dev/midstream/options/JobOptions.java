package dev.midstream.options;

import static dev.midstream.options.MidstreamOptions.*;

import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.model.ConfigException;
import dev.midstream.model.Database;
import dev.midstream.model.Secret;

import java.util.function.Function;

/**
 * A job's configuration, read once at start-up into typed groups and checked as a whole: every problem (unknown or
 * retired keys, wrong types, missing connections) is collected and reported together, each naming where the value
 * came from, the option, what is wrong and the fix. Each part of the job is given only the groups it uses.
 */
public record JobOptions(KafkaOptions kafka, SourceOptions source, RecordOptions records, JdbcOptions jdbc,
        TableWriteOptions tables, DeadLetterOptions deadLetters) {

    /** Parses and checks; reads the database password through {@code env} (normally {@link System#getenv}). */
    public static JobOptions load(ConfigSource source, Function<String, String> env) {
        OptionsReader r = new OptionsReader(source);
        r.rejectUnknownKeys(ALL);
        JobOptions options = new JobOptions(
                new KafkaOptions(r.required(BOOTSTRAP_SERVERS, "set it to the Kafka brokers, e.g. kafka:9092"),
                        r.kafkaClientSettings(env)),
                new SourceOptions(r.nonBlank(GROUP_ID),
                        r.enumValue(STARTING_OFFSETS, SourceOptions.StartingOffsets.class), r.get(BOUNDED)),
                new RecordOptions(r.zone(LOCAL_TIME_ZONE), r.positive(MAX_RECORD_BYTES)),
                jdbc(r, env),
                new TableWriteOptions(r.positive(BATCH_SIZE), r.positiveDuration(BATCH_INTERVAL),
                        r.nonNegative(MAX_RETRIES), r.enumValue(WRITE_METHOD, TableWriteOptions.WriteMethod.class),
                        r.get(CREATE_TABLES), r.positiveDuration(TOPIC_MAX_TIMESTAMP_AHEAD),
                        r.get(QUALITY_TABLE)),
                new DeadLetterOptions(r.positive(DEAD_LETTER_MAX_PAYLOAD),
                        r.enumValue(DEAD_LETTER_PAYLOAD, PayloadPolicy.class), r.positive(DEAD_LETTER_BATCH_SIZE),
                        r.positiveDuration(DEAD_LETTER_BATCH_INTERVAL)));
        if (!r.problems().isEmpty()) {
            throw new ConfigException(r.problems());
        }
        return options;
    }

    public static JobOptions load(ConfigSource source) {
        return load(source, System::getenv);
    }

    private static JdbcOptions jdbc(OptionsReader r, Function<String, String> env) {
        String url = r.required(JDBC_URL, "set it to the database, e.g. jdbc:postgresql://db:5432/shop");
        if (url != null && !url.isBlank()) {
            Database database = null;
            try {
                database = Database.ofJdbcUrl(url);
            } catch (IllegalArgumentException e) {
                r.problem(JDBC_URL, e.getMessage() + " (PostgreSQL, or MariaDB and MySQL through MariaDB Connector/J)");
            }
            if (database == Database.POSTGRESQL && !url.contains("reWriteBatchedInserts=")) {
                url = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
            } else if (url.startsWith("jdbc:mysql:") && !url.contains("permitMysqlScheme")) {
                url = url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
            }
        }
        String passwordEnv = r.get(JDBC_PASSWORD_ENV);
        String password = passwordEnv == null ? null : env.apply(passwordEnv);
        if (password == null || password.isBlank()) {
            return new JdbcOptions(url, r.get(JDBC_USERNAME), passwordEnv, null);
        }
        // read as a TaskManager will read it again
        String reference = "${env:" + passwordEnv + "}";
        return new JdbcOptions(url, r.get(JDBC_USERNAME), passwordEnv, new Secret(reference,
                Secret.resolve(reference, env).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
