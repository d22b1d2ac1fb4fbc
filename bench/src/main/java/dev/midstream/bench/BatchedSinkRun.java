package dev.midstream.bench;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.Database;
import dev.midstream.model.SinkSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.sink.PostgresBatchCopy;
import dev.midstream.sink.RecordTable;
import dev.midstream.udf.Record;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's table writes without the job: the reference run's final rows through the pipeline's own
 * {@link RecordTable} SQL in batches of a given size: one autocommitted statement per batch as the JDBC connector
 * runs it, or COPY and a merge in one transaction as {@link PostgresBatchCopy} writes it. What a batch size costs PostgreSQL and the writer, without Kafka and Flink.
 */
final class BatchedSinkRun {
    private final Services services;
    private final RecordTable table;

    BatchedSinkRun(Services services) throws Exception {
        this.services = services;
        SinkSpec sink = PipelineReader.parse("orders.yaml", Files.readString(Path.of("pipelines", "orders.yaml")),
                MidstreamRun.env()::get, FunctionCatalog.load()).sink();
        this.table = RecordTable.of(sink, Database.POSTGRESQL);
    }

    static List<FlowRecord> read(String jdbcUrl) throws SQLException {
        List<FlowRecord> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT order_id, customer_id, customer_email_hash,"
                        + " customer_phone_masked, amount, currency, status, channel, event_time, source_topic,"
                        + " source_partition, source_offset FROM orders")) {
                    while (rs.next()) {
                        Record data = new Record().set("order_id", rs.getString(1)).set("customer_id", rs.getString(2))
                                .set("customer_email", rs.getString(3)).set("customer_phone", rs.getString(4))
                                .set("amount", rs.getBigDecimal(5)).set("currency", rs.getString(6))
                                .set("status", rs.getString(7)).set("channel", rs.getString(8))
                                .set("event_time", rs.getObject(9, OffsetDateTime.class).toInstant());
                        rows.add(new FlowRecord(data, rs.getString(10), rs.getInt(11), rs.getLong(12), null));
                    }
                }
            }
        }
        return rows;
    }

    Result write(List<FlowRecord> rows, int batch, boolean copy, CpuMeter cpu) throws Exception {
        String name = String.format(java.util.Locale.ROOT, "table writes only, %,d-row batches%s", batch,
                copy ? ", COPY + merge" : "");
        String jdbcUrl = services.database(Bench.database(name));
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            table.create(c);
            if (copy) {
                try (PostgresBatchCopy writer = PostgresBatchCopy.open(c, table.sink())) {
                    for (int from = 0; from < rows.size(); from += batch) {
                        writer.write(rows.subList(from, Math.min(rows.size(), from + batch)));
                    }
                }
            } else {
                JdbcStatementBuilder<List<FlowRecord>> binder = table.batchStatementBuilder();
                try (PreparedStatement statement = c.prepareStatement(table.batchUpsertSql())) {
                    for (int from = 0; from < rows.size(); from += batch) {
                        binder.accept(statement, rows.subList(from, Math.min(rows.size(), from + batch)));
                        statement.addBatch();
                        statement.executeBatch();
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(name, "sink", seconds, rows.size(), Tables.count(jdbcUrl, "orders"), -1,
                cpu.sample().minus(before), Result.Checkpoints.NONE, null, null);
    }
}
