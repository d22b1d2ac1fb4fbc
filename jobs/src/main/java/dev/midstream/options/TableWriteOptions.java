package dev.midstream.options;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the job writes its tables: rows per upsert statement (distinct keys), the longest a row waits for its batch,
 * retries of a failed write before the task fails, and whether tables are created at start-up.
 */
public record TableWriteOptions(int batchSize, Duration batchInterval, int maxRetries, boolean createTables)
        implements Serializable {}
