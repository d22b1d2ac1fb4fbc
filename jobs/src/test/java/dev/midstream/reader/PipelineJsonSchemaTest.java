package dev.midstream.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The published JSON Schema accepts the shipped pipeline files and rejects what the reader rejects for shape. */
class PipelineJsonSchemaTest {
    private static final JsonSchema SCHEMA;

    static {
        try {
            SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(Path.of("../pipelines/pipeline.schema.json")));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Set<ValidationMessage> validate(String yaml) {
        JsonNode node = JsonMapper.builder().build().valueToTree(new Yaml().load(yaml));
        return SCHEMA.validate(node);
    }

    @ParameterizedTest
    @CsvSource({"../pipelines/orders.yaml", "../pipelines/customers.yaml", "../pipelines/products-debezium.yaml",
            "../pipelines/products-canal.yaml", "../pipelines/products-maxwell.yaml",
            "src/test/resources/pipelines/payments.yaml", "src/test/resources/pipelines/every-key.yaml"})
    void theShippedFilesConform(String file) throws Exception {
        assertEquals(Set.of(), validate(Files.readString(Path.of(file))));
    }

    @Test
    void everyShippedPipelineFileIsCheckedHere() throws Exception {
        try (var files = Files.list(Path.of("../pipelines"))) {
            assertEquals(Set.of("customers.yaml", "orders.yaml", "sales.yaml", "products-debezium.yaml",
                    "products-canal.yaml", "products-maxwell.yaml"), files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml")).collect(java.util.stream.Collectors.toSet()),
                    "a new pipeline file in pipelines/ belongs in theShippedFilesConform (sales.yaml: TransformJsonSchemaTest)");
        }
    }

    @Test
    void theReaderTestsValidFileConforms() {
        assertEquals(Set.of(), validate(PipelineReaderTest.VALID));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ttl: 7d          | ttl: 7d\\n  extra: 1",
            "max_length: 10   | maxlength: 10",
            "${env:MIDSTREAM_PII_SALT} | an-inline-salt-value",
            "range: {min: 0, max: 100} | range: {min: 0, max: 100}\\n    regex: x",
            "upsert: newer    | upsert: sometimes",
            "pipeline: shop   | pipeline: Shop"})
    void shapesTheReaderRefusesAreRefused(String from, String to) {
        String yaml = PipelineReaderTest.VALID.replace(from.strip(), to.strip().replace("\\n", "\n"));
        assertFalse(yaml.equals(PipelineReaderTest.VALID), "the edit applied");
        assertFalse(validate(yaml).isEmpty(), "schema refuses: " + to);
    }
}
