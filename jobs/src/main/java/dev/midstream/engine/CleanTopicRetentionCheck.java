package dev.midstream.engine;

import dev.midstream.model.PipelineSpec;
import dev.midstream.options.KafkaOptions;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Clean records carry their event time as the Kafka timestamp (the next layer's watermarks come from it), so a clean
 * topic's time-based retention counts from the event time, not from the write: records whose event time is older than
 * {@code retention.ms} (a backfill, a replay of last month's data) are deleted by the broker's next retention check,
 * minutes after they are committed and before the next layer reads them; with a finite
 * {@code message.timestamp.before.max.ms} the broker refuses them and the job fails. Nothing can tell at submission
 * how old the data will be, so this warns, once per clean topic, naming the setting and the fix; and it warns about
 * {@code message.timestamp.type=LogAppendTime}, which replaces the event times the next layer needs.
 */
public final class CleanTopicRetentionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CleanTopicRetentionCheck.class);

    private CleanTopicRetentionCheck() {}

    /** Logs a warning for each clean topic of {@code pipelines} that bounds its records' age. */
    public static void check(KafkaOptions kafka, Collection<PipelineSpec> pipelines) {
        List<String> topics = pipelines.stream().map(p -> p.sink().topic()).filter(t -> t != null).distinct().toList();
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = KafkaConnectionCheck.admin(kafka)) {
            warnings(admin, topics).forEach(LOG::warn);
        }
    }

    /** The warnings for {@code topics}; a topic whose configuration cannot be read is skipped (the sink reports it). */
    static List<String> warnings(Admin admin, List<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<ConfigResource, org.apache.kafka.common.KafkaFuture<Config>> described
                : admin.describeConfigs(resources).values().entrySet()) {
            try {
                warning(described.getKey().name(), described.getValue()
                        .get(KafkaConnectionCheck.TIMEOUT_MS, TimeUnit.MILLISECONDS)).ifPresent(warnings::add);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("Could not read the configuration of clean topic {}", described.getKey().name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return warnings;
            }
        }
        return warnings;
    }

    static Optional<String> warning(String topic, Config config) {
        if ("LogAppendTime".equals(value(config, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG))) {
            return Optional.of("Clean topic " + topic + " has message.timestamp.type=LogAppendTime: the broker replaces"
                    + " each record's event time with the time it was written, and the next layer's watermarks and"
                    + " windows come from these timestamps. Set message.timestamp.type=CreateTime on " + topic + ".");
        }
        List<String> bounds = new ArrayList<>();
        long retention = number(config, TopicConfig.RETENTION_MS_CONFIG);
        if (retention >= 0) {
            bounds.add("deletes records whose event time is older than " + human(retention) + " (retention.ms="
                    + retention + ") at the broker's next retention check, before the next layer reads them");
        }
        long before = number(config, TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG);
        if (before >= 0 && before != Long.MAX_VALUE) {
            bounds.add("refuses records whose event time is older than " + human(before)
                    + " (message.timestamp.before.max.ms=" + before + "), which fails the job");
        }
        if (bounds.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Clean topic " + topic + " " + String.join(", and ", bounds) + ": clean records carry their"
                + " event time as the Kafka timestamp, so this bites when older data is written (a backfill, a replay)."
                + " If that can happen, raise these on " + topic + " above the age of the oldest data (-1: no limit);"
                + " message.timestamp.type=LogAppendTime is no fix, the next layer's watermarks come from the timestamps.");
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    private static long number(Config config, String name) {
        String value = value(config, name);
        return value == null ? -1 : Long.parseLong(value);
    }

    /** In the largest unit that shows it exactly: 7 d, 36 h, 90 min, 45 s (ms precision is in the setting shown). */
    private static String human(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (millis > 0 && millis % Duration.ofDays(1).toMillis() == 0) {
            return d.toDays() + " d";
        }
        if (millis > 0 && millis % Duration.ofHours(1).toMillis() == 0) {
            return d.toHours() + " h";
        }
        return millis >= 60_000 && millis % 60_000 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
