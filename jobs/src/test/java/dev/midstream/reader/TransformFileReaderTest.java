package dev.midstream.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.cli.CliRun;
import dev.midstream.model.ConfigException;
import dev.midstream.model.EnrichSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.WindowSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

class TransformFileReaderTest {
    /** A small valid transform file; each error case below changes one thing in it. */
    static final String VALID = """
            transform: shop_sales
            facts:
              topic: dwd.shop
              event_time: seen_at
              fields:
                id: string
                buyer: string
                amount: 'decimal(10,2)'
                seen_at: timestamp
            dimension:
              topic: dwd.buyers
              key: [buyer_id]
              version: changed_at
              fields: {buyer_id: string, segment: string, changed_at: timestamp}
            lookups:
              - id: rate
                table: rates
                key_column: code
                key_field: buyer
                columns: {rate: {column: rate, type: 'decimal(12,6)'}, label: name}
            enrich:
              id: buyer
              key: [buyer]
              fields: {buyer_segment: segment}
              max_wait: 5min
            wide_table:
              table: shop_wide
              primary_key: [id]
              upsert: newer
              columns: {id: id, segment: buyer_segment, missing: buyer_missing, rate: rate, seen_at: seen_at}
            windows:
              - id: per_buyer
                group_by: [buyer]
                size: 1h
                slide: 10min
                allowed_lateness: 2min
                sum: amount
                distinct: id
            """;

    static LayerSpec parse(String yaml) {
        return TransformFileReader.parse("pipelines/shop-sales.yaml", yaml);
    }

    static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void readsEverySectionOfAValidFile() {
        LayerSpec spec = parse(VALID);
        assertEquals("shop_sales", spec.name());
        assertEquals("dwd.shop", spec.facts().topic());
        assertEquals(Set.of("seen_at"), spec.facts().timestampFields());
        assertEquals(Set.of("changed_at"), spec.dimension().timestampFields());
        assertEquals(Duration.ofSeconds(30), spec.outOfOrderness(), "default");
        assertEquals(Duration.ofMinutes(1), spec.idleness(), "default");
        assertEquals(new LookupSpec("rate", "rates", "code", "buyer", Map.of("rate", "rate", "label", "name"), 10_000,
                Duration.ofMinutes(10), false), spec.lookups().get(0));
        assertEquals(new EnrichSpec("buyer", List.of("buyer"), List.of("buyer_id"), Map.of("buyer_segment", "segment"),
                "changed_at", Duration.ofMinutes(5), EnrichSpec.OnMissing.EMIT, "buyer_missing"), spec.enrich());
        assertEquals(List.of(new SinkSpec.Column("id", "id", "text"), new SinkSpec.Column("segment", "buyer_segment", "text"),
                new SinkSpec.Column("missing", "buyer_missing", "boolean"),
                new SinkSpec.Column("rate", "rate", "numeric(12,6)"),
                new SinkSpec.Column("seen_at", "seen_at", "timestamptz")), spec.wideTable().columns());
        assertEquals("seen_at", spec.wideTable().versionColumn());
        LayerSpec.Aggregate window = spec.aggregates().get(0);
        assertEquals(new WindowSpec("per_buyer", List.of("buyer"), "seen_at", Duration.ofHours(1),
                Duration.ofMinutes(10), Duration.ofMinutes(2), "amount", "id"), window.window());
        assertEquals(new SinkSpec("per_buyer", List.of("buyer", "window_start"), List.of(
                new SinkSpec.Column("buyer", "buyer", "text"),
                new SinkSpec.Column("window_start", "window_start", "timestamptz"),
                new SinkSpec.Column("window_end", "window_end", "timestamptz"),
                new SinkSpec.Column("records", "records", "bigint"),
                new SinkSpec.Column("sum_amount", "sum_amount", "numeric(38,2)"),
                new SinkSpec.Column("distinct_id", "distinct_id", "bigint")), SinkSpec.Upsert.ALWAYS, null, null),
                window.table());
        assertEquals("shop_sales_dead_letters", spec.deadLetterTable(), "default");
    }

    @Test
    void windowsAloneNeedNoDimension() {
        LayerSpec spec = parse(VALID.substring(0, VALID.indexOf("dimension:")) + VALID.substring(VALID.indexOf("windows:")));
        assertNull(spec.dimension());
        assertNull(spec.enrich());
        assertNull(spec.wideTable());
        assertEquals(Duration.ZERO, parse(VALID.replace("allowed_lateness: 2min", "allowed_lateness: 0s"))
                .aggregates().get(0).window().allowedLateness());
    }

    @Test
    void theShippedTransformFileIsValid() {
        LayerSpec spec = TransformFileReader.read(Path.of("../pipelines/sales.yaml"));
        assertEquals("sales", spec.name());
        assertEquals(List.of("revenue_per_minute", "revenue_per_hour"),
                spec.aggregates().stream().map(a -> a.table().table()).toList());
    }

    @Test
    void aPipelineFileIsToldApart(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pipeline = Path.of("../pipelines/orders.yaml");
        assertEquals(List.of(pipeline + ":4:1: this is a pipeline file, not a transform file; run it with"
                + " dev.midstream.job.PipelinesJob --pipeline " + pipeline),
                assertThrows(ConfigException.class, () -> TransformFileReader.read(pipeline)).problems());
        Path transform = Files.writeString(dir.resolve("t.yaml"), VALID);
        assertEquals(List.of(transform + ":1:1: this is a transform file, not a pipeline file; run it with"
                + " dev.midstream.job.TransformJob --transform " + transform), assertThrows(ConfigException.class,
                        () -> PipelineReader.read(transform, PipelineReaderTest.ENV::get, PipelineReaderTest.FUNCTIONS))
                        .problems());

        Path broken = Files.writeString(dir.resolve("broken.yaml"), VALID.replace("sum: amount", "sum: buyer"));
        CliRun run = CliRun.of(PipelineReaderTest.ENV::get, "validate", transform.toString(), broken.toString());
        assertEquals(1, run.exitCode());
        assertEquals(transform + ": OK\n", run.out());
        assertEquals(broken + ":37:10: windows[0].sum: 'buyer' is string; only numbers can be summed\n", run.err());
    }

