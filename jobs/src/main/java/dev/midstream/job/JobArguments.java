package dev.midstream.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's command line, as {@code flink run} passes it: {@code --pipeline <file>} and {@code --transform <file>}
 * (each any number of times), and the job configuration ({@code --config <file>}, {@code --<key> <value>}).
 */
public record JobArguments(List<Path> pipelineFiles, List<Path> transformFiles, String[] configArguments) {
    public static JobArguments parse(String... args) {
        List<Path> pipelines = new ArrayList<>();
        List<Path> transforms = new ArrayList<>();
        List<String> config = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--pipeline") && i + 1 < args.length) {
                pipelines.add(Path.of(args[++i]));
            } else if (args[i].equals("--transform") && i + 1 < args.length) {
                transforms.add(Path.of(args[++i]));
            } else {
                config.add(args[i]);
            }
        }
        return new JobArguments(List.copyOf(pipelines), List.copyOf(transforms), config.toArray(String[]::new));
    }
}
