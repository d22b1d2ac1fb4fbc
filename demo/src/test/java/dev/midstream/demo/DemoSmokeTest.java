package dev.midstream.demo;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.testkit.FreePort;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** The README's first command, minus the build: a short demo run, then a second run that resumes from the first. */
class DemoSmokeTest {
    private static final Path ORDERS = Path.of("..", "pipelines", "orders.yaml");
    private static final Path CUSTOMERS = Path.of("..", "pipelines", "customers.yaml");
    private static final Path SALES = Path.of("..", "pipelines", "sales.yaml");


    @Test
    void demoAccountsForEveryRecordAndResumesOnARerun(@TempDir Path dataDir, @TempDir Path files) throws Exception {
        // The demo waits out the layer's idleness before its report; 5 s instead of a minute keeps the test short.
        Path salesFile = java.nio.file.Files.writeString(files.resolve("sales.yaml"),
                java.nio.file.Files.readString(SALES).replace("idleness: 1min", "idleness: 5s"));
        int ui = FreePort.pick();
        int kafka = FreePort.pick();
        int postgres = FreePort.pick();

        Demo.DemoRun firstRun = new Demo.DemoRun(new DemoOptions(3000, 3000, dataDir, ui, kafka, postgres, ORDERS,
                CUSTOMERS, salesFile));
        Progress.Line first = firstRun.run();
        assertNotNull(first, "the first run printed progress");
        assertEquals(3000, first.produced());
        assertEquals(3000, first.read());
        assertEquals(first.read(), first.written() + first.rejected() + first.deduplicated());
        assertEquals(first.rejected(), first.deadLetters(), "one dead-letter row per rejected record");
        com.fasterxml.jackson.databind.JsonNode report = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .readTree(java.nio.file.Files.readString(dataDir.resolve("report.json")));
        com.fasterxml.jackson.databind.JsonNode orders = null;
        for (com.fasterxml.jackson.databind.JsonNode d : report.path("data_sets")) {
            orders = d.path("pipeline").asText().equals("orders") ? d : orders;
        }
        assertNotNull(orders, "the demo wrote its data-quality report: " + report);
        assertEquals(List.of(first.read(), first.written(), first.rejected(), 0L), List.of(orders.path("read").asLong(),
                orders.path("written").asLong(), orders.path("rejected").asLong(), orders.path("unaccounted").asLong()),
                "the report's history equals the job's counters in a run without failures");
        assertTrue(java.nio.file.Files.readString(dataDir.resolve("report.html")).contains("uPlot"), "the page");
        assertTrue(first.rows() > 0 && first.rows() <= first.written(), "rows: " + first.rows());
        LayerProgress.Line sales = firstRun.sales();
        assertTrue(sales.customers() > 0, "customer profiles were cleansed: " + sales);
        assertTrue(sales.enriched() > 0 && sales.enriched() <= first.rows(), "orders reached the wide table: " + sales);
        assertTrue(sales.withoutCustomer() < sales.enriched(), "most orders found their customer: " + sales);
        assertTrue(sales.windowRows().get("revenue_per_minute") > 0, "minute windows closed: " + sales);

        Demo.DemoRun rerun = new Demo.DemoRun(new DemoOptions(1000, 2000, dataDir, ui, kafka, postgres, ORDERS,
                CUSTOMERS, salesFile));
        Progress.Line second = rerun.run();
        assertTrue(rerun.resumed(), "the re-run restored the retained checkpoint");
        assertTrue(second.read() >= 1000, "read " + second.read());
        assertEquals(second.read(), second.written() + second.rejected() + second.deduplicated());
        assertTrue(second.rows() > first.rows(), "the table kept the first run's rows and gained new ones");
        assertTrue(rerun.sales().enriched() > sales.enriched(), "the second layer went on after the resume: " + rerun.sales());
    }
}
