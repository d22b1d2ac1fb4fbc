package dev.midstream.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Kafka broker for tests: {@code @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();}.
 * One broker serves every test class in the JVM; each test takes topics of its own with {@link #uniqueTopic}.
 */
public final class KafkaExtension implements BeforeAllCallback {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = SharedServices.kafka(context);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        broker.createTopic(name, partitions);
    }

    /** Creates {@code <prefix>-<n>} and returns its name. */
    public String uniqueTopic(String prefix, int partitions) {
        String name = prefix + "-" + TOPICS.incrementAndGet();
        createTopic(name, partitions);
        return name;
    }
}
