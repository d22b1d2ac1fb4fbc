package dev.midstream.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.model.Database;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.sink.QualityTable;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The history's contract with checkpoints, in Flink's harness against PostgreSQL: counts reach the table only when
 * their checkpoint completes; a restore from an earlier checkpoint forgets what came after it (the replay counts it
 * again), writes what it holds of completed checkpoints, and keeps the run id.
 */
class QualityHistoryTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static OneInputStreamOperatorTestHarness<QualityCount, Void> harness(TestDatabase db) throws Exception {
        QualityTable table = new QualityTable(SqlIdentifier.of("dq_counts"), Database.POSTGRESQL);
        try (Connection c = db.connect()) {
            table.create(c);
        }
        return new OneInputStreamOperatorTestHarness<>(new QualityHistory(new dev.midstream.model.JdbcLogin(db.jdbcUrl(), null, null), table, true));
    }

    private static QualityCount read(long records) {
        return new QualityCount("orders", QualityCount.READ, "", "", "ods.orders", 0, records);
    }

    private static long[] table(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(sum(records), 0), count(DISTINCT run_id),"
                        + " count(DISTINCT checkpoint_id) FROM dq_counts")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
        }
    }

    @Test
    void countsAreWrittenWhenTheirCheckpointCompletesAndARestoreCountsTheReplayOnce() throws Exception {
        TestDatabase db = POSTGRES.newDatabase("history");
        OperatorSubtaskState afterFirst;
        try (var h = harness(db)) {
            h.open();
            h.processElement(read(10), 0);
            h.processElement(read(5), 0);
            afterFirst = h.snapshot(1, 1);
            assertEquals(0, table(db)[0], "nothing before the checkpoint completes");
            h.notifyOfCompletedCheckpoint(1);
            assertEquals(15, table(db)[0], "checkpoint 1's counts");
            h.processElement(read(7), 0);
            h.snapshot(2, 2);
            // The task fails here: checkpoint 2 never completes, its 7 records are read again after the restore.
        }
        assertEquals(15, table(db)[0], "an incomplete checkpoint's counts are never written");
        try (var h = harness(db)) {
            h.initializeState(afterFirst);
            h.open();
            h.processElement(read(7), 0);
            h.processElement(read(3), 0);
            h.snapshot(3, 3);
            h.notifyOfCompletedCheckpoint(3);
        }
        assertEquals(25, table(db)[0], "the replay counted once: 15 + 7 + 3");
        assertEquals(1, table(db)[1], "one run across the restore");
        assertEquals(2, table(db)[2], "rows of checkpoints 1 and 3");
    }

    @Test
    void countsOfACompletedCheckpointNotYetWrittenAreWrittenAfterTheRestore() throws Exception {
        TestDatabase db = POSTGRES.newDatabase("history_restore");
        OperatorSubtaskState snapshot;
        try (var h = harness(db)) {
            h.open();
            h.processElement(read(4), 0);
            snapshot = h.snapshot(1, 1);
            // Checkpoint 1 completes on the JobManager, but the task fails before it hears so.
        }
        assertEquals(0, table(db)[0]);
        try (var h = harness(db)) {
            h.initializeState(snapshot);
            h.open();
        }
        assertEquals(4, table(db)[0], "written from the restored state");
        try (var h = harness(db)) {
            h.initializeState(snapshot);
            h.open();
        }
        assertEquals(4, table(db)[0], "a second restore of the same state writes nothing twice");
    }
}
