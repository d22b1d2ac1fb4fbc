package dev.midstream.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The README's complete pipeline example is a valid pipeline file, and each of its error samples is real. */
class ReadmePipelineExampleTest {
    private static final String MARKER = "<!-- pipeline-example: checked by ReadmePipelineExampleTest -->";

    private static String readme() throws Exception {
        return Files.readString(Path.of("../README.md"));
    }

    @Test
    void theExampleReadsAndUsesEverySection() throws Exception {
        String readme = readme();
        int start = readme.indexOf("```yaml\n", readme.indexOf(MARKER)) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```\n", start));
        PipelineSpec spec = PipelineReader.parse("README.md", yaml, PipelineReaderTest.ENV::get, FunctionCatalog.load());
        assertEquals("customers", spec.name());
        assertEquals(6, spec.rules().size());
        assertEquals(2, spec.steps().size());
        assertEquals(3, spec.pii().size());
        assertEquals("dwd.customers", spec.sink().topic());
        assertEquals(List.of(), List.copyOf(PipelineJsonSchemaTest.validate(yaml)));
    }

    @Test
    void theErrorSamplesAreWhatTheReaderSays() throws Exception {
        List<String> samples = readme().lines().filter(l -> l.startsWith("pipelines/shop.yaml:")).toList();
        assertEquals(5, samples.size());
        List<String> actual = new java.util.ArrayList<>();
        actual.addAll(PipelineReaderTest.problems(PipelineReaderTest.VALID.replace("max_length: 10", "maxlength: 10")));
        actual.addAll(PipelineReaderTest.problems(PipelineReaderTest.VALID.replace("'decimal(10,2)'", "decimal(10,2)")));
        actual.addAll(PipelineReaderTest.problems(PipelineReaderTest.VALID.replace("min: 0, max", "min: ten, max")));
        actual.addAll(PipelineReaderTest.problems(PipelineReaderTest.VALID.replace("function: derive", "function: derivee")));
        actual.addAll(PipelineReaderTest.problems(PipelineReaderTest.VALID.replace("${env:MIDSTREAM_PII_SALT}", "inline")));
        for (String sample : samples) {
            String prefix = sample.endsWith("…]") ? sample.substring(0, sample.length() - 2) : sample;
            assertTrue(actual.stream().anyMatch(a -> a.startsWith(prefix)), "README sample not produced: " + sample
                    + "\nactual: " + actual);
        }
    }
}
