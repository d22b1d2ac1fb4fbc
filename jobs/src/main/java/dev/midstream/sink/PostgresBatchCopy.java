package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.core.memory.DataOutputSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes batches to a PostgreSQL table on one connection, one transaction each: the batch's texts by
 * {@code COPY … FROM STDIN (FORMAT binary)} into the session's staging table, then the table's upsert reading from
 * it, then the commit. The same casts, version gate and deletes as {@link PostgresRecordTable#batchUpsertSql()},
 * without text arrays to escape in the JVM and parse in PostgreSQL. A failed batch is rolled back whole.
 */
public final class PostgresBatchCopy implements AutoCloseable {
    private static final byte[] HEADER = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};

    private final Connection connection;
    private final CopyManager copies;
    private final PreparedStatement merge;
    private final String copySql;
    private final PostgresCopyRow rows;
    private final DataOutputSerializer buffer = new DataOutputSerializer(64 * 1024);

    private PostgresBatchCopy(Connection connection, PostgresRecordTable table) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Made anew per connection, so its columns are this sink's.
            statement.execute("DROP TABLE IF EXISTS " + PostgresRecordTable.STAGING_TABLE);
            statement.execute(table.stagingTableSql());
        }
        connection.commit();
        this.copies = connection.unwrap(PGConnection.class).getCopyAPI();
        this.merge = connection.prepareStatement(table.mergeSql());
        this.copySql = "COPY " + PostgresRecordTable.STAGING_TABLE + " FROM STDIN (FORMAT binary)";
        this.rows = new PostgresCopyRow(table.sink());
    }

    /** Takes the connection over: autocommit off, the staging table created (again). */
    public static PostgresBatchCopy open(Connection connection, SinkSpec sink) throws SQLException {
        return new PostgresBatchCopy(connection, new PostgresRecordTable(sink));
    }

    /** Copies, merges and commits one batch (each key once, as {@link RecordBatcher} makes them). */
    public void write(List<FlowRecord> batch) throws SQLException {
        try {
            encode(batch);
            CopyIn copy = copies.copyIn(copySql);
            try {
                copy.writeToCopy(buffer.getSharedBuffer(), 0, buffer.length());
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            merge.executeUpdate();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** The batch in COPY's binary format: the rows the batcher encoded, or encoded here if it did not. */
    private void encode(List<FlowRecord> batch) {
        buffer.clear();
        try {
            buffer.write(HEADER);
            RecordBatch encoded = batch instanceof RecordBatch b ? b : null;
            for (int i = 0; i < batch.size(); i++) {
                byte[] row = encoded == null ? null : encoded.row(i);
                buffer.write(row != null ? row : rows.encode(batch.get(i)));
            }
            buffer.write(TRAILER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a growing in-memory buffer does not fail
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() throws SQLException {
        merge.close();
    }
}
