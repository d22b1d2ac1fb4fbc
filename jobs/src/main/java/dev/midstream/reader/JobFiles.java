package dev.midstream.reader;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.ConfigException;
import dev.midstream.model.JobSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The files of one job, read into its {@link JobSpec}: pipeline files ({@code --pipeline}) and transform files
 * ({@code --transform}). Every problem of every file is reported together, and so is a name given twice (names
 * prefix the operator uids).
 */
public final class JobFiles {
    private JobFiles() {}

    public static JobSpec read(List<Path> pipelineFiles, List<Path> transformFiles, Function<String, String> env,
            FunctionCatalog functions) {
        if (pipelineFiles.isEmpty() && transformFiles.isEmpty()) {
            throw new ConfigException(List.of("no pipeline or transform file given; pass --pipeline <file> once per"
                    + " data set (or --transform <file> once per transform)"));
        }
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<PipelineSpec> pipelines = new ArrayList<>();
        for (Path file : pipelineFiles) {
            try {
                PipelineSpec spec = PipelineReader.read(file, env, functions);
                if (!names.add(spec.name())) {
                    problems.add(file + ": pipeline '" + spec.name() + "' is given twice; every pipeline of a job needs"
                            + " its own name (it prefixes the operator uids)");
                }
                pipelines.add(spec);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (Path file : transformFiles) {
            try {
                LayerSpec spec = TransformFileReader.read(file);
                if (!names.add(spec.name())) {
                    problems.add(file + ": transform '" + spec.name() + "' is given twice; every transform of a job"
                            + " needs its own name (it prefixes the operator uids)");
                }
                layers.add(spec);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new JobSpec(pipelines, layers);
    }

    public static JobSpec read(List<Path> pipelineFiles, List<Path> transformFiles, Function<String, String> env) {
        return read(pipelineFiles, transformFiles, env, FunctionCatalog.load());
    }

    /** Pipeline files only. */
    public static JobSpec pipelines(List<Path> files, Function<String, String> env) {
        if (files.isEmpty()) {
            throw new ConfigException(List.of("no pipeline given; pass --pipeline <file> once per data set"));
        }
        return read(files, List.of(), env);
    }

    /** Transform files only. */
    public static JobSpec transforms(List<Path> files) {
        if (files.isEmpty()) {
            throw new ConfigException(List.of("no transform file given; pass --transform <file> once per transform"));
        }
        return read(List.of(), files, System::getenv);
    }
}
