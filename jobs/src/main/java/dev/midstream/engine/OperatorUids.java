package dev.midstream.engine;

import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.StepSpec;

import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The uid and the name of every operator Midstream builds, from one place. Uids are the keys of savepoint state:
 * they derive from the pipeline or transform name and the ids declared in its file, never from positions, and a uid
 * here never changes once released ({@code LegacySavepointRestoreTest} restores a savepoint of an earlier release).
 * Names are what the Flink web UI shows.
 */
public final class OperatorUids {
    private OperatorUids() {}

    /** One operator's uid and name. */
    public record Operator(String uid, String name) {
        public <T> SingleOutputStreamOperator<T> on(SingleOutputStreamOperator<T> operator) {
            return operator.uid(uid).name(name);
        }

        public <T> DataStreamSink<T> on(DataStreamSink<T> sink) {
            return sink.uid(uid).name(name);
        }
    }

    public static Pipeline of(PipelineSpec pipeline) {
        return new Pipeline(pipeline.name());
    }

    public static Layer of(LayerSpec layer) {
        return new Layer(layer.name());
    }

    /** The operators of a pipeline: {@code <pipeline>/<step>}, declared steps {@code <pipeline>/transform/<id>}. */
    public static final class Pipeline {
        private final String p;

        private Pipeline(String pipeline) {
            this.p = pipeline;
        }

        private Operator op(String id, String title) {
            return new Operator(p + "/" + id, p + ": " + title);
        }

        public Operator source() {
            return op("source", "Kafka source");
        }

        public Operator validate() {
            return op("validate", "Parse and validate");
        }

        public Operator normalize() {
            return op("normalize", "Normalize");
        }

        public Operator dedup(java.util.List<String> key) {
            return op("dedup", "Deduplicate by " + String.join(", ", key));
        }

        public Operator step(StepSpec step) {
            return op("transform/" + step.id(), (step.isRemote() ? "Remote function " + step.remote().function()
                    : step.isFunction() ? "Function " + step.function() : "Map") + " (" + step.id() + ")");
        }

        /** A remote step's batcher, before its async operator ({@link #step}, which keeps the batches in flight). */
        public Operator remoteBatch(StepSpec step) {
            return op("transform/" + step.id() + "/batch", "Batch for " + step.remote().function() + " (" + step.id()
                    + ")");
        }

        public Operator remoteResults(StepSpec step) {
            return op("transform/" + step.id() + "/results", "Results of " + step.id());
        }

        public Operator mask() {
            return op("mask", "Mask PII");
        }

        public Operator sinkFit() {
            return op("sink-fit", "Check rows fit the table");
        }

        public Operator batch() {
            return op("batch", "Batch upserts");
        }

        public Operator tableSink() {
            return op("table-sink", "Table upsert");
        }

        public Operator topicSink() {
            return op("topic-sink", "Clean records to Kafka (exactly-once)");
        }

        public Operator deadLetterTopic() {
            return op("dead-letter-topic", "Dead letters to Kafka");
        }

        public Operator deadLetterTable() {
            return op("dead-letter-table", "Dead letters to the table");
        }

        /** A pass-through that counts records for the quality history: {@code read}, {@code written}, … */
        public Operator tally(String measure) {
            return op("quality/" + measure, "Count " + measure);
        }

        /** The sums of the counts a step emits per record ({@code validate}, {@code dedup}), in its task. */
        public Operator countsOf(String step) {
            return op("quality/" + step, "Sum the counts of " + step);
        }
    }

    /** The job's one quality history (parallelism 1), fed by every pipeline's counts. */
    public static Operator qualityHistory() {
        return new Operator("quality/history", "Quality history");
    }

    /** The operators of a transform: {@code <transform>/<step>}, declared ones with their ids. */
    public static final class Layer {
        private final String t;

        private Layer(String transform) {
            this.t = transform;
        }

        public Operator factsSource(String topic) {
            return new Operator(t + "/facts-source", t + ": facts from " + topic);
        }

        public Operator factsParse() {
            return new Operator(t + "/facts-parse", t + ": Parse facts");
        }

        /** A pass-through that counts for the quality history: facts {@code read}, {@code rejected} per step. */
        public Operator tally(String measure) {
            return new Operator(t + "/quality/" + measure, t + ": Count " + measure);
        }

        /** The sums of the counts a step emits per record (facts that went on without their row), in its task. */
        public Operator countsOf(String step) {
            return new Operator(t + "/quality/" + step, t + ": Sum the counts of " + step);
        }

        public Operator dimensionSource(String topic) {
            return new Operator(t + "/dimension-source", t + ": dimension from " + topic);
        }

        public Operator dimensionParse() {
            return new Operator(t + "/dimension-parse", t + ": Parse dimension");
        }

        public Operator lookup(LookupSpec lookup) {
            return new Operator(t + "/lookup/" + lookup.id(), t + ": Lookup (" + lookup.id() + " in " + lookup.table() + ")");
        }

        public Operator enrich(String id) {
            return new Operator(t + "/enrich/" + id, t + ": Enrich (" + id + ")");
        }

        public Operator window(String id) {
            return new Operator(t + "/window/" + id, t + ": Window (" + id + ")");
        }

        public Operator wideTable(SinkSpec table) {
            return new Operator(t + "/wide-table", t + ": " + table.table());
        }

        public Operator windowTable(String id, SinkSpec table) {
            return new Operator(t + "/window-table/" + id, t + ": " + table.table());
        }

        /** The batcher in front of a table's sink: the sink's uid plus {@code -batch}. */
        public Operator batchOf(Operator tableSink) {
            return new Operator(tableSink.uid() + "-batch", tableSink.name() + " (batch)");
        }

        public Operator deadLetters(String table) {
            return new Operator(t + "/dead-letters", t + ": " + table);
        }
    }
}
