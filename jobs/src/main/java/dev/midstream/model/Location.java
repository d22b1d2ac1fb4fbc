package dev.midstream.model;

import java.io.Serializable;

/** A place in a pipeline file, 1-based, printed the way compilers do: {@code pipelines/orders.yaml:14:7}. */
public record Location(String file, int line, int column) implements Serializable {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
