package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/** The dashboard check itself, on a small scrape: it must catch a misspelled name and a regex matching nothing. */
class DashboardMetricsTest {
    private static final String SCRAPE = """
            # HELP flink_taskmanager_job_task_operator_midstream_read read
            # TYPE flink_taskmanager_job_task_operator_midstream_read gauge
            flink_taskmanager_job_task_operator_midstream_read{job_name="x",} 10.0
            flink_taskmanager_job_task_operator_midstream_validation_rejected_amount_range{job_name="x",} 2.0
            """;

    private static List<String> missing(String expr) throws Exception {
        String dashboard = "{\"panels\":[{\"title\":\"p\",\"targets\":[{\"expr\":" + new ObjectMapper().writeValueAsString(expr) + "}]}]}";
        return DashboardMetrics.missing(new ObjectMapper().readTree(dashboard), DashboardMetrics.scrapedNames(SCRAPE));
    }

    @Test
    void scrapeNamesIgnoreCommentsAndLabels() {
        assertEquals(Set.of("flink_taskmanager_job_task_operator_midstream_read",
                "flink_taskmanager_job_task_operator_midstream_validation_rejected_amount_range"),
                DashboardMetrics.scrapedNames(SCRAPE));
    }

    @Test
    void exportedNamesPass() throws Exception {
        assertEquals(List.of(), missing("sum(rate(flink_taskmanager_job_task_operator_midstream_read[1m]))"));
        assertEquals(List.of(), missing("sum by (__name__) (rate({__name__=~\"flink_taskmanager_job_task_operator_midstream_[a-z]+_rejected_.+\"}[5m]))"));
    }

    @Test
    void misspelledNameIsCaught() throws Exception {
        assertEquals(List.of("p: flink_taskmanager_job_task_operator_midstream_reads"),
                missing("sum(rate(flink_taskmanager_job_task_operator_midstream_reads[1m]))"));
    }

    @Test
    void regexMatchingNothingIsCaught() throws Exception {
        assertEquals(1, missing("{__name__=~\"flink_.*_midstream_dlq_.+\"}").size());
    }
}
