package dev.midstream.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** The orders tables every contender writes, read back for counting and comparing. */
final class Tables {
    /** The business columns every contender writes the same way, as one comparable text per order id. */
    static final String ROW = "concat_ws('|', customer_id, customer_email_hash, customer_phone_masked, amount::text,"
            + " currency, status, channel, (extract(epoch from event_time) * 1000)::bigint)";

    /** The orders table, as {@code pipelines/orders.yaml} creates it, for the contenders that do not create it. */
    static final String CREATE_ORDERS = """
            CREATE TABLE IF NOT EXISTS orders (
              order_id text PRIMARY KEY,
              customer_id text,
              customer_email_hash text,
              customer_phone_masked text,
              amount numeric(15,3),
              currency text,
              status text,
              channel text,
              event_time timestamptz,
              source_topic text,
              source_partition integer,
              source_offset bigint,
              updated_at timestamptz)""";

    private Tables() {}

    static long count(String jdbcUrl, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(String jdbcUrl, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** {@link #ROW} in MariaDB's words: the same text for the same row. */
    static final String MARIADB_ROW = "concat_ws('|', customer_id, customer_email_hash, customer_phone_masked,"
            + " CAST(amount AS CHAR), currency, status, channel,"
            + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', event_time) DIV 1000)";

    static Map<String, String> rows(String jdbcUrl) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                String row = jdbcUrl.startsWith("jdbc:mariadb:") ? MARIADB_ROW : ROW;
                try (ResultSet rs = s.executeQuery("SELECT order_id, " + row + " FROM orders")) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return rows;
    }

    static Result.Comparison compare(Map<String, String> reference, Map<String, String> other) {
        return compare(reference, other, new java.util.ArrayList<>());
    }

    /** The same, adding up to three differing rows to {@code examples} (reference, then theirs). */
    static Result.Comparison compare(Map<String, String> reference, Map<String, String> other, java.util.List<String> examples) {
        long equal = 0;
        long differ = 0;
        long missing = 0;
        for (Map.Entry<String, String> row : reference.entrySet()) {
            String theirs = other.get(row.getKey());
            if (theirs == null) {
                missing++;
            } else if (theirs.equals(row.getValue())) {
                equal++;
            } else {
                differ++;
                if (examples.size() < 3) {
                    examples.add(row.getKey() + ": " + row.getValue() + "  vs  " + theirs);
                }
            }
        }
        long extra = other.keySet().stream().filter(k -> !reference.containsKey(k)).count();
        return new Result.Comparison(equal, differ, missing, extra);
    }

    /** Records when each order id first lands ({@code clock_timestamp()} in an insert trigger), for latency. */
    static void recordLandings(String jdbcUrl) throws SQLException {
        execute(jdbcUrl,
                "CREATE TABLE IF NOT EXISTS landed (order_id text PRIMARY KEY, at timestamptz NOT NULL)",
                "CREATE OR REPLACE FUNCTION note_landed() RETURNS trigger AS $$ BEGIN"
                        + " INSERT INTO landed VALUES (NEW.order_id, clock_timestamp()) ON CONFLICT DO NOTHING;"
                        + " RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER orders_landed AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION note_landed()");
    }

    static Map<String, Long> landings(String jdbcUrl) throws SQLException {
        Map<String, Long> landed = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT order_id, (extract(epoch from at) * 1000)::bigint FROM landed")) {
            while (rs.next()) {
                landed.put(rs.getString(1), rs.getLong(2));
            }
        }
        return landed;
    }
}
