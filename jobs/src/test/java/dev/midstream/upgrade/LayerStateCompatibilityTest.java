package dev.midstream.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.cli.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code validate <transform file> --against <old version>}: which edits keep a savepoint's state. */
class LayerStateCompatibilityTest {
    private static final Path SALES = Path.of("../pipelines/sales.yaml");

    @TempDir
    Path dir;

    private String err;
    private String out;

    private int against(String from, String to) throws Exception {
        String text = Files.readString(SALES);
        assertTrue(text.contains(from), "sales.yaml contains " + from);
        Path edited = Files.writeString(dir.resolve("sales.yaml"), text.replace(from, to));
        CliRun run = CliRun.of(name -> null, "validate", edited.toString(), "--against", SALES.toString());
        out = run.out();
        err = run.err();
        return run.exitCode();
    }

    @Test
    void statelessEditsKeepEveryState() throws Exception {
        assertEquals(0, against("    ttl: 10min\n", "    ttl: 1min\n"), err);
        assertTrue(out.endsWith("savepoint-compatible with " + SALES + " (all state is kept)\n"), out);
        assertEquals(0, against("windows:\n", "windows:\n  - {id: orders_per_day, group_by: [currency], size: 1d}\n"), err);
        assertEquals(0, against("    customer_missing: customer_missing\n", ""), err);
    }

    @Test
    void editsThatStrandStateAreNamed() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"transform: sales", "transform: revenue", "transform renamed from 'sales' to 'revenue'"},
                new String[] {"    size: 1h\n", "    size: 2h\n", "window 'revenue_per_hour' changed from PT1H every PT15M to PT2H"},
                new String[] {"  - id: revenue_per_minute", "  - id: revenue_each_minute", "window 'revenue_per_minute' removed"},
                new String[] {"  id: customer\n", "  id: buyer\n", "enrichment 'customer' renamed to 'buyer'"},
                new String[] {"topic: dwd.orders ", "topic: dwd.orders.v2 ", "'sales/facts-source' restores the old topic"});
        for (String[] c : cases) {
            assertEquals(2, against(c[0], c[1]), c[2] + ": " + err);
            assertTrue(err.contains(c[2]), "expected \"" + c[2] + "\" in " + err);
        }
    }
}
