package dev.midstream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.testkit.KafkaExtension;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** The transform layer reads a clean topic: committed transactions only, typed records, unreadable ones to dead letters. */
class CleanTopicSourceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final String ROW = "{\"order_id\":\"%s\",\"amount\":12.50,\"qty\":3,\"event_time\":\"2024-05-01T12:00:00Z\","
            + "\"customer\":{\"tier\":\"gold\"},\"tags\":[\"a\"]}";

    private static byte[] row(String id) {
        return String.format(ROW, id).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyCommittedTransactionsReachTheNextLayer() throws Exception {
        String topic = KAFKA.uniqueTopic("dwd-orders-in", 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, null, 1000L, null, row("committed-1")));
            producer.send(new ProducerRecord<>(topic, null, 2000L, null, row("committed-2")));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, null, 3000L, null, row("aborted")));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, null, 4000L, null, row("committed-3")));
            producer.commitTransaction();
        }

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        List<String> seen = new ArrayList<>();
        try (var records = env.fromSource(CleanTopicSource.of(KAFKA.bootstrapServers(), new java.util.Properties(), topic, "transform-test", true),
                        CleanTopicSource.watermarks(Duration.ofSeconds(5), Duration.ofSeconds(30)), "clean topic")
                .process(new CleanRecordParser(Set.of("event_time"), new DeadLetterFactory("t", 100)),
                        FlowRecordTypeInfo.INSTANCE)
                .executeAndCollect()) {
            records.forEachRemaining(r -> seen.add(r.data.getString("order_id")));
        }
        assertEquals(List.of("committed-1", "committed-2", "committed-3"), seen);
    }

    @Test
    void recordsComeBackTypedAndUnreadableOnesAreDeadLetters() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new CleanRecordParser(Set.of("event_time"), new DeadLetterFactory("t", 100)))) {
            h.processElement(new RawRecord("dwd", 0, 1, 0L, row("o1")), 0);
            h.processElement(new RawRecord("dwd", 0, 2, 0L, "{\"event_time\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)), 0);
            h.processElement(new RawRecord("dwd", 0, 3, 0L, "[]".getBytes(StandardCharsets.UTF_8)), 0);
            FlowRecord record = h.extractOutputValues().get(0);
            assertEquals(new BigDecimal("12.50"), record.data.get("amount"));
            assertEquals(3L, record.data.get("qty"));
            assertEquals(Instant.parse("2024-05-01T12:00:00Z"), record.data.get("event_time"));
            assertEquals("gold", record.data.getString("customer.tier"));
            assertEquals(List.of("a"), record.data.get("tags"));
            List<DeadLetter> letters = h.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).toList();
            assertEquals(List.of(2L, 3L), letters.stream().map(l -> l.sourceOffset).toList());
            assertTrue(letters.get(0).reason.contains("'event_time' is not an ISO-8601 instant"), letters.get(0).reason);
            assertEquals("clean_record_unreadable", letters.get(1).rule);
        }
    }
}
