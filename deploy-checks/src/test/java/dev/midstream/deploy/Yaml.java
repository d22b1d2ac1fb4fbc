package dev.midstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** YAML files as Jackson trees, with the types YAML gives them (so {@code 2} and {@code "2"} differ, as in Kubernetes). */
final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

    private Yaml() {}

    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static JsonNode read(InputStream in) throws IOException {
        return MAPPER.readTree(in);
    }

    /** The repository root (tests run in deploy-checks/). */
    static Path repo(String relative) {
        return Path.of("..").resolve(relative).normalize();
    }
}
