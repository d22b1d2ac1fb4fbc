package dev.midstream.options;

import dev.midstream.model.Spelling;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads typed values out of a {@link ConfigSource}, collecting problems instead of throwing, so all come at once. */
final class OptionsReader {
    private final ConfigSource source;
    private final Configuration conf;
    private final List<String> problems;

    OptionsReader(ConfigSource source) {
        this.source = source;
        this.conf = source.toConfiguration();
        this.problems = new ArrayList<>(source.problems());
    }

    List<String> problems() {
        return problems;
    }

    /** The Kafka client settings passed through ({@link KafkaOptions#PREFIX}), checked. */
    java.util.Map<String, String> kafkaClientSettings(java.util.function.Function<String, String> env) {
        return KafkaClientSettings.read(source.values(), env,
                (key, what) -> problems.add(source.origin(key) + ": " + key + ": " + what));
    }

    void problem(ConfigOption<?> option, String what) {
        problems.add(source.origin(option.key()) + ": " + option.key() + ": " + what);
    }

    void rejectUnknownKeys(List<ConfigOption<?>> options) {
        Set<String> known = options.stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (String key : source.values().keySet()) {
            if (known.contains(key) || key.startsWith(KafkaOptions.PREFIX)) {
                continue;
            }
            String moved = RetiredOptions.whereMoved(key);
            problems.add(source.origin(key) + ": " + key + ": " + (moved != null
                    ? "no longer an option: it " + moved + "; remove it from the job configuration"
                    : "unknown option" + Spelling.closest(known, key).map(k -> "; did you mean " + k + "?").orElse("")
                            + " (all options are listed in the README)"));
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

    /** One of {@code type}'s constants, written in lower case with '-' for '_'. */
    <E extends Enum<E>> E enumValue(ConfigOption<String> option, Class<E> type) {
        String text = get(option);
        String wanted = text == null ? "" : text.strip().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problem(option, "is '" + text + "'; expected one of " + allowed);
        return Enum.valueOf(type, option.defaultValue().toUpperCase(Locale.ROOT).replace('-', '_'));
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

    ZoneId zone(ConfigOption<String> option) {
        String text = get(option);
        try {
            return ZoneId.of(text);
        } catch (DateTimeException | NullPointerException e) {
            problem(option, "'" + text + "' is not a time zone; use a region id such as UTC or Europe/Berlin");
            return ZoneId.of("UTC");
        }
    }
}
