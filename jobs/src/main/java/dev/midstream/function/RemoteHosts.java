package dev.midstream.function;

import dev.midstream.model.ConfigException;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.StepSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The job-start check of every remote step: its host answers, speaks the protocol, serves the function and accepts
 * the parameters. A job whose functions cannot run does not start; the message names the file, step and URL.
 */
public final class RemoteHosts {
    private RemoteHosts() {}

    public static void check(List<PipelineSpec> pipelines) {
        List<String> problems = new ArrayList<>();
        for (PipelineSpec pipeline : pipelines) {
            for (StepSpec step : pipeline.steps()) {
                if (!step.isRemote()) {
                    continue;
                }
                try {
                    RemoteClient.checkHost(step.id(), step.remote());
                } catch (IOException e) {
                    problems.add(step.location() + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add(pipeline.file() + ": interrupted while checking step '" + step.id() + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
