package dev.midstream.function;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.record.FlowRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * A remote step's results into the pipeline: records on, errors to the pipeline's dead letters (an async function
 * cannot write side outputs itself), counted as rejected by stage {@code udf} and the step's id.
 */
public class RemoteResults extends ProcessFunction<Either<FlowRecord, DeadLetter>, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final String step;

    private transient StageMetrics metrics;

    public RemoteResults(String step) {
        this.step = step;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Either<FlowRecord, DeadLetter> result, Context ctx, Collector<FlowRecord> out) {
        if (result.isLeft()) {
            out.collect(result.left());
        } else {
            metrics.rejected(Stage.UDF, step);
            ctx.output(DeadLetterFactory.TAG, result.right());
        }
    }
}
