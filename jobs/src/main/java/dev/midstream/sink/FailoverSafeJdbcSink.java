package dev.midstream.sink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/**
 * {@code flink-connector-jdbc}'s at-least-once sink, unchanged but for one thing: its writer's {@code close()} does not
 * throw. When the database goes away, the task fails and Flink closes the writer; the connector's close then flushes
 * its pending rows again, fails again (after a failed reconnect its statement is null), and throws out of the task's
 * cleanup, which Flink treats as fatal: the whole TaskManager shuts down (seen in the fault suite with a PostgreSQL
 * restart). Those rows come after the last checkpoint, so the restored job writes them again; dropping them on close
 * loses nothing. A normal end of input flushes before close, and a failed flush there still fails the task. Same
 * writer state, committables and topology as the connector's sink, so savepoints are unaffected. Optionally with a
 * writer of our own ({@link TableWriter}, e.g. {@link PostgresCopyWriter}) in the connector writer's place, under the
 * same rules.
 */
public final class FailoverSafeJdbcSink<IN>
        implements Sink<IN>, SupportsWriterState<IN, JdbcWriterState>, SupportsCommitter<JdbcCommitable> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FailoverSafeJdbcSink.class);

    private final JdbcSink<IN> sink;
    private final String table;
    private final WriterFactory<IN> writers;

    public FailoverSafeJdbcSink(JdbcSink<IN> sink, String table) {
        this(sink, table, null);
    }

    /**
     * The connector's sink with a writer of our own in place of its writer: the same (empty, at-least-once) writer
     * state and committables, so a savepoint of either restores into the other.
     */
    public FailoverSafeJdbcSink(JdbcSink<IN> sink, String table, WriterFactory<IN> writers) {
        this.sink = sink;
        this.table = table;
        this.writers = writers;
    }

    /** Whether a writer of our own replaces the connector's. */
    public boolean ownWriter() {
        return writers != null;
    }

    /** A writer shaped like the connector's at-least-once one: no state, no committables, a close that never throws. */
    public interface TableWriter<IN>
            extends StatefulSinkWriter<IN, JdbcWriterState>, CommittingSinkWriter<IN, JdbcCommitable> {
        @Override
        default Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
            return List.of();
        }

        @Override
        default List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
            return List.of();
        }

        @Override
        void close();
    }

    @FunctionalInterface
    public interface WriterFactory<IN> extends Serializable {
        TableWriter<IN> create(WriterInitContext context);
    }

    @Override
    public TableWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return writers != null ? writers.create(context) : new Writer<>(sink.createWriter(context), table);
    }

    @Override
    public TableWriter<IN> restoreWriter(WriterInitContext context, Collection<JdbcWriterState> states)
            throws IOException {
        return writers != null ? writers.create(context) : new Writer<>(sink.restoreWriter(context, states), table);
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) throws IOException {
        return sink.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    /** The connector's writer, with a close that logs instead of throwing. */
    static final class Writer<IN> implements TableWriter<IN> {
        private final JdbcWriter<IN> writer;
        private final String table;

        Writer(JdbcWriter<IN> writer, String table) {
            this.writer = writer;
            this.table = table;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            writer.write(element, context);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            writer.writeWatermark(watermark);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
        }

        @Override
        public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
            return writer.prepareCommit();
        }

        @Override
        public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
            return writer.snapshotState(checkpointId);
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (Exception e) {
                // Not the message: the driver's names the failed statement's values.
                LOG.warn("Closing the writer of {} failed ({}); rows not written since the last checkpoint are written"
                        + " again after the restore", table, e.getClass().getSimpleName());
            }
        }
    }
}
