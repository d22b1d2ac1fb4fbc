package dev.midstream.upgrade;

import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;

import java.io.DataInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before an upgrade: which operator states of a savepoint the new version of the job restores, which operators
 * are new, and which states would be dropped (a stateful step whose uid changed or disappeared). Reads the
 * savepoint's {@code _metadata} and the new job graph; deploys nothing.
 * {@code midstream check-upgrade} runs it against the job graph {@code flink run} would submit.
 */
public final class SavepointCheck {
    private SavepointCheck() {}

    /** One operator of the savepoint or of the new job. */
    public record Operator(String uid, String name, long stateBytes) {}

    public record Report(String savepoint, List<Operator> restored, List<Operator> added, List<Operator> dropped) {
        public boolean safe() {
            return dropped.isEmpty();
        }

        public String render() {
            StringBuilder out = new StringBuilder("Savepoint " + savepoint + " against the new job:\n");
            restored.forEach(o -> out.append(String.format("  restored  %-46s %-46s %,d bytes of state%n", o.uid(), o.name(), o.stateBytes())));
            added.forEach(o -> out.append(String.format("  new       %-46s %-46s starts empty%n", o.uid(), o.name())));
            dropped.forEach(o -> out.append(String.format("  DROPPED   %-46s %-46s %,d bytes of state would be lost%n", o.uid(), o.name(), o.stateBytes())));
            out.append(safe() ? "Safe to upgrade: every operator state in the savepoint has an operator to restore it.\n"
                    : "NOT safe: the new job has no operator for " + dropped.size() + " state(s). Keep the old uid(s)"
                            + " (pipeline name and step ids), or accept the loss with --allowNonRestoredState.\n");
            return out.toString();
        }
    }

    public static Report check(String savepoint, JobGraph newJob) throws Exception {
        Map<OperatorID, OperatorState> saved = new LinkedHashMap<>();
        for (OperatorState state : load(savepoint).getOperatorStates()) {
            saved.put(state.getOperatorID(), state);
        }
        Map<OperatorID, Operator> planned = new LinkedHashMap<>();
        for (JobVertex vertex : newJob.getVertices()) {
            for (OperatorIDPair pair : vertex.getOperatorIDs()) {
                planned.put(pair.getGeneratedOperatorID(),
                        new Operator(pair.getUserDefinedOperatorUid(), pair.getUserDefinedOperatorName(), 0));
            }
        }
        List<Operator> restored = new ArrayList<>();
        List<Operator> added = new ArrayList<>();
        List<Operator> dropped = new ArrayList<>();
        planned.forEach((id, operator) -> {
            OperatorState state = saved.get(id);
            if (state == null) {
                added.add(operator);
            } else if (hasState(state)) {
                restored.add(new Operator(operator.uid(), operator.name(), state.getStateSize()));
            }
        });
        saved.forEach((id, state) -> {
            if (!planned.containsKey(id) && hasState(state)) {
                dropped.add(new Operator(state.getOperatorUid().orElse(id.toHexString()),
                        state.getOperatorName().orElse("?"), state.getStateSize()));
            }
        });
        return new Report(savepoint, restored, added, dropped);
    }

    private static boolean hasState(OperatorState state) {
        return state.getStateSize() > 0 || state.getCoordinatorState() != null;
    }

    private static CheckpointMetadata load(String pointer) throws Exception {
        CompletedCheckpointStorageLocation location = AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(pointer);
        try (InputStream in = location.getMetadataHandle().openInputStream()) {
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), SavepointCheck.class.getClassLoader(), pointer);
        }
    }
}
