package dev.midstream.sink;

import dev.midstream.orders.OrderRow;

/**
 * Rows written by one upsert statement. Holds at most one row per order id, so PostgreSQL never sees
 * "ON CONFLICT DO UPDATE command cannot affect row a second time". An array, not a List, so Flink
 * serializes it without Kryo.
 */
public class OrderRowBatch {
    public OrderRow[] rows;

    public OrderRowBatch() {}

    public OrderRowBatch(OrderRow[] rows) {
        this.rows = rows;
    }

    public int size() {
        return rows.length;
    }
}
