package dev.midstream.options;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw option values and where each came from ({@code file:line} or {@code argument --key}), read from an
 * optional properties-style file ({@code key=value} or {@code key: value}, {@code #} comments) and then
 * from {@code --key value} arguments, which win.
 */
public final class ConfigSource {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private ConfigSource() {}

    /** Reads {@code --config FILE} (if given) and every other {@code --key value} pair. */
    public static ConfigSource fromArgs(String... args) {
        ConfigSource source = new ConfigSource();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                source.problems.add("argument '" + arg + "': expected --key value; see the README's option table");
                continue;
            }
            if (i + 1 >= args.length) {
                source.problems.add("argument '" + arg + "': missing its value; write " + arg + " <value>");
                continue;
            }
            String key = arg.substring(2);
            String value = args[++i];
            if (key.equals("config")) {
                source.readFile(Path.of(value));
            } else {
                source.put(key, value, "argument --" + key);
            }
        }
        return source;
    }

    public static ConfigSource of(Map<String, String> values, String origin) {
        ConfigSource source = new ConfigSource();
        values.forEach((k, v) -> source.put(k, v, origin));
        return source;
    }

    private void readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(file + ": file not found; pass an existing file to --config");
            return;
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e.getMessage() + ")");
            return;
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(": ");
            int split = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            String where = file + ":" + (n + 1);
            if (split <= 0) {
                problems.add(where + ": expected 'key=value', got '" + line + "'");
                continue;
            }
            put(line.substring(0, split).strip(), line.substring(split + 1).strip(), where);
        }
    }

    private void put(String key, String value, String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }

    /** Where a key's value came from, or {@code default} if it was not set. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    public Map<String, String> values() {
        return values;
    }

    List<String> problems() {
        return problems;
    }

    public Configuration toConfiguration() {
        return Configuration.fromMap(values);
    }
}
