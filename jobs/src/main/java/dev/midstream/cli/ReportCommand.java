package dev.midstream.cli;

import dev.midstream.job.JobLauncher;
import dev.midstream.model.ConfigException;
import dev.midstream.model.Durations;
import dev.midstream.options.JdbcOptions;
import dev.midstream.report.QualityReport;
import dev.midstream.report.ReportReader;
import dev.midstream.report.ReportWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code midstream report}: the data-quality report of the given pipelines, read from the job's quality history and
 * dead-letter tables, as one self-contained HTML file and the same numbers as JSON beside it. Exits 0 when every data
 * set meets its {@code quality:} expectations, 1 on a warning, 2 on an error, so it can gate a deployment.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the data-quality report (HTML and JSON) of the given pipelines from the job's quality"
                + " history and dead-letter tables.", "Any other --<key> <value> is job configuration, as for flink run."},
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.PROBLEMS,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {"0:every data set meets its expectations",
                "1:warnings (or the report could not be made)", "2:errors: an expectation failed or records are"
                + " unaccounted for", ExitCodes.USAGE_LINE})
final class ReportCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Midstream midstream;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The job configuration (key=value lines): the database.")
    Path config;

    @Option(names = "--pipeline", paramLabel = "FILE",
            description = "A pipeline file of the job; repeat for each.")
    List<Path> pipelines = new ArrayList<>();

    @Option(names = "--transform", paramLabel = "FILE", description = "A transform file of the job; repeat for each.")
    List<Path> transforms = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
            description = "The window the report looks at (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--bucket", paramLabel = "DURATION", defaultValue = "1h",
            description = "The trend's step (default: ${DEFAULT-VALUE}).")
    String bucket;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "midstream-report.html",
            description = "The HTML file; the JSON goes beside it (.json). Default: ${DEFAULT-VALUE}.")
    Path out;

    @CommandLine.Unmatched
    List<String> configuration = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Duration window;
        Duration step;
        try {
            window = Durations.parse(since);
            step = Durations.parse(bucket);
        } catch (IllegalArgumentException e) {
            err.println("--since/--bucket: " + e.getMessage() + "; write e.g. 24h, 7d, 15min");
            return ExitCodes.USAGE;
        }
        List<String> args = new ArrayList<>();
        if (config != null) {
            args.add("--config");
            args.add(config.toString());
        }
        args.addAll(configuration);
        JobLauncher.Submission submission;
        try {
            submission = JobLauncher.Submission.of(UpgradeChecker.arguments(pipelines, transforms, args),
                    UpgradeChecker.withStandIns(midstream.env));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.PROBLEMS;
        }
        String history = submission.options().tables().qualityTable();
        if (history == null) {
            err.println("midstream.quality.table is none: the job keeps no quality history to report on");
            return ExitCodes.PROBLEMS;
        }
        JdbcOptions jdbc = submission.options().jdbc();
        QualityReport report;
        DriverManager.setLoginTimeout(10);
        try (Connection connection = DriverManager.getConnection(jdbc.url(), jdbc.credentials())) {
            report = new ReportReader(connection, jdbc.database(), history,
                    submission.options().deadLetters().payload())
                    .read(submission.job().pipelines(), submission.job().layers(), Instant.now(), window, step);
        } catch (SQLException e) {
            err.println("cannot read the quality history " + history + " (" + e.getClass().getSimpleName()
                    + ", SQL state " + e.getSQLState() + ": " + e.getMessage() + ")");
            return ExitCodes.PROBLEMS;
        }
        Path html = out.toAbsolutePath();
        if (html.getParent() != null) {
            Files.createDirectories(html.getParent());
        }
        Path json = html.resolveSibling(html.getFileName().toString().replaceFirst("\\.html?$", "") + ".json");
        Files.writeString(html, ReportWriter.html(report));
        Files.writeString(json, ReportWriter.json(report));
        for (QualityReport.DataSet d : report.dataSets()) {
            stdout.printf(Locale.ROOT, "%-24s %-8s %,d read, %.2f%% rejected%s%s%n", d.pipeline(),
                    d.status().name().toLowerCase(Locale.ROOT), d.read(), d.rejectedRatio() * 100,
                    d.unaccounted() == null ? "" : ", " + d.unaccounted() + " unaccounted",
                    d.findings().isEmpty() ? "" : ": " + String.join("; ", d.findings()));
        }
        stdout.println("Report: " + html);
        stdout.println("Data:   " + json);
        return report.status().ordinal();
    }
}
