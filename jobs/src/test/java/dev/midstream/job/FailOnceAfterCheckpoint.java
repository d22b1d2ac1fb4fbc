package dev.midstream.job;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only fault: passes elements through, and throws once — in the first attempt, after a checkpoint has
 * completed and some elements have passed since. Until then it slows each element a little so a checkpoint
 * completes before a small bounded input runs out. Flags live in static maps (the MiniCluster shares this JVM)
 * keyed by a name, so the test can check the fault really happened.
 */
final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final ConcurrentHashMap<String, Boolean> FAILED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, AtomicInteger> SEEN_AFTER_CHECKPOINT = new ConcurrentHashMap<>();

    private final String name;
    private final int elementsAfterCheckpoint;
    private final long sleepMillis;
    private transient boolean checkpointCompleted;

    FailOnceAfterCheckpoint(String name, int elementsAfterCheckpoint) {
        this(name, elementsAfterCheckpoint, 20);
    }

    /** {@code sleepMillis}: how long each element is held until the failure, e.g. longer for whole batches. */
    FailOnceAfterCheckpoint(String name, int elementsAfterCheckpoint, long sleepMillis) {
        this.name = name;
        this.elementsAfterCheckpoint = elementsAfterCheckpoint;
        this.sleepMillis = sleepMillis;
    }

    @Override
    public T map(T value) throws Exception {
        if (!FAILED.getOrDefault(name, false)) {
            if (checkpointCompleted
                    && SEEN_AFTER_CHECKPOINT.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet()
                            >= elementsAfterCheckpoint) {
                FAILED.put(name, true);
                throw new IllegalStateException("Injected failure (" + name + ")");
            }
            Thread.sleep(sleepMillis);
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
    }
}
