package dev.midstream.sink;

import dev.midstream.orders.OrderRow;
import dev.midstream.orders.OrderSchema;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL orders table: its DDL, its limits, and the idempotent batch upsert. One statement writes a
 * whole {@link OrderRowBatch} through {@code unnest} over array parameters; a row replaces the stored one
 * only if its event time is newer, so replays and out-of-order retries never move a row backwards.
 */
public final class OrderTable {
    /** {@code amount} is {@code numeric(15,3)}: twelve integer digits. */
    public static final BigDecimal AMOUNT_LIMIT = new BigDecimal("1000000000000");

    private static final String COLUMNS = "order_id, customer_id, customer_email_hash, customer_phone_masked,"
            + " amount, currency, status, channel, event_time, source_topic, source_partition, source_offset";

    private final SqlIdentifier table;

    public OrderTable(SqlIdentifier table) {
        this.table = table;
    }

    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + table.sql() + " (\n"
                + "  order_id              varchar(" + OrderSchema.MAX_ID_LENGTH + ") PRIMARY KEY,\n"
                + "  customer_id           varchar(" + OrderSchema.MAX_ID_LENGTH + ") NOT NULL,\n"
                + "  customer_email_hash   char(64) NOT NULL,\n"
                + "  customer_phone_masked varchar(" + OrderSchema.MAX_PHONE_DIGITS + "),\n"
                + "  amount                numeric(15,3) NOT NULL,\n"
                + "  currency              char(3) NOT NULL,\n"
                + "  status                varchar(16) NOT NULL,\n"
                + "  channel               varchar(" + OrderSchema.MAX_CHANNEL_LENGTH + "),\n"
                + "  event_time            timestamptz NOT NULL,\n"
                + "  source_topic          text NOT NULL,\n"
                + "  source_partition      integer NOT NULL,\n"
                + "  source_offset         bigint NOT NULL,\n"
                + "  updated_at            timestamptz NOT NULL DEFAULT now()\n"
                + ")";
    }

    public String upsertSql() {
        return "INSERT INTO " + table.sql() + " (" + COLUMNS + ")\n"
                + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::text[],"
                + " ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::int4[], ?::int8[])\n"
                + "ON CONFLICT (order_id) DO UPDATE SET\n"
                + "  customer_id = EXCLUDED.customer_id, customer_email_hash = EXCLUDED.customer_email_hash,\n"
                + "  customer_phone_masked = EXCLUDED.customer_phone_masked, amount = EXCLUDED.amount,\n"
                + "  currency = EXCLUDED.currency, status = EXCLUDED.status, channel = EXCLUDED.channel,\n"
                + "  event_time = EXCLUDED.event_time, source_topic = EXCLUDED.source_topic,\n"
                + "  source_partition = EXCLUDED.source_partition, source_offset = EXCLUDED.source_offset,\n"
                + "  updated_at = now()\n"
                + "WHERE " + table.sql() + ".event_time < EXCLUDED.event_time";
    }

    /** Why the table would refuse this row, or null if it fits. */
    public static String misfit(OrderRow row) {
        if (row.amount.abs().compareTo(AMOUNT_LIMIT) >= 0) {
            return "amount " + row.amount.toPlainString() + " does not fit numeric(15,3)";
        }
        if (row.amount.scale() > 3) {
            return "amount has more than 3 decimal places";
        }
        return null;
    }

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        }
    }

    /** Binds a batch's columns as twelve arrays, in {@link #COLUMNS} order. */
    public static JdbcStatementBuilder<OrderRowBatch> statementBuilder() {
        return OrderTable::bind;
    }

    static void bind(PreparedStatement statement, OrderRowBatch batch) throws SQLException {
        OrderRow[] rows = batch.rows;
        int n = rows.length;
        String[] orderId = new String[n], customerId = new String[n], emailHash = new String[n],
                phone = new String[n], amount = new String[n], currency = new String[n], status = new String[n],
                channel = new String[n], eventTime = new String[n], topic = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        for (int i = 0; i < n; i++) {
            OrderRow r = rows[i];
            orderId[i] = r.orderId;
            customerId[i] = r.customerId;
            emailHash[i] = r.customerEmailHash;
            phone[i] = r.customerPhoneMasked;
            amount[i] = r.amount.toPlainString();
            currency[i] = r.currency;
            status[i] = r.status;
            channel[i] = r.channel;
            eventTime[i] = r.eventTime.toString();
            topic[i] = r.sourceTopic;
            partition[i] = r.sourcePartition;
            offset[i] = r.sourceOffset;
        }
        Connection c = statement.getConnection();
        statement.setArray(1, c.createArrayOf("text", orderId));
        statement.setArray(2, c.createArrayOf("text", customerId));
        statement.setArray(3, c.createArrayOf("text", emailHash));
        statement.setArray(4, c.createArrayOf("text", phone));
        statement.setArray(5, c.createArrayOf("text", amount));
        statement.setArray(6, c.createArrayOf("text", currency));
        statement.setArray(7, c.createArrayOf("text", status));
        statement.setArray(8, c.createArrayOf("text", channel));
        statement.setArray(9, c.createArrayOf("text", eventTime));
        statement.setArray(10, c.createArrayOf("text", topic));
        statement.setArray(11, c.createArrayOf("int4", partition));
        statement.setArray(12, c.createArrayOf("int8", offset));
    }
}
