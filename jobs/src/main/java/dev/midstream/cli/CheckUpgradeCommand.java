package dev.midstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code midstream check-upgrade}: which operator states of a savepoint the new job restores, which operators are
 * new, and which states would be dropped, judged on the job graph {@code flink run} would submit with the same
 * arguments. Deploys nothing. Needs Flink's {@code lib/} on the class path ({@link UpgradeChecker} holds every use of
 * Flink, so {@code validate} does not).
 */
@Command(name = "check-upgrade", mixinStandardHelpOptions = true,
        description = {"Compares a savepoint with the job the given files and configuration would submit.",
                "Any other --<key> <value> is job configuration, as for flink run."},
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.PROBLEMS,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, ExitCodes.PROBLEMS_LINE,
                ExitCodes.STATE_LOST_LINE, ExitCodes.USAGE_LINE})
final class CheckUpgradeCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Midstream midstream;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--savepoint", required = true, paramLabel = "PATH", description = "The savepoint (directory or _metadata, any Flink file system URI).")
    String savepoint;

    @Option(names = "--config", paramLabel = "FILE", description = "The job configuration (key=value lines).")
    Path config;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "A pipeline file of the new job; repeat for each.")
    List<Path> pipelines = new ArrayList<>();

    @Option(names = "--transform", paramLabel = "FILE", description = "A transform file of the new job; repeat for each.")
    List<Path> transforms = new ArrayList<>();

    @CommandLine.Unmatched
    List<String> configuration = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>();
        if (config != null) {
            args.add("--config");
            args.add(config.toString());
        }
        args.addAll(configuration);
        return UpgradeChecker.run(savepoint, pipelines, transforms, args, midstream.env, spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