    @Test
    void reportsEveryProblemOfAFileAtOnce() {
        List<String> problems = problems(VALID.replace("size: 1h", "size: soon").replace("table: shop_wide", "table: Shop"));
        assertEquals(2, problems.size(), problems.toString());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("misspelt section", VALID.replace("windows:", "window:"), "31:1",
                        "window: unknown key; did you mean 'windows'?"),
                Arguments.of("key the facts do not take", VALID.replace("  event_time: seen_at\n",
                        "  event_time: seen_at\n  version: seen_at\n"), "5:3", "facts.version: unknown key"),
                Arguments.of("bad name", VALID.replace("transform: shop_sales", "transform: Shop"), "1:12",
                        "transform: 'Shop' is not a valid name"),
                Arguments.of("no facts topic", VALID.replace("  topic: dwd.shop\n", ""), "3:3",
                        "facts.topic: is missing"),
                Arguments.of("event time not a timestamp", VALID.replace("event_time: seen_at", "event_time: buyer"),
                        "4:15", "facts.event_time: 'buyer' is string; the event time must be a timestamp"),
                Arguments.of("event time undeclared", VALID.replace("event_time: seen_at", "event_time: seen"),
                        "4:15", "facts.event_time: 'seen' is not a declared field; did you mean 'seen_at'?"),
                Arguments.of("enrich without dimension", VALID.replace(VALID.substring(VALID.indexOf("dimension:"),
                        VALID.indexOf("lookups:")), ""), "17:3", "enrich: there is no dimension to join with"),
                Arguments.of("dimension never joined", VALID.replace(VALID.substring(VALID.indexOf("enrich:"),
                        VALID.indexOf("wide_table:")), "").replace("segment: buyer_segment, missing: buyer_missing, ", ""),
                        "11:3", "dimension: is read but never joined"),
                Arguments.of("no dimension key", VALID.replace("  key: [buyer_id]\n", ""), "11:3",
                        "dimension.key: is missing"),
                Arguments.of("enrichment field not in the dimension", VALID.replace("buyer_segment: segment",
                        "buyer_segment: segmnt"), "24:27", "enrich.fields.buyer_segment: 'segmnt' is not a field of the"
                                + " dimension; did you mean 'segment'?"),
                Arguments.of("enrichment overwrites a fact field", VALID.replace("buyer_segment: segment",
                        "amount: segment").replace("segment: buyer_segment", "segment: amount"), "24:12",
                        "enrich.fields.amount: 'amount' is already a field"),
                Arguments.of("bad on_missing", VALID.replace("max_wait: 5min", "max_wait: 5min\n  on_missing: drop"),
                        "26:15", "enrich.on_missing: unknown choice 'drop'; use 'emit' or 'dead_letter'"),
                Arguments.of("bad max_wait", VALID.replace("max_wait: 5min", "max_wait: later"), "25:13",
                        "enrich.max_wait: 'later' is not a positive duration"),
                Arguments.of("lookup key undeclared", VALID.replace("key_field: buyer", "key_field: buyr"), "19:16",
                        "lookups[0].key_field: 'buyr' is not a declared field; did you mean 'buyer'?"),
                Arguments.of("lookup table not an identifier", VALID.replace("table: rates", "table: \"rates; drop\""),
                        "17:12", "lookups[0].table"),
                Arguments.of("lookup column of a non-scalar type", VALID.replace("type: 'decimal(12,6)'", "type: object"),
                        "20:42", "an object needs its fields"),
                Arguments.of("wide table column unknown", VALID.replace("rate: rate, seen_at", "rate: rat, seen_at"),
                        "30:75", "wide_table.columns.rate: 'rat' is not a field of the facts, a lookup or the enrichment"),
                Arguments.of("window group undeclared", VALID.replace("group_by: [buyer]", "group_by: [buyers]"), "33:15",
                        "windows[0].group_by: 'buyers' is not a declared field"),
                Arguments.of("window over an enrichment field", VALID.replace("group_by: [buyer]",
                        "group_by: [buyer_segment]"), "33:15", "'buyer_segment' is not a declared field"),
                Arguments.of("slide does not divide size", VALID.replace("slide: 10min", "slide: 7min"), "35:12",
                        "windows[0].slide: a window of PT1H cannot slide by PT7M"),
                Arguments.of("sum of text", VALID.replace("sum: amount", "sum: buyer"), "37:10",
                        "windows[0].sum: 'buyer' is string; only numbers can be summed"),
                Arguments.of("duplicate window id", VALID + "  - {id: per_buyer, group_by: [buyer], size: 1min}\n",
                        "39:10", "windows.id: 'per_buyer' is used twice"),
                Arguments.of("table written twice", VALID.replace("table: shop_wide", "table: per_buyer"), "1:1",
                        "table 'per_buyer' is written twice"),
                Arguments.of("writes nothing", VALID.substring(0, VALID.indexOf("dimension:")), "1:1",
                        "the job writes nothing; add 'wide_table:' or 'windows:' (or both)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void namesFileLineColumnFieldAndHint(String name, String yaml, String position, String expected) {
        List<String> problems = problems(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("pipelines/shop-sales.yaml:" + position + ":")
                        && p.contains(expected)),
                () -> "expected a problem at " + position + " containing \"" + expected + "\", got " + problems);
    }
}
