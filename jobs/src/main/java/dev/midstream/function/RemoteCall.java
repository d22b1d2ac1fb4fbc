package dev.midstream.function;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.model.RemoteSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;
import dev.midstream.udf.remote.RemoteProtocol;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * A remote step's calls, on Flink's async I/O: one batch in, each record out as what the function made of it
 * (the input merged with each result record; none when the function filtered it) or as a dead letter
 * ({@code udf:<step>}, the function's error). Deletes pass unchanged, in place. Each record is sent with its id,
 * {@code <pipeline>/<step>/<topic>-<partition>@<offset>#<n>} ({@code n} counts the records of one source record in a
 * batch), which the host sees again when a batch is retried or re-sent after a restore: calls are at least once.
 * A batch the host cannot take for the whole retry budget fails the job or becomes dead letters
 * ({@code on_unavailable}); a host that refuses the call (wrong URL, function, credentials, protocol) fails the job.
 */
public class RemoteCall extends RichAsyncFunction<List<FlowRecord>, Either<FlowRecord, DeadLetter>> {
    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final String step;
    private final RemoteSpec spec;
    private final DeadLetterFactory deadLetters;

    private transient RemoteClient client;
    private transient ExecutorService executor;
    private transient ScheduledExecutorService timer;
    private transient MetricGroup udf;
    private transient Map<String, Counter> hostCounters;
    private transient Counter filtered;

    public RemoteCall(String pipeline, String step, RemoteSpec spec, DeadLetterFactory deadLetters) {
        this.pipeline = pipeline;
        this.step = step;
        this.spec = spec;
        this.deadLetters = deadLetters;
    }

    /** How long Flink waits for a batch: beyond the client's own deadline, so it is never what ends a call. */
    public static long asyncTimeoutMillis(RemoteSpec spec) {
        return spec.retryFor().plus(spec.timeout().multipliedBy(2)).plusSeconds(30).toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        executor = Executors.newCachedThreadPool(r -> daemon(r, "remote-" + step));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "remote-" + step + "-retry"));
        udf = getRuntimeContext().getMetricGroup().addGroup("midstream").addGroup("udf").addGroup(step);
        hostCounters = new ConcurrentHashMap<>();
        filtered = udf.counter("filtered", new ThreadSafeSimpleCounter());
        Counter retries = udf.counter("retries", new ThreadSafeSimpleCounter());
        Counter splits = udf.counter("splits", new ThreadSafeSimpleCounter());
        client = new RemoteClient(pipeline, step, spec, executor, timer, retries::inc, splits::inc);
        client.onCounters(counters -> counters.forEach((name, value) -> hostCounters
                .computeIfAbsent(name, n -> udf.counter(n, new ThreadSafeSimpleCounter())).inc(value)));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The ids of a batch's records, in order. */
    static List<String> ids(String pipeline, String step, List<FlowRecord> batch) {
        List<String> ids = new ArrayList<>(batch.size());
        FlowRecord previous = null;
        int n = 0;
        for (FlowRecord record : batch) {
            n = previous != null && sameSource(previous, record) ? n + 1 : 0;
            ids.add(pipeline + "/" + step + "/" + record.sourceTopic + "-" + record.sourcePartition + "@"
                    + record.sourceOffset + "#" + n);
            previous = record;
        }
        return ids;
    }

    /** Whether two records came from the same source record. */
    static boolean sameSource(FlowRecord a, FlowRecord b) {
        return a.sourceOffset == b.sourceOffset && a.sourcePartition == b.sourcePartition
                && java.util.Objects.equals(a.sourceTopic, b.sourceTopic);
    }

    /** What is sent of a record: the listed fields, or all of them. */
    static Record sent(Record data, List<String> fields) {
        if (fields.isEmpty()) {
            return data.copy();
        }
        Record sent = new Record();
        for (String field : fields) {
            Object value = data.get(field);
            if (value != null) {
                sent.set(field, value instanceof Record r ? r.copy() : value);
            }
        }
        return sent;
    }

    @Override
    public void asyncInvoke(List<FlowRecord> batch, ResultFuture<Either<FlowRecord, DeadLetter>> result) {
        List<String> ids = ids(pipeline, step, batch);
        List<RemoteProtocol.Call> calls = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.get(i).deleted) {
                calls.add(new RemoteProtocol.Call(ids.get(i), sent(batch.get(i).data, spec.fields())));
            }
        }
        if (calls.isEmpty()) {
            result.complete(merged(batch, ids, Map.of()));
            return;
        }
        client.call(calls).whenComplete((outcomes, failure) -> {
            Throwable error = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (error == null) {
                result.complete(merged(batch, ids, outcomes));
            } else if (error instanceof RemoteClient.Unavailable && spec.onUnavailable() == RemoteSpec.OnUnavailable.DEAD_LETTER) {
                result.complete(unavailable(batch, error.getMessage()));
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    private List<Either<FlowRecord, DeadLetter>> merged(List<FlowRecord> batch, List<String> ids,
            Map<String, RemoteProtocol.Outcome> outcomes) {
        List<Either<FlowRecord, DeadLetter>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            FlowRecord record = batch.get(i);
            if (record.deleted) {
                out.add(Either.Left(record));
                continue;
            }
            RemoteProtocol.Outcome outcome = outcomes.get(ids.get(i));
            if (outcome.failed()) {
                out.add(Either.Right(deadLetter(record, outcome.error())));
                continue;
            }
            if (outcome.records().isEmpty()) {
                filtered.inc();
            }
            for (Record result : outcome.records()) {
                Record data = record.data.copy();
                result.asMap().forEach(data::set);
                out.add(Either.Left(record.with(data)));
            }
        }
        return out;
    }

    private List<Either<FlowRecord, DeadLetter>> unavailable(List<FlowRecord> batch, String reason) {
        List<Either<FlowRecord, DeadLetter>> out = new ArrayList<>(batch.size());
        for (FlowRecord record : batch) {
            out.add(record.deleted ? Either.Left(record) : Either.Right(deadLetter(record, reason)));
        }
        return out;
    }

    private DeadLetter deadLetter(FlowRecord record, String reason) {
        return deadLetters.create(Stage.UDF, step, spec.function(), null, "remote function '" + spec.function()
                + "': " + reason, record.sourceTopic, record.sourcePartition, record.sourceOffset,
                record.payload != null ? record.payload
                        : dev.midstream.record.RecordJson.write(record.data).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void timeout(List<FlowRecord> batch, ResultFuture<Either<FlowRecord, DeadLetter>> result) {
        result.completeExceptionally(new TimeoutException("step '" + step + "': a batch of " + batch.size()
                + " records was not answered within " + asyncTimeoutMillis(spec) + " ms, beyond the retry budget"));
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
