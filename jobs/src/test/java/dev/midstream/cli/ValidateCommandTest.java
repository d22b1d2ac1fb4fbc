package dev.midstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code midstream validate}: checks files without Flink, and reports what an edit would do to saved state. */
class ValidateCommandTest {
    private static final Path CUSTOMERS = Path.of("../pipelines/customers.yaml");

    @TempDir
    Path dir;

    private static final java.util.Map<String, String> ENV = java.util.Map.of("MIDSTREAM_PII_SALT",
            "0123456789abcdef0123456789abcdef");

    private String out = "";
    private String err = "";

    private int run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "validate";
        System.arraycopy(args, 0, command, 1, args.length);
        CliRun run = CliRun.of(ENV::get, command);
        out = run.out();
        err = run.err();
        return run.exitCode();
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
        assertEquals(CUSTOMERS + ": OK\n", out);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"products-debezium.yaml", "products-canal.yaml",
            "products-maxwell.yaml"})
    void theChangeStreamExamplesAreValid(String name) {
        Path file = Path.of("../pipelines", name);
        assertEquals(0, run(file.toString()), err);
        assertEquals(file + ": OK\n", out);
    }

    @Test
    void aChangeStreamWithoutDedupIsRefusedWithTheFix() throws Exception {
        String text = Files.readString(Path.of("../pipelines/products-debezium.yaml"));
        Path file = dir.resolve("products.yaml");
        Files.writeString(file, text.replaceAll("(?s)dedup:.*?ttl: 7d\n", ""));
        assertEquals(1, run(file.toString()));
        assertTrue(err.contains("dedup: a change stream (debezium-json) needs 'dedup'; add 'dedup: {ttl: 7d}'"), err);
    }

    @Test
    void anInvalidFilePrintsItsProblemsAndExitsOne() throws Exception {
        Path bad = edited("ttl: 30d", "ttl: forever");
        assertEquals(1, run(bad.toString()));
        assertTrue(err.startsWith(bad + ":56:8: dedup.ttl: 'forever' is not a"
                + " positive duration"), err);
    }

    @Test
    void statelessEditsKeepTheSavepoint() throws Exception {
        Path edited = edited("enum: [standard, gold, platinum]", "enum: [standard, gold, platinum, diamond]");
        assertEquals(0, run(edited.toString(), "--against", CUSTOMERS.toString()));
        assertTrue(out.contains("savepoint-compatible"));
    }

    @Test
    void aChangedDedupKeyIsReportedAsLostState() throws Exception {
        Path edited = edited("dedup:\n", "dedup:\n  key: [customer_id, email]\n");
        assertEquals(2, run(edited.toString(), "--against", CUSTOMERS.toString()));
        String report = err;
        assertTrue(report.contains("dedup key changed from [customer_id] to [customer_id, email]"), report);
        assertTrue(report.contains("'customers/dedup'"), report);
    }

    @Test
    void aChangedVersionTypeIsReportedAsLostState() throws Exception {
        Path edited = edited("updated_at:  {type: timestamp, required: true}", "updated_at:  {type: long, required: true}");
        assertEquals(2, run(edited.toString(), "--against", CUSTOMERS.toString()));
        assertTrue(err.contains("changed type from timestamp to long"));
    }

    @Test
    void aRenamedPipelineLosesEverything() throws Exception {
        Path edited = edited("pipeline: customers", "pipeline: clients");
        assertEquals(2, run(edited.toString(), "--against", CUSTOMERS.toString()));
        assertTrue(err.contains("ALL state"));
    }

    @Test
    void listsTheFunctionsOnTheClassPath() {
        assertEquals(0, run("--functions"));
        String listing = out;
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
