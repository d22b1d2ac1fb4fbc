package dev.midstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.function.Function;

/**
 * The command line for people: {@code midstream validate …}, {@code midstream check-upgrade …},
 * {@code midstream report …}. Every command exits
 * with the same codes: {@value ExitCodes#OK} fine, {@value ExitCodes#PROBLEMS} problems found,
 * {@value ExitCodes#STATE_LOST} state would be lost, {@value ExitCodes#USAGE} wrong usage. {@code validate} runs
 * from the job jar alone; {@code check-upgrade} needs Flink's {@code lib/} on the class path as well.
 */
@Command(name = "midstream", mixinStandardHelpOptions = true, versionProvider = Midstream.Version.class,
        description = "Checks Midstream pipeline and transform files and savepoints before an upgrade; reports data quality.",
        subcommands = {ValidateCommand.class, CheckUpgradeCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.PROBLEMS,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, ExitCodes.PROBLEMS_LINE,
                ExitCodes.STATE_LOST_LINE, ExitCodes.USAGE_LINE})
public final class Midstream implements Runnable {
    /** Where secrets referenced by files are read from; tests give a map. */
    final Function<String, String> env;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Midstream(Function<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int exitCode = run(args, out, err, System::getenv);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** Runs one command line and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Function<String, String> env) {
        CommandLine commandLine = new CommandLine(new Midstream(env));
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate or check-upgrade");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Midstream.class.getPackage().getImplementationVersion();
            return new String[] {"midstream " + (version == null ? "(development build)" : version)};
        }
    }
}
