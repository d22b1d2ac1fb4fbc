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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency at a fixed input rate: fresh messy events are sent at the given rate to a new topic while the
 * contender runs unbounded; an insert trigger records when each order id first lands in the table
 * ({@code clock_timestamp()}, same machine clock). Latency is that moment minus when the order's first event was
 * sent, over every order that landed.
 *
 * <p>Near two busy cores one probe's p99 is bimodal (once a backlog starts, it does not drain within the probe), and
 * the first probe of a run pays for its place. So {@link #measure} probes every contender in rounds, after a warm-up
 * probe that is not reported, each round in another order, and pools every round's orders into one p99.
 */
final class LatencyRun {
    interface Starter {
        JobClient start(StreamExecutionEnvironment env, String topic, String group, String jdbcUrl) throws Exception;
    }

    /** A contender to probe at {@code perSecond} events/s. */
    record Contender(String name, double perSecond, Starter starter) {}

    /** One probe: every landed order's latency, sorted; p99 by second sent; the cores busy while feeding. */
    record Probe(int place, List<Long> sortedMs, List<Long> p99BySecond, CpuMeter.Sample cores) {
        long p99() {
            return percentile(sortedMs, 0.99);
        }
    }

    private static final long FEED_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Services services;
    private final FlinkRunner flink;
    private final CpuMeter cpu;
    private final FlinkRunner.Setup setup;

    LatencyRun(Services services, FlinkRunner flink, CpuMeter cpu, FlinkRunner.Setup setup) {
        this.services = services;
        this.flink = flink;
        this.cpu = cpu;
        this.setup = setup;
    }

    /** Every contender {@code rounds} times, round r starting at the r-th contender, after one warm-up probe. */
    Map<String, Result.Latency> measure(List<Contender> contenders, int rounds, Duration feeding) throws Exception {
        Map<String, List<Probe>> byContender = new LinkedHashMap<>();
        contenders.forEach(c -> byContender.put(c.name(), new ArrayList<>()));
        Contender first = contenders.get(0);
        Bench.say(String.format(Locale.ROOT, "Latency warm-up (not reported): %s at %,.0f events/s for %d s",
                first.name(), first.perSecond(), feeding.toSeconds()));
        Bench.say("  " + summary(probe(first, "w", 0, feeding)));
        for (int round = 1; round <= rounds; round++) {
            for (int place = 0; place < contenders.size(); place++) {
                Contender c = contenders.get((round - 1 + place) % contenders.size());
                Bench.say(String.format(Locale.ROOT, "Latency round %d of %d, place %d: %s at %,.0f events/s for %d s",
                        round, rounds, place + 1, c.name(), c.perSecond(), feeding.toSeconds()));
                Probe r = probe(c, "r" + round, place + 1, feeding);
                Bench.say("  " + summary(r));
                byContender.get(c.name()).add(r);
            }
        }
        Map<String, Result.Latency> latencies = new LinkedHashMap<>();
        for (Contender c : contenders) {
            Result.Latency l = Result.Latency.pooled(c.perSecond(), byContender.get(c.name()));
            Bench.say(c.name() + ", " + rounds + " rounds pooled: " + l.summary());
            latencies.put(c.name(), l);
        }
        return latencies;
    }

    private Probe probe(Contender contender, String suffix, int place, Duration feeding) throws Exception {
        String run = "lat_" + Bench.database(contender.name()) + "_" + suffix;
        String topic = run.replace('_', '-');
        services.createTopic(topic, 2);
        String jdbcUrl = services.database(run);
        Tables.execute(jdbcUrl, Tables.CREATE_ORDERS);
        Tables.recordLandings(jdbcUrl);
        // Made before the clock starts, so the CPU measured while feeding is sending, not generating.
        List<GeneratedEvent> events = events((long) (contender.perSecond() * feeding.toSeconds()));
        JobClient job = contender.starter().start(flink.environment(setup, run), topic, run, jdbcUrl);
        Thread.sleep(3000); // the job's sources are assigned their partitions
        Map<String, Long> firstSent = new HashMap<>();
        double perSecond = contender.perSecond();
        CpuMeter.Sample cpuBefore = cpu.sample();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = Workload.producer(services.bootstrap, false)) {
            for (GeneratedEvent e : events) {
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
        CpuMeter.Sample cores = cpu.sample().minus(cpuBefore).per((System.nanoTime() - start) / 1e9);
        events = null; // the events are garbage once sent; the drain below can take a while
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
        TreeMap<Long, List<Long>> bySecond = new TreeMap<>();
        Tables.landings(jdbcUrl).forEach((order, at) -> {
            Long sentAt = firstSent.get(order);
            if (sentAt != null) {
                long ms = Math.max(0, at - sentAt);
                latencies.add(ms);
                bySecond.computeIfAbsent((sentAt - startMillis) / 1000, s -> new ArrayList<>()).add(ms);
            }
        });
        if (latencies.isEmpty()) {
            throw new IllegalStateException(contender.name() + ": no order landed during the latency probe");
        }
        Collections.sort(latencies);
        List<Long> p99BySecond = new ArrayList<>();
        for (List<Long> second : bySecond.values()) {
            Collections.sort(second);
            p99BySecond.add(percentile(second, 0.99));
        }
        return new Probe(place, latencies, p99BySecond, cores);
    }

    private static List<GeneratedEvent> events(long total) {
        MessyOrderGenerator generator = new MessyOrderGenerator(7, "L", Workload.SHOP_ZONE, Workload.OVERSIZE_BYTES);
        List<GeneratedEvent> events = new ArrayList<>((int) total + 1000);
        while (events.size() < total) {
            events.addAll(generator.next(500));
        }
        return events.subList(0, (int) total);
    }

    private static String summary(Probe r) {
        CpuMeter.Sample c = r.cores();
        return String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms, max %,d ms over %,d orders; %.2f cores busy (JVM %.2f,"
                + " PostgreSQL %.2f, broker %.2f); p99 ms by second sent: %s", percentile(r.sortedMs(), 0.50), r.p99(),
                r.sortedMs().get(r.sortedMs().size() - 1), r.sortedMs().size(), c.total(),
                c.jvm(), c.postgres(), c.kafka(), r.p99BySecond());
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
