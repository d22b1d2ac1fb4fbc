package dev.midstream.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What PostgreSQL itself can take: the reference run's final rows written by a plain Java program, no Kafka and no
 * Flink. Either {@code COPY … FROM STDIN (FORMAT binary)} into an unlogged staging table and one
 * {@code INSERT … SELECT … ON CONFLICT} merge, or multi-row {@code INSERT … ON CONFLICT} statements of 1,000 rows.
 */
final class CeilingRun {
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final String COLUMNS = "order_id, customer_id, customer_email_hash, customer_phone_masked, amount,"
            + " currency, status, channel, event_time, source_topic, source_partition, source_offset, updated_at";
    private static final String UPDATE = " ON CONFLICT (order_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,"
            + " customer_email_hash = EXCLUDED.customer_email_hash, customer_phone_masked = EXCLUDED.customer_phone_masked,"
            + " amount = EXCLUDED.amount, currency = EXCLUDED.currency, status = EXCLUDED.status,"
            + " channel = EXCLUDED.channel, event_time = EXCLUDED.event_time, source_topic = EXCLUDED.source_topic,"
            + " source_partition = EXCLUDED.source_partition, source_offset = EXCLUDED.source_offset,"
            + " updated_at = EXCLUDED.updated_at WHERE orders.event_time < EXCLUDED.event_time";

    private final Services services;

    CeilingRun(Services services) {
        this.services = services;
    }

    /** One final row, as text (numbers and times in PostgreSQL's input syntax). */
    record Row(String[] text, int partition, long offset) {}

    static List<Row> read(String jdbcUrl) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT order_id, customer_id, customer_email_hash,"
                        + " customer_phone_masked, amount::text, currency, status, channel, event_time::text,"
                        + " source_topic, source_partition, source_offset FROM orders")) {
                    while (rs.next()) {
                        String[] text = new String[10];
                        for (int i = 0; i < 10; i++) {
                            text[i] = rs.getString(i + 1);
                        }
                        rows.add(new Row(text, rs.getInt(11), rs.getLong(12)));
                    }
                }
            }
        }
        return rows;
    }

    Result copyAndMerge(List<Row> rows, CpuMeter cpu) throws Exception {
        String jdbcUrl = services.database("ceiling_copy");
        Tables.execute(jdbcUrl, Tables.CREATE_ORDERS, "CREATE UNLOGGED TABLE staging (order_id text, customer_id text,"
                + " customer_email_hash text, customer_phone_masked text, amount text, currency text, status text,"
                + " channel text, event_time text, source_topic text, source_partition integer, source_offset bigint)");
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staging FROM STDIN (FORMAT binary)");
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(buffer);
            out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            out.writeInt(0);
            out.writeInt(0);
            for (Row row : rows) {
                out.writeShort(12);
                for (String field : row.text()) {
                    writeText(out, field);
                }
                out.writeInt(4);
                out.writeInt(row.partition());
                out.writeInt(8);
                out.writeLong(row.offset());
                if (buffer.size() > (1 << 20)) {
                    copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            out.writeShort(-1);
            copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            copy.endCopy();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO orders (" + COLUMNS + ") SELECT order_id, customer_id, customer_email_hash,"
                        + " customer_phone_masked, amount::numeric(15,3), currency, status, channel,"
                        + " event_time::timestamptz, source_topic, source_partition, source_offset, now() FROM staging"
                        + UPDATE);
            }
            c.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("ceiling: COPY binary + merge", "ceiling", seconds, rows.size(), Tables.count(jdbcUrl, "orders"),
                -1, cpu.sample().minus(before), Result.Checkpoints.NONE, null, null);
    }

    private static void writeText(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    Result multiRowUpserts(List<Row> rows, CpuMeter cpu) throws Exception {
        String jdbcUrl = services.database("ceiling_upsert");
        Tables.execute(jdbcUrl, Tables.CREATE_ORDERS);
        StringBuilder sql = new StringBuilder("INSERT INTO orders (" + COLUMNS + ") VALUES ");
        for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?::numeric(15,3), ?, ?, ?, ?::timestamptz, ?, ?, ?, now())");
        }
        sql.append(UPDATE);
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (PreparedStatement full = c.prepareStatement(sql.toString())) {
                int n = 0;
                for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                    int to = Math.min(rows.size(), from + ROWS_PER_STATEMENT);
                    if (to - from < ROWS_PER_STATEMENT) {
                        StringBuilder tail = new StringBuilder("INSERT INTO orders (" + COLUMNS + ") VALUES ");
                        for (int i = from; i < to; i++) {
                            tail.append(i == from ? "" : ", ").append(
                                    "(?, ?, ?, ?, ?::numeric(15,3), ?, ?, ?, ?::timestamptz, ?, ?, ?, now())");
                        }
                        try (PreparedStatement last = c.prepareStatement(tail + UPDATE)) {
                            bind(last, rows.subList(from, to));
                            last.executeUpdate();
                        }
                    } else {
                        bind(full, rows.subList(from, to));
                        full.executeUpdate();
                    }
                    if (++n % 50 == 0) {
                        c.commit();
                    }
                }
            }
            c.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("ceiling: multi-row upserts", "ceiling", seconds, rows.size(), Tables.count(jdbcUrl, "orders"),
                -1, cpu.sample().minus(before), Result.Checkpoints.NONE, null, null);
    }

    private static void bind(PreparedStatement statement, List<Row> rows) throws SQLException {
        int p = 1;
        for (Row row : rows) {
            for (String field : row.text()) {
                statement.setString(p++, field);
            }
            statement.setInt(p++, row.partition());
            statement.setLong(p++, row.offset());
        }
    }
}
