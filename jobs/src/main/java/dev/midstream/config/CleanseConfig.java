package dev.midstream.config;

import static dev.midstream.config.CleanseOptions.*;

import dev.midstream.cleanse.ValidationSettings;
import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.sink.SqlIdentifier;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cleanse job's configuration, parsed once at start-up and validated as a whole: every problem is
 * collected and reported together in a {@link ConfigException}, each naming where the value came from, the
 * option, what is wrong and the fix. Secrets (salt, password) are read here, from the environment or a file.
 */
public final class CleanseConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int MIN_SALT_BYTES = 16;
    private static final Set<String> STARTING_OFFSETS_VALUES = Set.of("committed-or-earliest", "earliest", "latest");

    public final String pipeline;
    public final String bootstrapServers;
    public final String sourceTopic;
    public final String groupId;
    public final String startingOffsets;
    public final boolean bounded;
    public final ValidationSettings validation;
    public final Duration dedupTtl;
    private final byte[] salt;
    public final String jdbcUrl;
    public final String jdbcUsername;
    private final String jdbcPassword;
    public final SqlIdentifier table;
    public final int batchSize;
    public final Duration batchInterval;
    public final int maxRetries;
    public final boolean createTables;
    public final String deadLetterTopic;
    public final SqlIdentifier deadLetterTable;
    public final int deadLetterMaxPayloadBytes;
    public final PayloadPolicy deadLetterPayload;

    private CleanseConfig(Reader r) {
        Configuration c = r.conf;
        pipeline = r.get(PIPELINE_NAME);
        bootstrapServers = r.required(BOOTSTRAP_SERVERS, "set it to the Kafka brokers, e.g. kafka:9092");
        sourceTopic = r.nonBlank(SOURCE_TOPIC);
        groupId = r.nonBlank(GROUP_ID);
        startingOffsets = r.oneOf(STARTING_OFFSETS, STARTING_OFFSETS_VALUES);
        bounded = r.get(BOUNDED);
        int maxRecordBytes = r.positive(MAX_RECORD_BYTES);
        BigDecimal maxAmount = r.amount(MAX_AMOUNT);
        ZoneId zone = r.zone(LOCAL_TIME_ZONE);
        validation = new ValidationSettings(maxRecordBytes, maxAmount, zone);
        dedupTtl = r.positiveDuration(DEDUP_TTL);
        salt = r.saltRequired ? r.salt(c.get(SALT_FILE), c.get(SALT_ENV)) : new byte[0];
        jdbcUrl = r.jdbcUrl(JDBC_URL);
        jdbcUsername = c.get(JDBC_USERNAME);
        jdbcPassword = r.env.apply(c.get(JDBC_PASSWORD_ENV));
        table = r.identifier(TABLE);
        batchSize = r.positive(BATCH_SIZE);
        batchInterval = r.positiveDuration(BATCH_INTERVAL);
        maxRetries = r.nonNegative(MAX_RETRIES);
        createTables = r.get(CREATE_TABLES);
        deadLetterTopic = r.nonBlank(DEAD_LETTER_TOPIC);
        deadLetterTable = r.identifier(DEAD_LETTER_TABLE);
        deadLetterMaxPayloadBytes = r.positive(DEAD_LETTER_MAX_PAYLOAD);
        deadLetterPayload = r.enumValue(DEAD_LETTER_PAYLOAD, PayloadPolicy.class);
    }

    /** Parses and validates; reads secrets through {@code env} (normally {@link System#getenv(String)}). */
    public static CleanseConfig load(ConfigSource source, Function<String, String> env) {
        return load(source, env, true);
    }

    /** For jobs that hash nothing (the transform layer): no salt is read or required. */
    public static CleanseConfig loadWithoutSalt(ConfigSource source, Function<String, String> env) {
        return load(source, env, false);
    }

    private static CleanseConfig load(ConfigSource source, Function<String, String> env, boolean saltRequired) {
        Reader reader = new Reader(source, env, saltRequired);
        reader.rejectUnknownKeys();
        CleanseConfig config = new CleanseConfig(reader);
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        return config;
    }

    public static CleanseConfig load(ConfigSource source) {
        return load(source, System::getenv);
    }

    public byte[] salt() {
        return salt.clone();
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** The JDBC connection properties {@code user} and {@code password}, each only when configured. */
    public java.util.Properties jdbcCredentials() {
        java.util.Properties properties = new java.util.Properties();
        if (jdbcUsername != null) {
            properties.setProperty("user", jdbcUsername);
        }
        if (jdbcPassword != null) {
            properties.setProperty("password", jdbcPassword);
        }
        return properties;
    }

    /** Collects problems instead of throwing, so all of them are reported at once. */
    private static final class Reader {
        final ConfigSource source;
        final Configuration conf;
        final Function<String, String> env;
        final List<String> problems;
        final boolean saltRequired;

        Reader(ConfigSource source, Function<String, String> env, boolean saltRequired) {
            this.saltRequired = saltRequired;
            this.source = source;
            this.conf = source.toConfiguration();
            this.env = env;
            this.problems = new ArrayList<>(source.problems());
        }

        void problem(ConfigOption<?> option, String what) {
            problems.add(source.origin(option.key()) + ": " + option.key() + ": " + what);
        }

        void rejectUnknownKeys() {
            Set<String> known = CleanseOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
            for (String key : source.values().keySet()) {
                if (!known.contains(key)) {
                    problems.add(source.origin(key) + ": " + key + ": unknown option"
                            + Spelling.closest(known, key).map(k -> "; did you mean " + k + "?").orElse("")
                            + " (all options are listed in the README)");
                }
            }
        }

        <T> T get(ConfigOption<T> option) {
            try {
                return conf.get(option);
            } catch (IllegalArgumentException e) {
                problem(option, "'" + source.values().get(option.key()) + "' is not " + expected(option)
                        + (option.hasDefaultValue() ? "; remove it to use the default " + OptionsTable.format(option.defaultValue()) : ""));
                return option.defaultValue();
            }
        }

        private static String expected(ConfigOption<?> option) {
            Class<?> type = option.defaultValue() == null ? String.class : option.defaultValue().getClass();
            if (Duration.class.isAssignableFrom(type)) {
                return "a duration; write e.g. '24 h', '15 min' or '200 ms'";
            }
            if (type == Integer.class) {
                return "a whole number";
            }
            if (type == Boolean.class) {
                return "true or false";
            }
            return "a valid value";
        }

        String required(ConfigOption<String> option, String fix) {
            String value = get(option);
            if (value == null || value.isBlank()) {
                problem(option, "is required; " + fix);
            }
            return value;
        }

        String nonBlank(ConfigOption<String> option) {
            String value = get(option);
            if (value == null || value.isBlank()) {
                problem(option, "must not be blank; remove it to use the default '" + option.defaultValue() + "'");
            }
            return value;
        }

        String oneOf(ConfigOption<String> option, Set<String> allowed) {
            String value = get(option);
            if (!allowed.contains(value)) {
                problem(option, "is '" + value + "'; expected one of " + allowed);
            }
            return value;
        }

        /** A lower-case name of one of {@code type}'s constants. */
        <E extends Enum<E>> E enumValue(ConfigOption<String> option, Class<E> type) {
            String text = get(option);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return constant;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(java.util.Locale.ROOT));
            }
            problem(option, "is '" + text + "'; expected one of " + allowed);
            return Enum.valueOf(type, option.defaultValue().toUpperCase(java.util.Locale.ROOT));
        }

        int positive(ConfigOption<Integer> option) {
            Integer value = get(option);
            if (value == null || value <= 0) {
                problem(option, "must be a positive integer, got " + value);
                return 1;
            }
            return value;
        }

        int nonNegative(ConfigOption<Integer> option) {
            Integer value = get(option);
            if (value == null || value < 0) {
                problem(option, "must be 0 or more, got " + value);
                return 0;
            }
            return value;
        }

        Duration positiveDuration(ConfigOption<Duration> option) {
            Duration value = get(option);
            if (value == null || value.isZero() || value.isNegative()) {
                problem(option, "must be a positive duration such as '200 ms' or '24 h', got " + value);
                return option.defaultValue();
            }
            return value;
        }

        BigDecimal amount(ConfigOption<String> option) {
            String text = get(option);
            try {
                BigDecimal value = new BigDecimal(text.strip());
                if (value.signum() > 0) {
                    return value;
                }
            } catch (NumberFormatException | NullPointerException e) {
                // reported below
            }
            problem(option, "must be a positive number such as 1000000, got '" + text + "'");
            return new BigDecimal(option.defaultValue());
        }

        ZoneId zone(ConfigOption<String> option) {
            String text = get(option);
            try {
                return ZoneId.of(text);
            } catch (DateTimeException | NullPointerException e) {
                problem(option, "'" + text + "' is not a time zone; use a region id such as UTC or Europe/Berlin");
                return ZoneId.of("UTC");
            }
        }

        SqlIdentifier identifier(ConfigOption<String> option) {
            String text = get(option);
            try {
                return SqlIdentifier.of(text);
            } catch (IllegalArgumentException e) {
                problem(option, e.getMessage());
                return SqlIdentifier.of(option.defaultValue());
            }
        }

        String jdbcUrl(ConfigOption<String> option) {
            String url = required(option, "set it to the database, e.g. jdbc:postgresql://db:5432/shop");
            if (url == null || url.isBlank()) {
                return url;
            }
            if (!url.startsWith("jdbc:postgresql:")) {
                problem(option, "must start with jdbc:postgresql: (PostgreSQL is the supported database)");
                return url;
            }
            if (url.contains("reWriteBatchedInserts=")) {
                return url;
            }
            return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        }

        byte[] salt(String file, String envName) {
            byte[] salt;
            String from;
            if (file != null) {
                from = "file " + file;
                try {
                    salt = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
                } catch (IOException e) {
                    problems.add(source.origin(SALT_FILE.key()) + ": " + SALT_FILE.key() + ": cannot read " + file
                            + " (" + e.getClass().getSimpleName() + "); point it at a readable file holding the salt");
                    return new byte[0];
                }
            } else {
                from = "environment variable " + envName;
                String value = env.apply(envName);
                salt = value == null ? new byte[0] : value.strip().getBytes(StandardCharsets.UTF_8);
            }
            if (salt.length < MIN_SALT_BYTES) {
                problems.add(source.origin(file != null ? SALT_FILE.key() : SALT_ENV.key()) + ": "
                        + (file != null ? SALT_FILE.key() : SALT_ENV.key()) + ": the email-hashing salt from " + from
                        + (salt.length == 0 ? " is missing" : " is only " + salt.length + " bytes")
                        + "; provide at least " + MIN_SALT_BYTES + " random bytes, e.g. export " + envName
                        + "=$(openssl rand -hex 32)");
            }
            return salt;
        }
    }
}
