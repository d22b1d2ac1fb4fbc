package dev.midstream.bench.jmh;

import dev.midstream.cleanse.RecordMasker;
import dev.midstream.cleanse.RecordNormalizer;
import dev.midstream.cleanse.RecordValidator;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code pipelines/orders.yaml}'s operators in Flink test harnesses, and the tests' messy input as raw records. */
public final class OrdersChain {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    public final PipelineSpec spec;
    final DeadLetterFactory deadLetters;

    public OrdersChain() {
        spec = PipelineReader.read(Path.of("pipelines", "orders.yaml"),
                Map.of("MIDSTREAM_PII_SALT", "bench-salt-0123456789abcdef0123456789")::get, FunctionCatalog.load());
        deadLetters = new DeadLetterFactory(spec.name(), 64 * 1024, PayloadPolicy.RAW, List.of());
    }

    public static List<RawRecord> rawRecords(int count, long seed) {
        MessyOrderGenerator generator = new MessyOrderGenerator(seed, "J", ZONE, 100_000);
        List<RawRecord> raw = new ArrayList<>(count);
        long offset = 0;
        while (raw.size() < count) {
            for (GeneratedEvent e : generator.next(500)) {
                raw.add(new RawRecord("ods.orders", 0, offset++, 0L, e.value()));
            }
        }
        return raw.subList(0, count);
    }

    /** The valid records among {@code count} raw ones, validated and normalized as the source chain does. */
    List<FlowRecord> normalizedRecords(int count, long seed) throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> validator = validator();
             OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> normalizer = normalizer()) {
            for (RawRecord raw : rawRecords(count, seed)) {
                validator.processElement(new StreamRecord<>(raw));
            }
            for (FlowRecord r : validator.extractOutputValues()) {
                normalizer.processElement(new StreamRecord<>(r));
            }
            return new ArrayList<>(normalizer.extractOutputValues());
        }
    }

    /**
     * A harness whose output hands records on without copying them, as chained operators do in the job (object
     * reuse on; {@link HandingOnSerializer}); the default harness would fall back to Kryo for {@link FlowRecord}.
     */
    private static <IN> OneInputStreamOperatorTestHarness<IN, FlowRecord> harness(
            org.apache.flink.streaming.api.operators.OneInputStreamOperator<IN, FlowRecord> operator) throws Exception {
        OneInputStreamOperatorTestHarness<IN, FlowRecord> h = new OneInputStreamOperatorTestHarness<>(operator);
        h.setup(new HandingOnSerializer());
        h.open();
        return h;
    }

    public OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> validator() throws Exception {
        return harness(new ProcessOperator<>(new RecordValidator(spec, 64 * 1024, ZONE, deadLetters)));
    }

    OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> normalizer() throws Exception {
        return harness(new StreamMap<>(new RecordNormalizer(spec.normalize())));
    }

    OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> masker() throws Exception {
        return harness(new ProcessOperator<>(new RecordMasker(spec.pii())));
    }

    KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> deduplicator() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                        new dev.midstream.cleanse.KeyedDeduplicator(spec.dedup(), deadLetters)),
                dev.midstream.cleanse.KeyedDeduplicator.keySelector(spec.dedup().key()), Types.STRING);
        h.setup(new HandingOnSerializer());
        h.open();
        return h;
    }
}
