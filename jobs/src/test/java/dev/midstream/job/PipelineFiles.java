package dev.midstream.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Copies of pipeline files with their topics and tables renamed, so tests sharing one broker never collide. */
final class PipelineFiles {
    static final Path ORDERS = Path.of("../pipelines/orders.yaml");
    static final Path CUSTOMERS = Path.of("../pipelines/customers.yaml");
    static final Path PAYMENTS = Path.of("src/test/resources/pipelines/payments.yaml");

    private PipelineFiles() {}

    static Path copy(Path original, Path dir, Map<String, String> replacements) throws IOException {
        String text = Files.readString(original);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!text.contains(r.getKey())) {
                throw new IllegalArgumentException(original + " does not contain '" + r.getKey() + "'");
            }
            text = text.replace(r.getKey(), r.getValue());
        }
        Path copy = dir.resolve(original.getFileName());
        Files.writeString(copy, text);
        return copy;
    }
}
