package dev.midstream.report;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The report as one self-contained HTML file (styles, data and the vendored uPlot inline; a Content Security Policy
 * that lets the page load nothing) and as JSON with the same numbers. Every text that comes from data — reasons,
 * fields, rule names, payloads — is escaped; a payload is shown only as the dead-letter policy kept it, with emails
 * and personal-data fields hidden.
 */
public final class ReportWriter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportWriter() {}

    public static String json(QualityReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generated_at", report.generatedAt().toString());
        root.put("window_seconds", report.window().toSeconds());
        root.put("bucket_seconds", report.bucket().toSeconds());
        root.put("status", report.status().name().toLowerCase(Locale.ROOT));
        ArrayNode sets = root.putArray("data_sets");
        for (QualityReport.DataSet d : report.dataSets()) {
            ObjectNode o = sets.addObject();
            o.put("pipeline", d.pipeline());
            o.put("kind", d.kind());
            o.put("status", d.status().name().toLowerCase(Locale.ROOT));
            d.findings().forEach(o.withArray("findings")::add);
            o.put("read", d.read());
            o.put("written", d.written());
            o.put("rejected", d.rejected());
            o.put("deduplicated", d.deduplicated());
            o.put("skipped", d.skipped());
            o.put("expanded", d.expanded());
            o.put("unaccounted", d.unaccounted());
            o.put("rejected_ratio", d.rejectedRatio());
            o.put("last_written", d.lastWritten() == null ? null : d.lastWritten().toString());
            o.put("read_last_hour", d.readLastHour());
            if (d.latency() != null) {
                o.putObject("latency_seconds").put("rows", d.latency().rows()).put("p50", d.latency().p50Seconds())
                        .put("p99", d.latency().p99Seconds());
            }
            counts(o.putArray("rules"), d.rules());
            counts(o.putArray("top_fields"), d.topFields());
            counts(o.putArray("unknown_fields"), d.unknownFields());
            counts(o.putArray("empty_fields"), d.emptyFields());
            counts(o.putArray("unmatched"), d.unmatched());
            ArrayNode partitions = o.putArray("partitions");
            for (QualityReport.Partition p : d.partitions()) {
                partitions.addObject().put("topic", p.topic()).put("partition", p.partition()).put("read", p.read())
                        .put("rejected", p.rejected()).put("ratio", p.ratio());
            }
            ArrayNode samples = o.putArray("samples");
            for (QualityReport.Sample s : d.samples()) {
                samples.addObject().put("stage", s.stage()).put("rule", s.rule()).put("field", s.field())
                        .put("reason", s.reason()).put("position", s.position()).put("at", s.at().toString())
                        .put("payload", s.payload());
            }
            ArrayNode trend = o.putArray("trend");
            for (QualityReport.Bucket b : d.trend()) {
                trend.addObject().put("start", b.start().toString()).put("read", b.read()).put("rejected", b.rejected());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void counts(ArrayNode into, List<QualityReport.Count> counts) {
        for (QualityReport.Count c : counts) {
            into.addObject().put("stage", c.stage()).put("rule", c.rule()).put("records", c.records())
                    .put("ratio", c.ratio());
        }
    }

    public static String html(QualityReport report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src")
                .append(" 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<title>Midstream data quality</title>\n<style>").append(resource("uPlot.min.css"))
                .append(STYLE).append("</style></head>\n<body data-rendered=\"no\">\n")
                .append("<h1>Data quality <span class=\"badge ").append(cls(report.status())).append("\">")
                .append(report.status().name().toLowerCase(Locale.ROOT)).append("</span></h1>\n")
                .append("<p class=\"meta\">Generated ").append(esc(report.generatedAt().toString())).append(" · window ")
                .append(esc(QualityReport.human(report.window()))).append(" in steps of ")
                .append(esc(QualityReport.human(report.bucket())))
                .append(" · from the quality history (exact across failures) and the dead-letter tables</p>\n");
        h.append("<table class=\"scorecard\"><tr><th>data set</th><th>status</th><th>read</th><th>written</th>")
                .append("<th>rejected</th><th>rejected %</th><th>deduplicated</th><th>unaccounted</th>")
                .append("<th>last written</th><th>latency p50 / p99</th></tr>\n");
        for (QualityReport.DataSet d : report.dataSets()) {
            h.append("<tr><td><a href=\"#").append(esc(d.pipeline())).append("\">").append(esc(d.pipeline()))
                    .append("</a></td><td><span class=\"badge ").append(cls(d.status())).append("\">")
                    .append(d.status().name().toLowerCase(Locale.ROOT)).append("</span></td>")
                    .append(num(d.read())).append(num(d.written())).append(num(d.rejected()))
                    .append("<td class=\"n\">").append(pct(d.rejectedRatio())).append("</td>").append(num(d.deduplicated()))
                    .append("<td class=\"n").append(d.unaccounted() == null || d.unaccounted() == 0 ? "" : " bad")
                    .append("\">").append(d.unaccounted() == null ? "–" : d.unaccounted().toString()).append("</td><td>")
                    .append(d.sinceLastWritten() == null ? "never" : esc(QualityReport.human(d.sinceLastWritten())) + " ago")
                    .append("</td><td class=\"n\">").append(latency(d.latency())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (int i = 0; i < report.dataSets().size(); i++) {
            dataSet(h, report.dataSets().get(i), i);
        }
        h.append("<script type=\"application/json\" id=\"report-data\">").append(scriptSafe(json(report)))
                .append("</script>\n<script>").append(resource("uPlot.iife.min.js")).append("</script>\n<script>")
                .append(CHARTS).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void dataSet(StringBuilder h, QualityReport.DataSet d, int index) {
        h.append("<section id=\"").append(esc(d.pipeline())).append("\"><h2>").append(esc(d.pipeline()))
                .append(" <span class=\"badge ").append(cls(d.status())).append("\">")
                .append(d.status().name().toLowerCase(Locale.ROOT)).append("</span></h2>\n");
        if (!d.findings().isEmpty()) {
            h.append("<ul class=\"findings\">");
            d.findings().forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
            h.append("</ul>\n");
        }
        if (d.written() == null) {
            h.append("<p>A transform layer: ").append(d.read()).append(" facts read, ").append(d.rejected())
                    .append(" dead letters (a fact can miss several windows); ").append(d.readLastHour())
                    .append(" read in the last hour.</p>\n");
        } else {
            h.append("<p>").append(d.read()).append(" read, ").append(d.written()).append(" written, ")
                    .append(d.rejected()).append(" rejected (").append(pct(d.rejectedRatio())).append("), ")
                    .append(d.deduplicated()).append(" deduplicated, ").append(d.skipped()).append(" skipped; ")
                    .append(d.readLastHour()).append(" read in the last hour.</p>\n");
        }
        if (d.latency() != null) {
            h.append("<p>From event time to written: ").append(latency(d.latency())).append(" (median / 99th")
                    .append(" percentile over the ").append(d.latency().rows()).append(" rows written in the window)</p>\n");
        }
        h.append("<h3>Read and rejected</h3><div class=\"chart\" id=\"chart-").append(index).append("\"></div>\n");
        h.append("<h3>").append(d.written() == null ? "Steps" : "Rules").append("</h3><table class=\"rules\"><tr><th>stage</th><th>rule</th><th>rejected</th><th>of read</th></tr>");
        for (QualityReport.Count c : d.rules()) {
            h.append("<tr").append(c.records() == 0 ? " class=\"quiet\"" : "").append("><td>").append(esc(c.stage()))
                    .append("</td><td class=\"rule\">").append(esc(c.rule())).append("</td>").append(num(c.records()))
                    .append("<td class=\"n\">").append(pct(c.ratio())).append("</td></tr>");
        }
        h.append("</table>\n<h3>Where rejects come from</h3><table><tr><th>topic</th><th>partition</th><th>read</th>")
                .append("<th>rejected</th><th>rejected %</th></tr>");
        for (QualityReport.Partition p : d.partitions()) {
            h.append("<tr><td>").append(esc(p.topic())).append("</td>").append(num(p.partition())).append(num(p.read()))
                    .append(num(p.rejected())).append("<td class=\"n\">").append(pct(p.ratio())).append("</td></tr>");
        }
        h.append("</table>\n");
        counts(h, "Fields named by rejects", d.topFields(), "of rejected");
        counts(h, "Fields the schema does not declare", d.unknownFields(), "of read");
        counts(h, "Empty columns in the rows written", d.emptyFields(), "of written");
        counts(h, "Facts that went on without their row", d.unmatched(), "of read");
        h.append("<h3>Recent dead letters</h3><table class=\"samples\"><tr><th>stage/rule</th><th>field</th>")
                .append("<th>reason</th><th>source</th><th>at</th><th>payload</th></tr>");
        for (QualityReport.Sample s : d.samples()) {
            h.append("<tr><td>").append(esc(s.stage() + "/" + s.rule())).append("</td><td>").append(esc(s.field()))
                    .append("</td><td class=\"reason\">").append(esc(s.reason())).append("</td><td>")
                    .append(esc(s.position())).append("</td><td>").append(esc(s.at().toString()))
                    .append("</td><td class=\"payload\">").append(s.payload() == null ? "–"
                            : "<code>" + esc(s.payload()) + "</code>").append("</td></tr>");
        }
        h.append("</table>\n<p class=\"meta\">Payloads as midstream.deadletter.payload kept them (none under drop),")
                .append(" with emails and personal-data fields hidden.</p></section>\n");
    }

    private static void counts(StringBuilder h, String title, List<QualityReport.Count> counts, String ratioOf) {
        if (counts.isEmpty()) {
            return;
        }
        h.append("<h3>").append(esc(title)).append("</h3><table><tr><th>field</th><th>records</th><th>")
                .append(esc(ratioOf)).append("</th></tr>");
        counts.forEach(c -> h.append("<tr><td>").append(esc(c.stage().isEmpty() || c.stage().equals("schema")
                ? c.rule() : c.stage() + "/" + c.rule())).append("</td>").append(num(c.records()))
                .append("<td class=\"n\">").append(pct(c.ratio())).append("</td></tr>"));
        h.append("</table>\n");
    }

    private static String latency(QualityReport.Latency latency) {
        if (latency == null) {
            return "–";
        }
        if (latency.rows() == 0) {
            return "no rows";
        }
        return seconds(latency.p50Seconds()) + " / " + seconds(latency.p99Seconds());
    }

    private static String seconds(double s) {
        if (s < 0) {
            return "ahead " + seconds(-s);
        }
        return s < 10 ? String.format(Locale.ROOT, "%.2f s", s)
                : esc(QualityReport.human(java.time.Duration.ofMillis((long) (s * 1000))));
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** JSON inside a script element: nothing in it may close the element or open a comment. */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private static String num(Long n) {
        return n == null ? "<td class=\"n\">–</td>" : num(n.longValue());
    }

    private static String num(long n) {
        return "<td class=\"n\">" + n + "</td>";
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static String cls(QualityReport.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static String resource(String name) {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}
            h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1.05em;margin-top:1.4em}
            table{border-collapse:collapse;margin:.5em 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}td.bad{color:#b00;font-weight:600}
            tr.quiet td{color:#999}.badge{font-size:.75em;padding:2px 8px;border-radius:10px;color:#fff;vertical-align:middle}
            .ok{background:#2a7}.warning{background:#d90}.error{background:#c33}.meta{color:#777;font-size:.9em}
            .findings li{color:#b00}.reason{max-width:420px;word-break:break-word}.chart{min-height:240px}
            .payload code{font-size:.85em;word-break:break-all;white-space:pre-wrap}
            """;

    private static final String CHARTS = """
            (function () {
              try {
                var data = JSON.parse(document.getElementById('report-data').textContent);
                data.data_sets.forEach(function (d, i) {
                  var el = document.getElementById('chart-' + i);
                  var xs = d.trend.map(function (b) { return Date.parse(b.start) / 1000; });
                  var read = d.trend.map(function (b) { return b.read; });
                  var rejected = d.trend.map(function (b) { return b.rejected; });
                  new uPlot({width: 900, height: 220, axes: [{}, {size: 70}],
                      series: [{}, {label: 'read', stroke: '#1f77b4', width: 2},
                      {label: 'rejected', stroke: '#d62728', width: 2}]}, [xs, read, rejected], el);
                });
                document.body.setAttribute('data-rendered', 'ok');
              } catch (e) {
                document.body.setAttribute('data-rendered', 'error: ' + e.message);
              }
            })();
            """;
}
