package dev.midstream.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** Writing to and reading back a topic of the embedded broker, for tests and the demo. */
public final class KafkaTestClients {
    private KafkaTestClients() {}

    /**
     * A byte-array producer that loses and repeats nothing (acks=all, idempotent) and takes records of up to
     * 4 MiB (oversized-payload tests; the embedded broker accepts 8 MiB).
     */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The read_committed end offsets once they have caught up with the partitions' ends: a transaction's commit
     * returns before its markers are written, so right after a job finishes a read_committed reader may not see its
     * last transaction yet. Waits up to 10 s for that, then fails naming the transactions still open: a reader that
     * stopped at a stuck last stable offset would report missing records, not their cause.
     */
    private static Map<TopicPartition, Long> settledEndOffsets(String bootstrap, KafkaConsumer<byte[], byte[]> committed,
            List<TopicPartition> partitions, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (var uncommitted = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions, timeout);
                Map<TopicPartition, Long> logEnd = uncommitted.endOffsets(partitions, timeout);
                if (stable.equals(logEnd)) {
                    return stable;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read_committed end offsets " + stable + " stay below the log ends "
                            + logEnd + "; transactions still open: " + openTransactions(bootstrap, partitions));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stable;
                }
            }
        }
    }

    /** The broker's ongoing transactions on {@code partitions}: id, producer id and epoch, start time. */
    public static List<String> openTransactions(String bootstrap, List<TopicPartition> partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> ids = admin.listTransactions(new ListTransactionsOptions()
                            .filterStates(List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                                    TransactionState.PREPARE_ABORT))).all().get().stream()
                    .map(TransactionListing::transactionalId).toList();
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> open = new ArrayList<>();
            admin.describeTransactions(ids).all().get().forEach((id, d) -> {
                if (d.topicPartitions().stream().anyMatch(partitions::contains)) {
                    open.add(id + " (" + d.state() + ", producer " + d.producerId() + " epoch " + d.producerEpoch()
                            + ", started " + d.transactionStartTimeMs().stream().mapToObj(Instant::ofEpochMilli)
                            .findFirst().map(Object::toString).orElse("?") + ", " + d.topicPartitions() + ")");
                }
            });
            return open;
        } catch (ExecutionException e) {
            return List.of("(could not list transactions: " + e.getCause() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(interrupted)");
        }
    }

    /** Every record of {@code topic} up to the end offsets seen at the call (see {@link #settledEndOffsets}). */
    public static List<ConsumerRecord<byte[], byte[]>> consumeAll(String bootstrap, String topic, Duration timeout) {
        return consumeAll(bootstrap, topic, timeout, true);
    }

    /**
     * Every record of {@code topic} as a read_uncommitted reader sees it: committed, aborted and still open
     * transactions' records alike, up to the log ends at the call. For diagnosing what a transactional writer lost.
     */
    public static List<ConsumerRecord<byte[], byte[]>> consumeAllUncommitted(String bootstrap, String topic,
            Duration timeout) {
        return consumeAll(bootstrap, topic, timeout, false);
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String bootstrap, String topic, Duration timeout,
            boolean committed) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = committed ? settledEndOffsets(bootstrap, consumer, partitions, timeout)
                    : consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
