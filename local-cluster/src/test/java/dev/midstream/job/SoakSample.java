package dev.midstream.job;

import java.util.Locale;

/**
 * One minute of the soak: what went in and came out, how fast, and what the job held at the minute's end.
 *
 * @param minute minutes since the feed started, at the end of the window
 * @param sentPerSecond events produced to the topic
 * @param landedPerSecond orders whose first version landed in the table (a trigger stamps it)
 * @param lag records sent but not yet read by the job as far as its completed checkpoints show (the quality history)
 * @param latencyP50Ms from an order's first event sent to its first row in the table, over the window's landings
 * @param checkpointMs the latest completed checkpoint's end-to-end duration
 * @param checkpointBytes what the latest checkpoint wrote (incremental)
 * @param stateBytes the latest checkpoint's full state size
 * @param rocksDbLiveBytes RocksDB's estimate of its live data, summed over every operator and subtask
 * @param heapFloorMb the TaskManager's lowest heap use of the window's samples (every 5 s), which tracks the heap
 *     left after collections
 * @param taskManagerFds the TaskManager process's open file descriptors
 * @param jobManagerFds the JobManager process's open file descriptors
 * @param kills TaskManager kills so far
 */
record SoakSample(double minute, double sentPerSecond, double landedPerSecond, long lag, long latencyP50Ms,
        long latencyP99Ms, double checkpointMs, double checkpointBytes, double stateBytes, double rocksDbLiveBytes,
        double heapFloorMb, int taskManagerFds, int jobManagerFds, int kills) {
    static final String CSV_HEADER = "minute,sent_per_s,landed_per_s,lag_records,latency_p50_ms,latency_p99_ms,"
            + "checkpoint_ms,checkpoint_bytes,state_bytes,rocksdb_live_bytes,heap_floor_mb,taskmanager_fds,"
            + "jobmanager_fds,taskmanager_kills";

    String csv() {
        return String.format(Locale.ROOT, "%.1f,%.0f,%.0f,%d,%d,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%d,%d,%d", minute,
                sentPerSecond, landedPerSecond, lag, latencyP50Ms, latencyP99Ms, checkpointMs, checkpointBytes,
                stateBytes, rocksDbLiveBytes, heapFloorMb, taskManagerFds, jobManagerFds, kills);
    }

    String markdown() {
        return String.format(Locale.ROOT, "| %.0f | %,.0f | %,.0f | %,d | %,d / %,d | %,.0f | %.1f / %.1f | %.1f | %,.0f | %d / %d | %d |",
                minute, sentPerSecond, landedPerSecond, lag, latencyP50Ms, latencyP99Ms, checkpointMs,
                checkpointBytes / 1e6, stateBytes / 1e6, rocksDbLiveBytes / 1e6, heapFloorMb, taskManagerFds,
                jobManagerFds, kills);
    }

    static final String MARKDOWN_HEADER = "| minute | sent/s | landed/s | lag | latency p50 / p99 ms | checkpoint ms |"
            + " checkpoint / state MB | RocksDB live MB | heap floor MB | fds TM / JM | kills |\n"
            + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";
}
