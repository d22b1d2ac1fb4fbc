package dev.midstream.testkit.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A Debezium connector as a small Kafka Connect worker would run it: the embedded engine with the connector and
 * options of a properties file, each change event (key, value, tombstone) sent to the Kafka topic Debezium names
 * for it, and the events marked processed only once the broker has them, so offsets never run ahead of Kafka.
 * {@code runner.bootstrap-servers} in the file is the broker; every other property goes to Debezium. Stopped by
 * SIGTERM (the engine commits its offsets) or killed (it replays from the last commit, as after a crash).
 */
public final class DebeziumToKafka {
    private static final Logger LOG = LoggerFactory.getLogger(DebeziumToKafka.class);

    private DebeziumToKafka() {}

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            properties.load(in);
        }
        String bootstrap = (String) properties.remove("runner.bootstrap-servers");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
        long[] sent = {0};
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(properties)
                .using((success, message, error) -> {
                    if (success) {
                        LOG.info("engine stopped: {}", message);
                    } else {
                        LOG.error("engine failed: {}", message, error);
                        Runtime.getRuntime().halt(2);
                    }
                })
                .notifying((events, committer) -> {
                    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
                    for (ChangeEvent<String, String> event : events) {
                        acks.add(producer.send(new ProducerRecord<>(event.destination(), bytes(event.key()),
                                bytes(event.value()))));
                    }
                    producer.flush();
                    for (Future<RecordMetadata> ack : acks) {
                        try {
                            ack.get();
                        } catch (Exception e) {
                            throw new InterruptedException("Kafka refused a change event: " + e);
                        }
                    }
                    for (ChangeEvent<String, String> event : events) {
                        committer.markProcessed(event);
                    }
                    committer.markBatchFinished();
                    sent[0] += events.size();
                    LOG.info("sent {} change events ({} in all)", events.size(), sent[0]);
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.close();
                executor.shutdown();
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stopping the engine: {}", e.toString());
            }
            producer.close();
        }));
        executor.execute(engine);
        LOG.info("started; sending to {}", bootstrap);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
