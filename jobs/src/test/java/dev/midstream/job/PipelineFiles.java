package dev.midstream.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Copies of pipeline files with their topics and tables renamed, so tests sharing one broker never collide. */
final class PipelineFiles {
    static final Path ORDERS = Path.of("../pipelines/orders.yaml");
    static final Path CUSTOMERS = Path.of("../pipelines/customers.yaml");
    static final Path SALES = Path.of("../pipelines/sales.yaml");
    static final Path PAYMENTS = Path.of("src/test/resources/pipelines/payments.yaml");

    private PipelineFiles() {}

    /** {@code replacements} plus one that removes the data set's clean topic (for tests of the first layer only). */
    static Map<String, String> withoutCleanTopic(String dataSet, Map<String, String> replacements) {
        Map<String, String> all = new java.util.LinkedHashMap<>(replacements);
        all.put("  # clean records for the next layer (pipelines/sales.yaml), exactly once\n  topic: dwd." + dataSet + "\n", "");
        return all;
    }

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
