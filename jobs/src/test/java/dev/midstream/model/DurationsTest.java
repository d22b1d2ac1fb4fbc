package dev.midstream.model;

import static org.junit.jupiter.api.Assertions.*;

import org.apache.flink.util.TimeUtils;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One grammar for durations: what a pipeline or transform file accepts ({@link Durations}) is exactly what the job
 * configuration accepts (Flink's {@link TimeUtils#parseDuration}), with the same value, for the forms people write
 * and for random text made of their pieces.
 */
class DurationsTest {
    private static final String[] PIECES = {"0", "1", "7", "24", "500", "9999999999999999999", " ", "\t", "d", "day",
            "days", "h", "H", "hour", "hours", "m", "min", "MIN", "minute", "minutes", "s", "sec", "secs", "second",
            "seconds", "ms", "milli", "millis", "millisecond", "milliseconds", "µs", "micro", "ns", "nanos", "us", "-",
            ".", "5", "x", "PT1H", "1h30min", "P", "T", "P1D", "PT", "1M", "30S", ",5", "D"};

    @Test
    void theFormsInUseReadAsFlinkReadsThem() {
        for (String text : List.of("24 h", "24h", "7d", "10min", "10 min", "10m", "30s", "30 sec", "500ms", "500",
                "1 day", "2 minutes", "  5 s ", "1 HOUR", "100 millis", "5 µs", "5 ns", "PT1H", "pt15m", "P1DT2H",
                "PT1.5S")) {
            assertEquals(TimeUtils.parseDuration(text), Durations.parse(text), text);
        }
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
    }

    @Test
    void whatFlinkRefusesIsRefused() {
        for (String text : List.of("", "h", "-1s", "1.5h", "1h30min", "5us", "forever", "PT-1H", "-PT1H", "P", "PT",
                "P1W", "10 mins?")) {
            assertThrows(RuntimeException.class, () -> TimeUtils.parseDuration(text), text);
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
        }
    }

    @Test
    void thePublishedSchemasDescribeTheSameGrammar() throws Exception {
        for (String schema : List.of("../pipelines/pipeline.schema.json", "../pipelines/transform.schema.json")) {
            String pattern = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Path.of(schema)
                    .toFile()).at("/$defs/duration/pattern").asText();
            java.util.regex.Pattern regex = java.util.regex.Pattern.compile(pattern);
            Random random = new Random(7);
            for (int i = 0; i < 5_000; i++) {
                String text = randomText(random);
                boolean ours;
                try {
                    Durations.parse(text);
                    ours = true;
                } catch (IllegalArgumentException e) {
                    ours = false;
                }
                // Flink reads 9999999999999999999 too; the schema's lint does not bound the number.
                if (!text.contains("9999999999999999999")) {
                    assertEquals(ours, regex.matcher(text).matches(), schema + ": '" + text + "'");
                }
            }
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(4); n >= 0; n--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    @Test
    void randomTextIsReadTheSameWayByBoth() {
        Random random = new Random(42);
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(4); n >= 0; n--) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String flink;
            String ours;
            try {
                flink = TimeUtils.parseDuration(text.toString()).toString();
            } catch (RuntimeException e) {
                flink = "refused";
            }
            try {
                ours = Durations.parse(text.toString()).toString();
            } catch (IllegalArgumentException e) {
                ours = "refused";
            }
            if (!flink.equals(ours)) {
                disagreements.add("'" + text + "': flink " + flink + ", ours " + ours);
            }
        }
        assertEquals(List.of(), disagreements);
    }
}
