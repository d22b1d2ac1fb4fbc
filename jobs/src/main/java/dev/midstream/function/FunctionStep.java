package dev.midstream.function;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.FunctionContext;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one user function of a pipeline. The function's output for a record is collected first and only
 * emitted if the function returned normally: a function that throws, emits null or emits nothing-but-garbage
 * sends its input to dead letters (stage {@code udf:<step id>}, the exception as the reason) and the job goes on.
 * A function that emits no rows for a record has filtered it: counted as {@code midstream.udf.<step>.filtered}.
 */
public class FunctionStep extends ProcessFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final String step;
    private final String functionName;
    private final Parameters parameters;
    private final DeadLetterFactory deadLetters;

    private transient RecordFunction function;
    private transient StageMetrics metrics;
    private transient org.apache.flink.metrics.Counter filtered;
    private transient List<Record> emitted;

    public FunctionStep(String pipeline, String step, String functionName, Parameters parameters,
            DeadLetterFactory deadLetters) {
        this.pipeline = pipeline;
        this.step = step;
        this.functionName = functionName;
        this.parameters = parameters;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        RecordFunctionFactory factory = FunctionCatalog.load(getRuntimeContext().getUserCodeClassLoader())
                .find(functionName)
                .orElseThrow(() -> new IllegalStateException("user function '" + functionName + "' of step '" + step
                        + "' is not on the class path; add its jar to usrlib/ or pass it with -C"));
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        MetricGroup udfGroup = getRuntimeContext().getMetricGroup().addGroup(StageMetrics.GROUP).addGroup("udf")
                .addGroup(step);
        filtered = udfGroup.counter("filtered");
        emitted = new ArrayList<>(2);
        function = factory.create(parameters);
        function.open(new FunctionContext() {
            @Override
            public String pipeline() {
                return pipeline;
            }

            @Override
            public String step() {
                return step;
            }

            @Override
            public Parameters parameters() {
                return parameters;
            }

            @Override
            public Counter counter(String name) {
                return udfGroup.counter(name)::inc;
            }
        });
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) {
        if (record.deleted) {
            out.collect(record); // a delete holds only its key: steps apply to rows, the key reaches the table as is
            return;
        }
        emitted.clear();
        try {
            function.apply(record.data, emitted::add);
            for (Record row : emitted) {
                if (row == null) {
                    throw new IllegalStateException("the function emitted null");
                }
            }
        } catch (Exception | LinkageError e) {
            metrics.rejected(Stage.UDF, step);
            ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.UDF, step, functionName, null,
                    "function '" + functionName + "' failed: " + e, record.sourceTopic, record.sourcePartition,
                    record.sourceOffset, record.payload));
            return;
        }
        if (emitted.isEmpty()) {
            filtered.inc();
            return;
        }
        for (int i = 0; i < emitted.size(); i++) {
            Record row = emitted.get(i);
            // Records go on to the next operators without copies (object reuse), and those change them in place:
            // a row the function emitted twice must become two objects.
            out.collect(record.with(emittedBefore(row, i) ? row.copy() : row));
        }
    }

    private boolean emittedBefore(Record row, int index) {
        for (int i = 0; i < index; i++) {
            if (emitted.get(i) == row) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        if (function != null) {
            function.close();
        }
    }
}
