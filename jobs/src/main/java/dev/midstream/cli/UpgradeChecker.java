package dev.midstream.cli;

import dev.midstream.job.JobArguments;
import dev.midstream.job.JobLauncher;
import dev.midstream.model.ConfigException;
import dev.midstream.upgrade.SavepointCheck;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The Flink side of {@code check-upgrade}: the new job graph, built as {@code flink run} builds it, and the report. */
final class UpgradeChecker {
    private UpgradeChecker() {}

    static int run(String savepoint, List<Path> pipelines, List<Path> transforms, List<String> configuration,
            Function<String, String> env, PrintWriter out, PrintWriter err) throws Exception {
        JobGraph newJob;
        try {
            newJob = jobGraph(arguments(pipelines, transforms, configuration), withStandIns(env));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.PROBLEMS;
        }
        SavepointCheck.Report report;
        try {
            report = SavepointCheck.check(savepoint, newJob);
        } catch (java.io.IOException e) {
            err.println(savepoint + ": cannot read the savepoint (" + e.getMessage() + "); give the savepoint"
                    + " directory that 'flink stop --savepointPath' printed");
            return ExitCodes.PROBLEMS;
        }
        out.print(report.render());
        return report.safe() ? ExitCodes.OK : ExitCodes.STATE_LOST;
    }

    /** The job graph {@code flink run} would submit with these arguments; operator ids derive from uids. */
    static JobGraph jobGraph(JobArguments arguments, Function<String, String> env) {
        // Checkpointing on, as on the cluster: a pipeline with a clean topic refuses to build without it.
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
        StreamExecutionEnvironment flink = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobLauncher.Submission.of(arguments, env).build(flink);
        return flink.getStreamGraph().getJobGraph();
    }

    static JobArguments arguments(List<Path> pipelines, List<Path> transforms, List<String> configuration) {
        List<String> args = new ArrayList<>(configuration);
        pipelines.forEach(p -> {
            args.add("--pipeline");
            args.add(p.toString());
        });
        transforms.forEach(t -> {
            args.add("--transform");
            args.add(t.toString());
        });
        return JobArguments.parse(args.toArray(String[]::new));
    }

    /** Secrets do not change the job graph: stand-ins let the check run where the real ones are not set. */
    private static Function<String, String> withStandIns(Function<String, String> env) {
        return name -> env.apply(name) != null ? env.apply(name) : "stand-in-secret-not-needed-for-the-check";
    }
}
