package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.orders.OrderRow;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

/** The upsert statement against a real PostgreSQL 17. */
class OrderTableIntegrationTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private final OrderTable table = new OrderTable(SqlIdentifier.of("orders"));
    private Connection connection;

    @BeforeEach
    void createTable() throws Exception {
        TestDatabase db = POSTGRES.newDatabase("order_table");
        connection = db.connect();
        table.create(connection);
    }

    private static OrderRow row(String id, String time, String amount, String status) {
        OrderRow r = new OrderRow();
        r.orderId = id;
        r.customerId = "C-1";
        r.customerEmailHash = "a".repeat(64);
        r.customerPhoneMasked = id.equals("B") ? null : "*******0123";
        r.amount = new BigDecimal(amount);
        r.currency = "USD";
        r.status = status;
        r.channel = id.equals("B") ? null : "web";
        r.eventTime = Instant.parse(time);
        r.sourceTopic = "ods.orders";
        r.sourcePartition = 1;
        r.sourceOffset = 42;
        return r;
    }

    private int upsert(OrderRow... rows) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(table.upsertSql())) {
            OrderTable.bind(statement, new OrderRowBatch(rows));
            return statement.executeUpdate();
        }
    }

    private String stored(String id) throws Exception {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, amount, event_time, customer_phone_masked, channel"
                     + " FROM orders WHERE order_id = '" + id + "'")) {
            assertTrue(rs.next(), "row " + id);
            return rs.getString(1) + " " + rs.getBigDecimal(2).toPlainString() + " "
                    + rs.getObject(3, java.time.OffsetDateTime.class).toInstant() + " " + rs.getString(4) + " " + rs.getString(5);
        }
    }

    @Test
    void batchInsertsEveryRowWithExactValues() throws Exception {
        assertEquals(2, upsert(row("A", "2026-11-01T00:00:00.123Z", "12.50", "created"),
                row("B", "2026-11-01T00:00:00Z", "1500", "created")));
        assertEquals("created 12.500 2026-11-01T00:00:00.123Z *******0123 web", stored("A"));
        assertEquals("created 1500.000 2026-11-01T00:00:00Z null null", stored("B"));
    }

    @Test
    void newerVersionReplacesTheRow() throws Exception {
        upsert(row("A", "2026-11-01T00:00:00Z", "12.50", "created"));
        assertEquals(1, upsert(row("A", "2026-11-01T01:00:00Z", "12.50", "paid")));
        assertEquals("paid 12.500 2026-11-01T01:00:00Z *******0123 web", stored("A"));
    }

    @Test
    void olderVersionNeverOverwritesNewer() throws Exception {
        upsert(row("A", "2026-11-01T01:00:00Z", "12.50", "paid"));
        assertEquals(0, upsert(row("A", "2026-11-01T00:00:00Z", "99.00", "created")));
        assertEquals("paid 12.500 2026-11-01T01:00:00Z *******0123 web", stored("A"));
    }

    @Test
    void replayingABatchChangesNothing() throws Exception {
        OrderRow[] batch = {row("A", "2026-11-01T00:00:00Z", "12.50", "created"), row("B", "2026-11-01T00:00:00Z", "3", "paid")};
        upsert(batch);
        assertEquals(0, upsert(batch));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test
    void sameKeyTwiceInOneStatementIsWhatPostgresRefuses() throws Exception {
        // Why UpsertBatcher keeps one row per key per batch.
        var e = assertThrows(java.sql.SQLException.class, () -> upsert(
                row("A", "2026-11-01T00:00:00Z", "1", "created"), row("A", "2026-11-01T01:00:00Z", "2", "paid")));
        assertTrue(e.getMessage().contains("cannot affect row a second time"), e.getMessage());
    }
}
