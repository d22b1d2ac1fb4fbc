package dev.midstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code validate} command: checks files without Flink, and reports what an edit would do to saved state. */
class ValidateCommandTest {
    private static final Path CUSTOMERS = Path.of("../pipelines/customers.yaml");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ValidateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), PipelineReaderTest.ENV::get);
    }

    private Path edited(String from, String to) throws Exception {
        String text = Files.readString(CUSTOMERS);
        assertTrue(text.contains(from), from);
        Path file = dir.resolve("customers.yaml");
        Files.writeString(file, text.replace(from, to));
        return file;
    }

    @Test
    void aValidFileIsOk() {
        assertEquals(0, run(CUSTOMERS.toString()));
        assertEquals(CUSTOMERS + ": OK\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInvalidFilePrintsItsProblemsAndExitsOne() throws Exception {
        Path bad = edited("ttl: 30d", "ttl: forever");
        assertEquals(1, run(bad.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(bad + ":56:8: dedup.ttl: 'forever' is not a"
                + " positive duration"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statelessEditsKeepTheSavepoint() throws Exception {
        Path edited = edited("enum: [standard, gold, platinum]", "enum: [standard, gold, platinum, diamond]");
        assertEquals(0, run(edited.toString(), "--against", CUSTOMERS.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("savepoint-compatible"));
    }

    @Test
    void aChangedDedupKeyIsReportedAsLostState() throws Exception {
        Path edited = edited("dedup:\n", "dedup:\n  key: [customer_id, email]\n");
        assertEquals(2, run(edited.toString(), "--against", CUSTOMERS.toString()));
        String report = err.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("dedup key changed from [customer_id] to [customer_id, email]"), report);
        assertTrue(report.contains("'customers/dedup'"), report);
    }

    @Test
    void aChangedVersionTypeIsReportedAsLostState() throws Exception {
        Path edited = edited("updated_at:  {type: timestamp, required: true}", "updated_at:  {type: long, required: true}");
        assertEquals(2, run(edited.toString(), "--against", CUSTOMERS.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("changed type from timestamp to long"));
    }

    @Test
    void aRenamedPipelineLosesEverything() throws Exception {
        Path edited = edited("pipeline: customers", "pipeline: clients");
        assertEquals(2, run(edited.toString(), "--against", CUSTOMERS.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ALL state"));
    }

    @Test
    void listsTheFunctionsOnTheClassPath() {
        assertEquals(0, run("--functions"));
        String listing = out.toString(StandardCharsets.UTF_8);
        for (String name : new String[] {"derive", "lookup", "flatten", "convert_currency", "classify", "email_domain"}) {
            assertTrue(listing.contains(name + "\t"), name + " in " + listing);
        }
    }

    @Test
    void badUsageExits64() {
        assertEquals(64, run());
        assertEquals(64, run("--nope", "x.yaml"));
        assertEquals(64, run("a.yaml", "--against"));
    }
}
