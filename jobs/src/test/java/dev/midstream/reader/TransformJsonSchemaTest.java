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

/** The published transform-file schema accepts the shipped file and rejects what the reader rejects for shape. */
class TransformJsonSchemaTest {
    private static final JsonSchema SCHEMA;

    static {
        try {
            SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(Path.of("../pipelines/transform.schema.json")));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Set<ValidationMessage> validate(String yaml) {
        JsonNode node = JsonMapper.builder().build().valueToTree(new Yaml().load(yaml));
        return SCHEMA.validate(node);
    }

    @Test
    void theShippedFileAndTheReaderTestsValidFileConform() throws Exception {
        assertEquals(Set.of(), validate(Files.readString(Path.of("../pipelines/sales.yaml"))));
        assertEquals(Set.of(), validate(TransformFileReaderTest.VALID));
        assertEquals(Set.of(), validate(Files.readString(Path.of("src/test/resources/pipelines/every-key-transform.yaml"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "windows:          | window:",
            "max_wait: 5min    | max_wait: soon",
            "max_wait: 5min    | max_wait: 5min\\n  on_missing: drop",
            "  topic: dwd.shop | ''",
            "transform: shop_sales | transform: Shop",
            "slide: 10min      | slide: 10min\\n    every: 1"})
    void shapesTheReaderRefusesAreRefused(String from, String to) {
        String yaml = TransformFileReaderTest.VALID.replace(from.strip().replace("''", ""),
                to.strip().replace("''", "").replace("\\n", "\n"));
        assertFalse(yaml.equals(TransformFileReaderTest.VALID), "the case changes the file: " + from);
        assertFalse(validate(yaml).isEmpty(), "the schema refuses: " + to);
    }
}
