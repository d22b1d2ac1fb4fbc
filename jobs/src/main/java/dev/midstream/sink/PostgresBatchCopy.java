package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Writes batches to a PostgreSQL table on one connection, one transaction each: the batch's texts by
 * {@code COPY … FROM STDIN (FORMAT binary)} into the session's staging table, then the table's upsert reading from
 * it, then the commit. The same casts, version gate and deletes as {@link PostgresRecordTable#batchUpsertSql()},
 * without text arrays to escape in the JVM and parse in PostgreSQL. A failed batch is rolled back whole.
 */
public final class PostgresBatchCopy implements AutoCloseable {
    private static final byte[] HEADER = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private final Connection connection;
    private final CopyManager copies;
    private final PreparedStatement merge;
    private final String copySql;
    private final List<RecordTable.FieldReader> fields;
    private final boolean hardDeletes;
    private byte[] buffer = new byte[64 * 1024];
    private int length;

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
        this.fields = table.boundColumns().stream().map(c -> RecordTable.FieldReader.of(c.field())).toList();
        this.hardDeletes = table.sink().deletes() == SinkSpec.Deletes.HARD;
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
                copy.writeToCopy(buffer, 0, length);
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

    /** The batch in COPY's binary format: every column as text, as the staging table holds it. */
    private void encode(List<FlowRecord> batch) {
        length = 0;
        put(HEADER, HEADER.length);
        short columns = (short) (fields.size() + (hardDeletes ? 1 : 0));
        for (FlowRecord record : batch) {
            ensure(2);
            buffer[length++] = (byte) (columns >>> 8);
            buffer[length++] = (byte) columns;
            for (RecordTable.FieldReader field : fields) {
                String text = RecordTable.text(field.read(record));
                if (text == null) {
                    putInt(-1);
                } else {
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    putInt(utf8.length);
                    put(utf8, utf8.length);
                }
            }
            if (hardDeletes) {
                byte[] flag = record.deleted ? TRUE : FALSE;
                putInt(flag.length);
                put(flag, flag.length);
            }
        }
        ensure(2);
        buffer[length++] = (byte) 0xFF;
        buffer[length++] = (byte) 0xFF;
    }

    private void putInt(int value) {
        ensure(4);
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void put(byte[] bytes, int count) {
        ensure(count);
        System.arraycopy(bytes, 0, buffer, length, count);
        length += count;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
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
