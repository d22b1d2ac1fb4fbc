package dev.midstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.ConfigException;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.reader.TransformFileReader;
import dev.midstream.reader.YamlNode;
import dev.midstream.udf.RecordFunctionFactory;
import dev.midstream.upgrade.LayerStateCompatibility;
import dev.midstream.upgrade.PipelineStateCompatibility;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code midstream validate}: checks pipeline and transform files (told apart by their first key) without Flink;
 * with {@code --against}, what restoring a savepoint of the old version of a file would lose; with
 * {@code --functions}, the user functions on the class path.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks pipeline and transform files: every problem with file:line:column, field and fix.",
                "With --against, reports the state a savepoint of the old version would lose (exit 2)."},
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.PROBLEMS,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, ExitCodes.PROBLEMS_LINE,
                ExitCodes.STATE_LOST_LINE, ExitCodes.USAGE_LINE})
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Midstream midstream;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Pipeline or transform files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--against", paramLabel = "OLD_FILE",
            description = "The previous version of the (one) file: report what a savepoint restore would lose.")
    Path against;

    @Option(names = "--functions", description = "List the user functions on the class path, then exit.")
    boolean functions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FunctionCatalog catalog = FunctionCatalog.load();
        if (functions) {
            for (RecordFunctionFactory f : catalog.all().values()) {
                out.println(f.name() + "\t" + f.description() + "\t(" + f.getClass().getName() + ")");
            }
            return ExitCodes.OK;
        }
        if (files.isEmpty() || (against != null && files.size() != 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    files.isEmpty() ? "name at least one file" : "--against compares exactly one file");
        }
        int status = ExitCodes.OK;
        List<PipelineSpec> pipelines = new ArrayList<>();
        List<LayerSpec> layers = new ArrayList<>();
        for (Path file : files) {
            try {
                if (isTransformFile(file)) {
                    layers.add(TransformFileReader.read(file));
                } else {
                    pipelines.add(PipelineReader.read(file, midstream.env, catalog));
                }
                out.println(file + ": OK");
            } catch (ConfigException e) {
                e.problems().forEach(err::println);
                status = ExitCodes.PROBLEMS;
            }
        }
        if (status != ExitCodes.OK || against == null) {
            return status;
        }
        List<String> losses;
        try {
            losses = layers.isEmpty()
                    ? PipelineStateCompatibility.losses(PipelineReader.read(against, midstream.env, catalog), pipelines.get(0))
                    : LayerStateCompatibility.losses(TransformFileReader.read(against), layers.get(0));
        } catch (ConfigException e) {
            err.println(against + ": the old version does not validate (checked with today's rules):");
            e.problems().forEach(err::println);
            return ExitCodes.PROBLEMS;
        }
        if (losses.isEmpty()) {
            out.println(files.get(0) + ": savepoint-compatible with " + against + " (all state is kept)");
            return ExitCodes.OK;
        }
        err.println(files.get(0) + ": restoring a savepoint taken with " + against + " would lose state:");
        losses.forEach(loss -> err.println("  - " + loss));
        return ExitCodes.STATE_LOST;
    }

    /** A transform file names its job under {@code transform:}; a pipeline file under {@code pipeline:}. */
    static boolean isTransformFile(Path file) {
        YamlNode root = YamlNode.load(file);
        return root.kind() == YamlNode.Kind.MAPPING && root.entries().containsKey("transform")
                && !root.entries().containsKey("pipeline");
    }
}
