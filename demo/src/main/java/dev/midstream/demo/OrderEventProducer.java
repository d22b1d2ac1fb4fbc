package dev.midstream.demo;

import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends messy order events to the raw orders topic at a fixed rate until a count is reached or it is stopped, and
 * each customer's profile to the raw customers topic when an order first names the customer.
 */
final class OrderEventProducer implements Runnable {
    private final String bootstrap;
    private final String topic;
    private final String customersTopic;
    private final CustomerProfiles profiles = new CustomerProfiles();
    private final MessyOrderGenerator generator;
    private final int perSecond;
    private final long limit;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;

    OrderEventProducer(String bootstrap, String topic, String customersTopic, MessyOrderGenerator generator,
            int perSecond, long limit) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.customersTopic = customersTopic;
        this.generator = generator;
        this.perSecond = perSecond;
        this.limit = limit;
    }

    @Override
    public void run() {
        try (var producer = KafkaTestClients.producer(bootstrap)) {
            long start = System.nanoTime();
            Iterator<GeneratedEvent> batch = List.<GeneratedEvent>of().iterator();
            while (!stopped && (limit <= 0 || sent.get() < limit)) {
                if (!batch.hasNext()) {
                    batch = generator.next(500).iterator();
                }
                GeneratedEvent e = batch.next();
                producer.send(new ProducerRecord<>(topic, e.key(), e.value()));
                if (e.order() != null) {
                    byte[] profile = profiles.firstSight(e.order().customerId(), e.order().eventTime());
                    if (profile != null) {
                        producer.send(new ProducerRecord<>(customersTopic,
                                e.order().customerId().getBytes(java.nio.charset.StandardCharsets.UTF_8), profile));
                    }
                }
                long n = sent.incrementAndGet();
                long due = start + n * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long sent() {
        return sent.get();
    }

    void stop() {
        stopped = true;
    }
}
