package dev.midstream.function;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Expression;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code map:} step: each output field is an expression over the input record (a plain field path renames).
 * Only mapped fields remain unless {@code keep_unmapped}. An expression that cannot be evaluated on a
 * record sends it to dead letters (stage {@code transform}, rule = the step id).
 */
public class MappingStep extends ProcessFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final LinkedHashMap<String, Expression> mapping;
    private final boolean keepUnmapped;
    private final DeadLetterFactory deadLetters;

    private transient StageMetrics metrics;

    public MappingStep(String step, Map<String, Expression> mapping, boolean keepUnmapped,
            DeadLetterFactory deadLetters) {
        this.step = step;
        this.mapping = new LinkedHashMap<>(mapping);
        this.keepUnmapped = keepUnmapped;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) {
        if (record.deleted) {
            out.collect(record); // a delete holds only its key: steps apply to rows, the key reaches the table as is
            return;
        }
        Record result = keepUnmapped ? record.data.copy() : new Record();
        for (Map.Entry<String, Expression> field : mapping.entrySet()) {
            try {
                result.set(field.getKey(), field.getValue().evaluate(record.data));
            } catch (RuntimeException e) {
                metrics.rejected(Stage.TRANSFORM, step);
                ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.TRANSFORM, step, field.getKey(),
                        "step '" + step + "': " + field.getKey() + " = " + field.getValue().text() + ": "
                                + e.getMessage(), record.sourceTopic, record.sourcePartition, record.sourceOffset,
                        record.payload));
                return;
            }
        }
        record.data = result;
        out.collect(record);
    }
}
