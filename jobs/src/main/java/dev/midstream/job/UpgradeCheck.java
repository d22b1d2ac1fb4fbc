package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.config.ConfigException;
import dev.midstream.config.ConfigSource;
import dev.midstream.pipeline.PipelineSpec;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before an upgrade: which operator states of a savepoint the new version of the job restores, which operators
 * are new, and which states would be dropped (a stateful step whose uid changed or disappeared). Reads the
 * savepoint's {@code _metadata} and the new job graph; deploys nothing.
 * <pre>java -cp 'lib/*:midstream-jobs-…-flink.jar' dev.midstream.job.UpgradeCheck --savepoint &lt;path&gt; --config &lt;file&gt;
 *     [--pipeline &lt;file&gt;…] [--key value…]</pre>
 * With {@code --pipeline} the new job is the pipelines job of those files, as {@link PipelinesJob} would submit it;
 * without, the hand-built orders job of {@link CleanseJob}.
 * Exit code 0: safe; 1: state would be lost; 2: bad arguments or configuration.
 */
public final class UpgradeCheck {
    private UpgradeCheck() {}

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
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), UpgradeCheck.class.getClassLoader(), pointer);
        }
    }

    /** The job graph the new configuration would submit; operator ids derive from uids, as on a real submission. */
    public static JobGraph jobGraph(CleanseConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        CleanseTopology.build(env, ProductionSources.kafka(config), ProductionSinks.of(config), config);
        return env.getStreamGraph().getJobGraph();
    }

    /** The job graph a pipelines job of these files would submit. */
    public static JobGraph jobGraph(CleanseConfig config, List<PipelineSpec> pipelines) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        PipelineSinks sinks = ProductionSinks.forPipeline(config);
        for (PipelineSpec spec : pipelines) {
            PipelineTopology.build(env, spec, PipelinesJob.kafka(config, spec), sinks, PipelineTopology.Defaults.of(config));
        }
        return env.getStreamGraph().getJobGraph();
    }

    public static void main(String[] args) throws Exception {
        String savepoint = null;
        List<String> rest = new ArrayList<>();
        List<Path> pipelineFiles = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--savepoint") && i + 1 < args.length) {
                savepoint = args[++i];
            } else if (args[i].equals("--pipeline") && i + 1 < args.length) {
                pipelineFiles.add(Path.of(args[++i]));
            } else {
                rest.add(args[i]);
            }
        }
        if (savepoint == null) {
            System.err.println("usage: UpgradeCheck --savepoint <path> --config <file> [--pipeline <file>…] [--key value…]");
            System.exit(2);
        }
        JobGraph newJob;
        try {
            // Secrets do not change the job graph; stand-ins let the check run where the real ones are not set.
            java.util.function.Function<String, String> env =
                    name -> System.getenv(name) != null ? System.getenv(name) : "secret-not-needed-for-the-check";
            CleanseConfig config = CleanseConfig.load(ConfigSource.fromArgs(rest.toArray(String[]::new)), env);
            newJob = pipelineFiles.isEmpty() ? jobGraph(config) : jobGraph(config, PipelinesJob.read(pipelineFiles, env));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Report report = check(savepoint, newJob);
        System.out.print(report.render());
        System.exit(report.safe() ? 0 : 1);
    }
}
