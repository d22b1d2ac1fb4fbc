package dev.midstream.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A secret read through a reference ({@code ${env:NAME}} or {@code ${file:/path}}) when the pipeline was
 * loaded. Keeps the reference for messages; never prints the value.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String reference;
    private final byte[] value;

    public Secret(String reference, byte[] value) {
        this.reference = reference;
        this.value = value.clone();
    }

    public byte[] value() {
        return value.clone();
    }

    public String reference() {
        return reference;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && reference.equals(s.reference) && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return reference.hashCode();
    }

    @Override
    public String toString() {
        return reference;
    }
}
