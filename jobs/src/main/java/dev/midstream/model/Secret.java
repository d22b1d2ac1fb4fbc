package dev.midstream.model;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret named by a reference: {@code ${env:NAME}}, {@code ${file:/path}}, or a text with such references in it
 * ({@code Bearer ${env:TOKEN}}). The reader resolves it once at submission, to fail there with the file and line
 * if it is missing; only the reference travels with the job: the value is not serialized, so the job graph, the
 * JobManager's job storage and checkpoints never hold it. Where the job runs, {@link #value()} resolves the
 * reference again from that process's environment and files — the TaskManager pods get the same secret. In the
 * JVM that read it (a local or test run, where the "TaskManager" is this process) the value read is reused.
 */
public final class Secret implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;
    /** A reference inside a text. */
    public static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    /** The values this JVM read, by secret: what a deserialized copy here finds without the environment. */
    private static final Map<String, byte[]> READ_HERE = new ConcurrentHashMap<>();

    private final String reference;
    private final String id;
    private transient volatile byte[] value;

    public Secret(String reference, byte[] value) {
        this.reference = reference;
        this.id = UUID.randomUUID().toString();
        this.value = value.clone();
        READ_HERE.put(id, this.value);
    }

    /** The value: as read, or resolved from this process's environment and files. */
    public byte[] value() {
        byte[] v = value;
        if (v == null) {
            v = READ_HERE.get(id);
            if (v == null) {
                v = resolve(reference, System::getenv).getBytes(StandardCharsets.UTF_8);
            }
            value = v;
        }
        return v.clone();
    }

    public String reference() {
        return reference;
    }

    /**
     * Every reference in {@code text} replaced by its value ({@code env} through {@code environment}, a file's
     * content stripped). Fails naming the reference, never a value.
     */
    public static String resolve(String text, Function<String, String> environment) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2);
            String value;
            if (matcher.group(1).equals("env")) {
                value = environment.apply(name);
                if (value == null || value.isBlank()) {
                    throw new IllegalStateException("secret " + matcher.group() + ": environment variable " + name
                            + " is not set in this process; export it on every JobManager and TaskManager");
                }
            } else {
                try {
                    value = Files.readString(Path.of(name), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException("secret " + matcher.group() + ": cannot read " + name + " ("
                            + e.getClass().getSimpleName() + "); mount it at that path on every JobManager and"
                            + " TaskManager", e);
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.strip()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && reference.equals(s.reference) && Arrays.equals(value(), s.value());
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
