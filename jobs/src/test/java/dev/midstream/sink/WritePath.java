package dev.midstream.sink;

import dev.midstream.model.Database;
import dev.midstream.record.FlowRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/** The ways the job writes a batch to a table, so the tests of a table's semantics run each of them. */
enum WritePath {
    POSTGRESQL_STATEMENT(Database.POSTGRESQL),
    POSTGRESQL_COPY(Database.POSTGRESQL),
    /** As the job does: each row encoded by the batcher when its record arrived. */
    POSTGRESQL_COPY_ROWS_FROM_THE_BATCHER(Database.POSTGRESQL),
    MARIADB_STATEMENT(Database.MARIADB);

    final Database database;

    WritePath(Database database) {
        this.database = database;
    }

    /** One batch, committed when this returns. */
    void write(Connection c, RecordTable table, List<FlowRecord> batch) throws Exception {
        if (this == POSTGRESQL_COPY || this == POSTGRESQL_COPY_ROWS_FROM_THE_BATCHER) {
            try (PostgresBatchCopy copy = PostgresBatchCopy.open(c, table.sink())) {
                copy.write(this == POSTGRESQL_COPY ? batch : encoded(table, batch));
            }
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(table.batchUpsertSql())) {
            table.batchStatementBuilder().accept(statement, batch);
            statement.executeUpdate();
        }
    }

    private static RecordBatch encoded(RecordTable table, List<FlowRecord> batch) {
        PostgresCopyRow rows = new PostgresCopyRow(table.sink());
        return new RecordBatch(batch.toArray(FlowRecord[]::new),
                batch.stream().map(rows::encode).toArray(byte[][]::new));
    }
}
