package dev.midstream.bench;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Flink's floor for this job's shape, with nothing of Midstream's in it: the raw topic through the same Kafka source
 * (key and value bytes, nothing parsed), across a {@code keyBy} on the record's key, one value read and written in
 * keyed state per record, into a discarding sink. A value above the job's max-record-bytes crosses the {@code keyBy}
 * empty, since no job carries what it refuses at the source (the bench's oversized records are 300 KB each).
 * Whatever any engine on Flink adds to it (parsing, rules, deduplication, masking, rows and dead letters) is what
 * Midstream spends above the floor; PostgreSQL's side of the same bound is the ceiling.
 */
final class FloorRun {
    static final String NAME = "floor: Flink alone (read, keyBy, keyed state, discard)";

    private final Services services;
    private final FlinkRunner flink;

    FloorRun(Services services, FlinkRunner flink) {
        this.services = services;
        this.flink = flink;
    }

    Result throughput(Workload workload, FlinkRunner.Setup setup, CpuMeter cpu) throws Exception {
        String name = NAME + ", " + setup.label();
        String run = "floor_" + setup.parallelism();
        StreamExecutionEnvironment env = flink.environment(setup, run);
        KafkaSource<Tuple2<String, byte[]>> source = KafkaSource.<Tuple2<String, byte[]>>builder()
                .setBootstrapServers(services.bootstrap)
                .setTopics(workload.topic)
                .setGroupId(run)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new KeyAndValue())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "raw").uid("floor-source")
                .keyBy(r -> r.f0, Types.STRING)
                .process(new LastLength()).uid("floor-state").name("keyed state")
                .sinkTo(new DiscardingSink<>()).uid("floor-sink").name("discard");
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        JobClient job = env.executeAsync(run);
        Result.Checkpoints checkpoints = flink.await(job, FlinkRunner.restPort(env), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(name, "floor", seconds, workload.events, 0, -1, cpu.sample().minus(before), checkpoints,
                null, null);
    }

    /** The record's key as text (its offset's where it has none, so keyless records spread) and its value. */
    private static final class KeyAndValue implements KafkaRecordDeserializationSchema<Tuple2<String, byte[]>> {
        private static final byte[] NONE = new byte[0];

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<String, byte[]>> out) {
            String key = record.key() == null ? Long.toString(record.offset())
                    : new String(record.key(), StandardCharsets.UTF_8);
            byte[] value = record.value();
            out.collect(Tuple2.of(key, value == null || value.length > MidstreamRun.MAX_RECORD_BYTES ? NONE : value));
        }

        @Override
        public TypeInformation<Tuple2<String, byte[]>> getProducedType() {
            return Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));
        }
    }

    /** One state read and one write per record, as a deduplicator's version check does at the least. */
    private static final class LastLength extends KeyedProcessFunction<String, Tuple2<String, byte[]>, Integer> {
        private transient ValueState<Integer> length;

        @Override
        public void open(OpenContext context) {
            length = getRuntimeContext().getState(new ValueStateDescriptor<>("length", Types.INT));
        }

        @Override
        public void processElement(Tuple2<String, byte[]> record, Context ctx, Collector<Integer> out) throws Exception {
            Integer before = length.value();
            length.update(record.f1.length);
            if (before == null) {
                out.collect(record.f1.length);
            }
        }
    }
}
