package dev.midstream.enrich;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.quality.QualityCount;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.Database;
import dev.midstream.model.JdbcLogin;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.record.FlowRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Enriches records from a small reference table in the job's database through a bounded, TTL'd cache (see
 * {@link LookupSpec}): one query per key and TTL at most, not per record. Names are validated and quoted; the key
 * is a bound parameter. A database error fails the task, and Flink restarts it; a missing row leaves the fields
 * unset or, as configured, sends the record to dead letters ({@code enrich/lookup_missing}). Counts
 * {@code midstream.lookup.<id>.queries}, {@code .hits} and {@code .missing}.
 */
public class JdbcLookupEnricher extends ProcessFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final LookupSpec spec;
    private final JdbcLogin login;
    private final DeadLetterFactory deadLetters;
    private final LongSupplier clock;

    private transient Connection connection;
    private transient PreparedStatement query;
    private transient LookupCache<String, Map<String, Object>> cache;
    private transient StageMetrics metrics;
    private transient Counter queries;
    private transient Counter hits;
    private transient Counter missing;

    public JdbcLookupEnricher(LookupSpec spec, JdbcLogin login, DeadLetterFactory deadLetters) {
        this(spec, login, deadLetters, (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    JdbcLookupEnricher(LookupSpec spec, JdbcLogin login, DeadLetterFactory deadLetters,
            LongSupplier clock) {
        this.spec = spec;
        this.login = login;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** {@code SELECT "c1", "c2" FROM "table" WHERE "key" = ?}: only validated, quoted names; the key is bound. */
    public static String sql(LookupSpec spec) {
        return sql(spec, '"');
    }

    /** As {@link #sql(LookupSpec)}, with the database's identifier quote (MariaDB's backtick). */
    static String sql(LookupSpec spec, char quote) {
        String columns = spec.columns().values().stream().distinct().map(c -> SqlIdentifier.of(c).quoted(quote))
                .collect(Collectors.joining(", "));
        return "SELECT " + columns + " FROM " + SqlIdentifier.of(spec.table()).quoted(quote) + " WHERE "
                + SqlIdentifier.of(spec.keyColumn()).quoted(quote) + " = ?";
    }

    @Override
    public void open(OpenContext openContext) throws SQLException {
        connection = DriverManager.getConnection(login.url(), login.properties());
        query = connection.prepareStatement(sql(spec, login.database() == Database.MARIADB ? '`' : '"'));
        cache = new LookupCache<>(spec.cacheSize(), spec.ttl().toMillis(), clock);
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        queries = metrics.counter("lookup", spec.id() + ".queries");
        hits = metrics.counter("lookup", spec.id() + ".hits");
        missing = metrics.counter("lookup", spec.id() + ".missing");
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) throws SQLException {
        Object keyValue = record.data.get(spec.keyField());
        Optional<Map<String, Object>> row = keyValue == null ? Optional.empty() : lookup(keyValue.toString());
        if (row.isEmpty()) {
            missing.inc();
            if (spec.rejectMissing()) {
                metrics.rejected(Stage.ENRICH, "lookup_missing");
                ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.ENRICH, spec.id(), "lookup_missing", spec.keyField(),
                        "no row in " + spec.table() + " for " + spec.keyField() + " (lookup '" + spec.id() + "')",
                        record.sourceTopic, record.sourcePartition, record.sourceOffset, record.payload));
                return;
            }
            ctx.output(QualityCount.TAG, new QualityCount(deadLetters.pipeline(), QualityCount.UNMATCHED,
                    Stage.ENRICH.id() + ":" + spec.id(), "lookup_missing", record.sourceTopic, record.sourcePartition, 1));
            out.collect(record);
            return;
        }
        for (Map.Entry<String, String> column : spec.columns().entrySet()) {
            record.data.set(column.getKey(), row.get().get(column.getValue()));
        }
        out.collect(record);
    }

    private Optional<Map<String, Object>> lookup(String key) throws SQLException {
        Optional<Map<String, Object>> cached = cache.get(key);
        if (cached != null) {
            hits.inc();
            return cached;
        }
        queries.inc();
        query.setString(1, key);
        Optional<Map<String, Object>> row = Optional.empty();
        try (ResultSet rs = query.executeQuery()) {
            if (rs.next()) {
                Map<String, Object> values = new java.util.HashMap<>();
                for (String column : new ArrayList<>(spec.columns().values())) {
                    values.put(column, value(rs.getObject(column)));
                }
                row = Optional.of(values);
            }
        }
        cache.put(key, row);
        return row;
    }

    /** A column value as a record value: text, whole numbers, decimals, booleans, timestamps. */
    private static Object value(Object sql) {
        if (sql == null || sql instanceof String || sql instanceof Boolean || sql instanceof BigDecimal) {
            return sql;
        }
        if (sql instanceof Integer || sql instanceof Long || sql instanceof Short) {
            return ((Number) sql).longValue();
        }
        if (sql instanceof Double || sql instanceof Float) {
            return new BigDecimal(sql.toString());
        }
        if (sql instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (sql instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return sql.toString();
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
