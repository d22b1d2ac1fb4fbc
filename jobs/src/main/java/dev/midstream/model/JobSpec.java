package dev.midstream.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one Flink job runs, as read from its files: the pipelines of the first layer (raw topics to clean
 * tables) and the transforms of the second (clean topics to wide and aggregate tables). One job may hold either or
 * both; the names of all of them are distinct, because they prefix every operator uid.
 */
public record JobSpec(List<PipelineSpec> pipelines, List<LayerSpec> layers) implements Serializable {
    public JobSpec {
        pipelines = List.copyOf(pipelines);
        layers = List.copyOf(layers);
    }

    public static JobSpec ofPipelines(List<PipelineSpec> pipelines) {
        return new JobSpec(pipelines, List.of());
    }

    public static JobSpec ofLayers(List<LayerSpec> layers) {
        return new JobSpec(List.of(), layers);
    }

    /** {@code midstream-orders+customers}, {@code midstream-transform-sales}, or both joined with {@code " + "}. */
    public String name() {
        List<String> parts = new ArrayList<>();
        if (!pipelines.isEmpty()) {
            parts.add("midstream-" + String.join("+", pipelines.stream().map(PipelineSpec::name).toList()));
        }
        if (!layers.isEmpty()) {
            parts.add("midstream-transform-" + String.join("+", layers.stream().map(LayerSpec::name).toList()));
        }
        return String.join(" + ", parts);
    }
}
