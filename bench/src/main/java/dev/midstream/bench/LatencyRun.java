package dev.midstream.bench;

import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency at a fixed input rate: fresh messy events are sent at the given rate to a new topic while the
 * contender runs unbounded; an insert trigger records when each order id first lands in the table
 * ({@code clock_timestamp()}, same machine clock). Latency is that moment minus when the order's first event was
 * sent, over every order that landed.
 */
final class LatencyRun {
    interface Starter {
        JobClient start(StreamExecutionEnvironment env, String topic, String group, String jdbcUrl) throws Exception;
    }

    private static final long FEED_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Services services;
    private final FlinkRunner flink;
    private final CpuMeter cpu;

    LatencyRun(Services services, FlinkRunner flink, CpuMeter cpu) {
        this.services = services;
        this.flink = flink;
        this.cpu = cpu;
    }

    Result.Latency probe(String name, FlinkRunner.Setup setup, double perSecond, Duration feeding, Starter starter)
            throws Exception {
        String run = "lat_" + Bench.database(name);
        String topic = run.replace('_', '-');
        services.createTopic(topic, 2);
        String jdbcUrl = services.database(run);
        Tables.execute(jdbcUrl, Tables.CREATE_ORDERS);
        Tables.recordLandings(jdbcUrl);
        StreamExecutionEnvironment env = flink.environment(setup, run);
        JobClient job = starter.start(env, topic, run, jdbcUrl);
        Thread.sleep(3000); // the job's sources are assigned their partitions
        Map<String, Long> firstSent = new HashMap<>();
        MessyOrderGenerator generator = new MessyOrderGenerator(7, "L", Workload.SHOP_ZONE, Workload.OVERSIZE_BYTES);
        CpuMeter.Sample cpuBefore = cpu.sample();
        long start = System.nanoTime();
        long sent = 0;
        long total = (long) (perSecond * feeding.toSeconds());
        try (KafkaProducer<byte[], byte[]> producer = Workload.producer(services.bootstrap, false)) {
            Iterator<GeneratedEvent> events = Collections.emptyIterator();
            while (sent < total) {
                if (!events.hasNext()) {
                    events = generator.next(500).iterator();
                }
                GeneratedEvent e = events.next();
                long due = start + (long) (sent * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    // At least a tick, so events leave in bursts the producer batches, not a sleep and a send each.
                    TimeUnit.NANOSECONDS.sleep(Math.max(wait, FEED_TICK_NANOS));
                }
                producer.send(new ProducerRecord<>(topic, null, null, e.key(), e.value(), e.headers()));
                if (e.order() != null) {
                    firstSent.putIfAbsent(e.order().orderId(), System.currentTimeMillis());
                }
                sent++;
            }
            producer.flush();
        }
        // Near two busy cores, queueing is what the probe measures: a rate that halves a backlog's is not half the load.
        CpuMeter.Sample used = cpu.sample().minus(cpuBefore);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Sample cores = used.per(seconds);
        long landedBefore = -1;
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1000);
            long landed = Tables.count(jdbcUrl, "landed");
            if (landed == landedBefore) {
                break;
            }
            landedBefore = landed;
        }
        job.cancel().get(1, TimeUnit.MINUTES);
        List<Long> latencies = new ArrayList<>();
        Tables.landings(jdbcUrl).forEach((order, at) -> {
            Long sentAt = firstSent.get(order);
            if (sentAt != null) {
                latencies.add(Math.max(0, at - sentAt));
            }
        });
        Collections.sort(latencies);
        if (latencies.isEmpty()) {
            throw new IllegalStateException(name + ": no order landed during the latency probe");
        }
        return new Result.Latency(perSecond, latencies.size(), percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies.get(latencies.size() - 1), cores);
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
