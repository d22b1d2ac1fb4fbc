package dev.midstream.cli;

import dev.midstream.engine.TableSetup;
import dev.midstream.job.JobArguments;
import dev.midstream.job.JobLauncher;
import dev.midstream.model.ConfigException;
import dev.midstream.options.JdbcOptions;
import dev.midstream.sink.TableMigration;
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
        JobLauncher.Submission submission;
        try {
            submission = JobLauncher.Submission.of(arguments(pipelines, transforms, configuration), withStandIns(env));
            newJob = jobGraph(submission);
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
        boolean tablesHold = reportTables(submission, out);
        return !report.safe() ? ExitCodes.STATE_LOST : tablesHold ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    /**
     * The migrations the job would run at start-up on its tables, and what it would refuse; false if it would refuse
     * any. A database that cannot be reached is said so, and is not a problem of the upgrade.
     */
    static boolean reportTables(JobLauncher.Submission submission, PrintWriter out) {
        JdbcOptions jdbc = submission.options().jdbc();
        out.println();
        out.println("Tables (" + jdbc.database().displayName() + " at " + withoutCredentials(jdbc.url()) + "):");
        List<TableMigration> plans;
        try {
            java.sql.DriverManager.setLoginTimeout(10);
            plans = TableSetup.plan(jdbc, submission.job());
        } catch (java.sql.SQLException e) {
            out.println("  not checked: cannot read the tables (" + e.getClass().getSimpleName() + ", SQL state "
                    + e.getSQLState() + "); run check-upgrade where the database is reachable to see the migrations");
            return true;
        }
        boolean holds = true;
        for (TableMigration plan : plans) {
            if (!plan.refusals().isEmpty()) {
                holds = false;
                plan.refusals().forEach(r -> out.println("  REFUSED  " + r));
            }
            for (String statement : plan.statements()) {
                out.println("  ADD      " + plan.table() + ": " + statement);
            }
            if (plan.refusals().isEmpty() && plan.statements().isEmpty()) {
                out.println("  as is    " + plan.table());
            }
        }
        return holds;
    }

    /** The URL without what may hold a secret: its query and any user:password@. */
    static String withoutCredentials(String url) {
        String bare = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return bare.replaceFirst("//[^/@]*@", "//");
    }

    /** The job graph {@code flink run} would submit with these arguments; operator ids derive from uids. */
    static JobGraph jobGraph(JobArguments arguments, Function<String, String> env) {
        return jobGraph(JobLauncher.Submission.of(arguments, env));
    }

    static JobGraph jobGraph(JobLauncher.Submission submission) {
        // Checkpointing on, as on the cluster: a pipeline with a clean topic refuses to build without it.
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
        StreamExecutionEnvironment flink = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        submission.build(flink);
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
    static Function<String, String> withStandIns(Function<String, String> env) {
        return name -> env.apply(name) != null ? env.apply(name) : "stand-in-secret-not-needed-for-the-check";
    }
}
