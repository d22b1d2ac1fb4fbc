package dev.midstream.pipeline;

import dev.midstream.config.ConfigException;
import dev.midstream.transform.FunctionCatalog;
import dev.midstream.udf.RecordFunctionFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks pipeline files and transform files (told apart by their first key) without starting Flink:
 * {@code java -cp midstream-jobs-flink.jar dev.midstream.pipeline.ValidateCommand pipelines/*.yaml},
 * {@code … ValidateCommand pipelines/orders.yaml --against old/orders.yaml} (what a savepoint restore would
 * lose), {@code … ValidateCommand --functions} (the user functions on the class path).
 * Exit code 0: valid (and no state lost); 1: problems; 2: valid but state would be lost; 64: bad usage.
 */
public final class ValidateCommand {
    private ValidateCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System::getenv));
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        List<Path> files = new ArrayList<>();
        Path against = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--functions")) {
                for (RecordFunctionFactory f : FunctionCatalog.load().all().values()) {
                    out.println(f.name() + "\t" + f.description() + "\t(" + f.getClass().getName() + ")");
                }
                return 0;
            } else if (args[i].equals("--against")) {
                if (i + 1 >= args.length) {
                    err.println("--against needs the previous version of the pipeline file");
                    return 64;
                }
                against = Path.of(args[++i]);
            } else if (args[i].startsWith("--")) {
                err.println("unknown option " + args[i] + "; usage: validate <pipeline.yaml>... [--against <old.yaml>]"
                        + " | --functions");
                return 64;
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty() || (against != null && files.size() != 1)) {
            err.println("usage: validate <pipeline.yaml>... | validate <pipeline.yaml> --against <old.yaml>"
                    + " | validate --functions");
            return 64;
        }
        FunctionCatalog functions = FunctionCatalog.load();
        int status = 0;
        List<PipelineSpec> specs = new ArrayList<>();
        List<dev.midstream.layer.TransformJobSpec> transforms = new ArrayList<>();
        for (Path file : files) {
            try {
                if (isTransformFile(file)) {
                    transforms.add(TransformJobReader.read(file));
                } else {
                    specs.add(PipelineReader.read(file, env, functions));
                }
                out.println(file + ": OK");
            } catch (ConfigException e) {
                e.problems().forEach(err::println);
                status = 1;
            }
        }
        if (status != 0 || against == null) {
            return status;
        }
        if (!transforms.isEmpty()) {
            return againstTransform(files.get(0), transforms.get(0), against, out, err);
        }
        PipelineSpec old;
        try {
            old = PipelineReader.read(against, env, functions);
        } catch (ConfigException e) {
            err.println(against + ": the old version does not validate (checked with today's rules):");
            e.problems().forEach(err::println);
            return 1;
        }
        List<String> losses = StateCompatibility.losses(old, specs.get(0));
        if (losses.isEmpty()) {
            out.println(files.get(0) + ": savepoint-compatible with " + against + " (all state is kept)");
            return 0;
        }
        err.println(files.get(0) + ": restoring a savepoint taken with " + against + " would lose state:");
        losses.forEach(loss -> err.println("  - " + loss));
        return 2;
    }

    private static int againstTransform(Path file, dev.midstream.layer.TransformJobSpec now, Path against,
            PrintStream out, PrintStream err) {
        dev.midstream.layer.TransformJobSpec old;
        try {
            old = TransformJobReader.read(against);
        } catch (ConfigException e) {
            err.println(against + ": the old version does not validate (checked with today's rules):");
            e.problems().forEach(err::println);
            return 1;
        }
        List<String> losses = TransformStateCompatibility.losses(old, now);
        if (losses.isEmpty()) {
            out.println(file + ": savepoint-compatible with " + against + " (all state is kept)");
            return 0;
        }
        err.println(file + ": restoring a savepoint taken with " + against + " would lose state:");
        losses.forEach(loss -> err.println("  - " + loss));
        return 2;
    }

    /** A transform file names its job under {@code transform:}; a pipeline file under {@code pipeline:}. */
    static boolean isTransformFile(Path file) {
        YamlNode root = YamlNode.load(file);
        return root.kind() == YamlNode.Kind.MAPPING && root.entries().containsKey("transform")
                && !root.entries().containsKey("pipeline");
    }
}
