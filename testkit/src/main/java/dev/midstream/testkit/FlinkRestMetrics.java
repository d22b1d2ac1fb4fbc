package dev.midstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a running job's {@code midstream.*} counters through the JobManager's REST API — the same endpoints
 * the web UI's metrics tab uses — summed over operators and subtasks.
 */
public final class FlinkRestMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A little over a {@code metrics.fetcher.update-interval} of 1 s (the demo's and the test cluster's). */
    private static final Duration FETCH_SETTLE = Duration.ofMillis(1200);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String jobId;

    public FlinkRestMetrics(String restUrl, String jobId) {
        this.base = restUrl;
        this.jobId = jobId;
    }

    /**
     * Counter name below {@code midstream.} (e.g. {@code read}, {@code validation.rejected.amount_range}) → sum.
     * The JobManager answers from its metric store and refreshes it in the background when asked, so one request
     * triggers the fetch and a second one, after the fetch interval, reads what it brought.
     */
    public Map<String, Long> midstreamCounters() throws IOException, InterruptedException {
        return midstreamCounters(vertex -> true);
    }

    /** The same, over the job vertices whose name {@code vertices} accepts (e.g. one layer of a combined job). */
    public Map<String, Long> midstreamCounters(java.util.function.Predicate<String> vertices)
            throws IOException, InterruptedException {
        query(vertices);
        Thread.sleep(FETCH_SETTLE.toMillis());
        return query(vertices);
    }

    public String jobId() {
        return jobId;
    }

    /** A job-level metric (e.g. {@code numRestarts}), fetched fresh; -1 if the JobManager does not report it. */
    public long jobMetric(String name) throws IOException, InterruptedException {
        String path = "/jobs/" + jobId + "/metrics?get=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        get(path);
        Thread.sleep(FETCH_SETTLE.toMillis());
        JsonNode answer = get(path);
        return answer.size() == 0 ? -1 : (long) answer.get(0).path("value").asDouble(-1);
    }

    private Map<String, Long> query(java.util.function.Predicate<String> vertices) throws IOException, InterruptedException {
        Map<String, Long> sums = new TreeMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            if (!vertices.test(vertex.path("name").asText())) {
                continue;
            }
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode metric : get(path)) {
                String id = metric.path("id").asText();
                if (id.contains(".midstream.")) {
                    ids.add(id);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            String query = "?agg=sum&get=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
            for (JsonNode metric : get(path + query)) {
                String id = metric.path("id").asText();
                String name = id.substring(id.indexOf(".midstream.") + ".midstream.".length());
                sums.merge(name, (long) metric.path("sum").asDouble(), Long::sum);
            }
        }
        return sums;
    }

    /** GET a REST path (e.g. {@code /jobs/<id>}) as JSON. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
