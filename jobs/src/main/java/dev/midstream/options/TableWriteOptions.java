package dev.midstream.options;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the job writes its tables and clean topics: rows per batch (distinct keys), the longest a row waits for its
 * batch, retries of a failed write before the task fails, how a batch reaches PostgreSQL, whether tables are created
 * at start-up, and how far
 * ahead of now a clean topic accepts Kafka timestamps, and where the quality history goes.
 */
public record TableWriteOptions(int batchSize, Duration batchInterval, int maxRetries, WriteMethod writeMethod,
        boolean createTables, Duration topicMaxTimestampAhead, String qualityTable) implements Serializable {
    /** A PostgreSQL table's batches: COPY into a temporary table and one upsert from it, or one upsert statement. */
    public enum WriteMethod { COPY, STATEMENT }

    /** The quality history's table, or null when it is turned off. */
    public String qualityTable() {
        return qualityTable == null || qualityTable.isBlank() || qualityTable.equals("none") ? null : qualityTable;
    }
}
