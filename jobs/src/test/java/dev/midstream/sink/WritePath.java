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
    MARIADB_STATEMENT(Database.MARIADB);

    final Database database;

    WritePath(Database database) {
        this.database = database;
    }

    /** One batch, committed when this returns. */
    void write(Connection c, RecordTable table, List<FlowRecord> batch) throws Exception {
        if (this == POSTGRESQL_COPY) {
            try (PostgresBatchCopy copy = PostgresBatchCopy.open(c, table.sink())) {
                copy.write(batch);
            }
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(table.batchUpsertSql())) {
            table.batchStatementBuilder().accept(statement, batch);
            statement.executeUpdate();
        }
    }
}
