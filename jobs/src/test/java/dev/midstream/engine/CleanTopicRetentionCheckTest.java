package dev.midstream.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.testkit.KafkaExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The submission's warnings about clean topics that bound their records' age, read from a real broker. */
class CleanTopicRetentionCheckTest {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final AtomicInteger TOPICS = new AtomicInteger();

    @Test
    void aTopicThatDeletesByTimeIsNamedWithItsRetentionAndTheFix() throws Exception {
        String topic = topic(Map.of("retention.ms", Long.toString(7L * 24 * 3600 * 1000)));
        List<String> warnings = warnings(topic);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("Clean topic " + topic + " deletes records whose event time is older than"
                + " 7 d (retention.ms=604800000)"), warnings.get(0));
        assertTrue(warnings.get(0).contains("raise these on " + topic + " above the age of the oldest data (-1: no limit)"),
                warnings.get(0));
    }

    @Test
    void aTopicThatRefusesOldTimestampsIsNamed() throws Exception {
        String topic = topic(Map.of("message.timestamp.before.max.ms", Long.toString(3_600_000)));
        List<String> warnings = warnings(topic);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("refuses records whose event time is older than 1 h"
                + " (message.timestamp.before.max.ms=3600000), which fails the job"), warnings.get(0));
    }

    @Test
    void aTopicThatReplacesEventTimesWithAppendTimesIsNamed() throws Exception {
        String topic = topic(Map.of("message.timestamp.type", "LogAppendTime"));
        assertEquals(List.of("Clean topic " + topic + " has message.timestamp.type=LogAppendTime: the broker replaces"
                + " each record's event time with the time it was written, and the next layer's watermarks and windows"
                + " come from these timestamps. Set message.timestamp.type=CreateTime on " + topic + "."), warnings(topic));
    }

    @Test
    void aTopicThatKeepsRecordsOfAnyAgeAndAMissingTopicGiveNoWarning() throws Exception {
        // The test broker's default is log.retention.ms=-1 (see EmbeddedKafkaBroker).
        String kept = topic(Map.of());
        assertEquals(List.of(), warnings(kept, "no-such-topic-" + TOPICS.incrementAndGet()));
    }

    @Test
    void aRetentionOfMinutesIsShownInMinutes() {
        String warning = CleanTopicRetentionCheck.warning("t", new Config(List.of(new ConfigEntry("retention.ms",
                "5400000")))).orElseThrow();
        assertTrue(warning.contains("older than 90 min (retention.ms=5400000)"), warning);
    }

    private static String topic(Map<String, String> configs) throws Exception {
        String name = "clean-retention-" + TOPICS.incrementAndGet();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
        }
        return name;
    }

    private static List<String> warnings(String... topics) {
        try (Admin admin = admin()) {
            return CleanTopicRetentionCheck.warnings(admin, List.of(topics));
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }
}
