package dev.midstream.reader;

import dev.midstream.model.ConfigException;
import dev.midstream.model.Location;

import java.util.List;

/**
 * A pipeline file that cannot run. Each problem reads
 * {@code <file>:<line>:<column>: <field>: <what is wrong>; <hint>}, all problems of a file at once.
 */
public class PipelineException extends ConfigException {
    private static final long serialVersionUID = 1L;

    public PipelineException(List<String> problems) {
        super(problems);
    }

    static PipelineException single(Location location, String message, String hint) {
        return new PipelineException(List.of(Problems.format(location, null, message, hint)));
    }
}
