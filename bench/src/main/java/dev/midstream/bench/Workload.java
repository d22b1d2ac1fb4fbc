package dev.midstream.bench;

import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;
import dev.midstream.testkit.orders.Outcome;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/** The messy orders every contender reads: the tests' generator, so the composition is the tests' too. */
final class Workload {
    static final ZoneId SHOP_ZONE = ZoneId.of("Asia/Shanghai");
    static final int OVERSIZE_BYTES = 300_000;

    final String topic;
    final long events;
    final long orders;
    final Map<Outcome, Long> outcomes;

    private Workload(String topic, long events, long orders, Map<Outcome, Long> outcomes) {
        this.topic = topic;
        this.events = events;
        this.orders = orders;
        this.outcomes = outcomes;
    }

    /**
     * {@code throughput}: the pre-load's big compressed batches; otherwise a business system's producer as Kafka 4
     * configures it by default (linger 5 ms, KIP-1030), so a probe's broker serves batches, not one request per event.
     */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap, boolean throughput) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, throughput ? 20 : 5,
                ProducerConfig.BATCH_SIZE_CONFIG, throughput ? 512 * 1024 : 16 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, throughput ? "lz4" : "none",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * OVERSIZE_BYTES,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes at least {@code records} events to {@code topic}, printing progress every 10 %. */
    static Workload preload(Services services, String topic, long records) throws Exception {
        services.createTopic(topic, 2);
        MessyOrderGenerator generator = new MessyOrderGenerator(42, "B", SHOP_ZONE, OVERSIZE_BYTES);
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        long sent = 0;
        long step = Math.max(1, records / 10);
        long next = step;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(services.bootstrap, true)) {
            while (sent < records) {
                for (GeneratedEvent e : generator.next(1000)) {
                    producer.send(new ProducerRecord<>(topic, null, null, e.key(), e.value(), e.headers()));
                    outcomes.merge(e.outcome(), 1L, Long::sum);
                    sent++;
                }
                if (sent >= next) {
                    Bench.say(String.format("  pre-loaded %,d of %,d events (%.0f s)", sent, records,
                            (System.nanoTime() - start) / 1e9));
                    next += step;
                }
            }
            producer.flush();
        }
        return new Workload(topic, sent, generator.winners().size(), outcomes);
    }
}
