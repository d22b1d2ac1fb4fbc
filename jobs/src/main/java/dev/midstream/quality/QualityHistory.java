package dev.midstream.quality;

import dev.midstream.model.JdbcLogin;
import dev.midstream.sink.QualityTable;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The job's quality history, exact under failure: the counts of every {@link Tally} and counting operator arrive
 * here (parallelism 1) ahead of each checkpoint barrier, are summed, stamped with the checkpoint and kept in
 * operator state until that checkpoint completes, then written to the {@link QualityTable}. A restore rolls the
 * sums back with the sources' offsets, so a replayed record is counted once; rows of a completed checkpoint that
 * were not written before a failure are in the restored state and written then. A run id, kept in state, tells
 * fresh starts apart (their checkpoint ids start again at 1). Without checkpointing, the counts are written when
 * the input ends.
 */
public class QualityHistory extends AbstractStreamOperator<Void> implements OneInputStreamOperator<QualityCount, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(QualityHistory.class);

    private final JdbcLogin login;
    private final QualityTable table;
    private final boolean checkpointed;

    private transient Map<String, QualityCount> current;
    private transient List<QualityCount> pending;
    private transient ListState<QualityCount> pendingState;
    private transient ListState<String> runState;
    private transient String run;
    private transient Connection connection;

    /** {@code checkpointed}: whether the job takes checkpoints (else the counts are written at the end of input). */
    public QualityHistory(JdbcLogin login, QualityTable table, boolean checkpointed) {
        this.login = login;
        this.table = table;
        this.checkpointed = checkpointed;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("quality-pending", QualityCount.TYPE));
        runState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("quality-run", Types.STRING));
        pending = new ArrayList<>();
        pendingState.get().forEach(pending::add);
        Iterator<String> runs = runState.get().iterator();
        run = runs.hasNext() ? runs.next() : UUID.randomUUID().toString();
        current = new HashMap<>();
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (!pending.isEmpty()) {
            LOG.info("Quality history: writing {} counts of completed checkpoints restored from state", pending.size());
            write(Long.MAX_VALUE);
        }
    }

    @Override
    public void processElement(StreamRecord<QualityCount> element) {
        QualityCount count = element.getValue();
        current.merge(count.key(), count.copy(), (sum, more) -> {
            sum.records += more.records;
            return sum;
        });
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        stamp(context.getCheckpointId());
        pendingState.update(pending);
        runState.update(List.of(run));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        write(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        if (!checkpointed) {
            stamp(0);
            write(Long.MAX_VALUE);
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        super.close();
    }

    private void stamp(long checkpointId) {
        long now = System.currentTimeMillis();
        for (QualityCount count : current.values()) {
            count.checkpointId = checkpointId;
            count.recordedAtMillis = now;
            pending.add(count);
        }
        current.clear();
    }

    /** Writes and forgets every pending count of a checkpoint up to {@code upTo}. */
    private void write(long upTo) throws SQLException {
        List<QualityCount> due = pending.stream().filter(c -> c.checkpointId <= upTo).toList();
        if (due.isEmpty()) {
            return;
        }
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(login.url(), login.properties());
        }
        try (PreparedStatement insert = connection.prepareStatement(table.insertSql())) {
            for (QualityCount c : due) {
                insert.setString(1, run);
                insert.setLong(2, c.checkpointId);
                insert.setString(3, c.pipeline);
                insert.setString(4, c.measure);
                insert.setString(5, c.stage);
                insert.setString(6, c.rule);
                insert.setString(7, c.sourceTopic);
                insert.setInt(8, c.sourcePartition);
                insert.setLong(9, c.records);
                insert.setTimestamp(10, new Timestamp(c.recordedAtMillis));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            // Kept in state: written again after the restart this failure causes.
            throw new SQLException("quality history: writing " + due.size() + " counts to " + table.name()
                    + " failed: " + e.getMessage(), e);
        }
        pending.removeIf(c -> c.checkpointId <= upTo);
    }
}
