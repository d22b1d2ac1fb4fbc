package dev.midstream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The results as a Markdown table (printed and written), a CSV and a PNG chart under the results directory. */
final class Report {
    private Report() {}

    static String markdown(List<Result> results, String machine, Workload workload) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%s. Input: %,d messy events (%,d orders; %s).%n%n", machine,
                workload.events, workload.orders, workload.outcomes));
        md.append("| contender | wall s | events/s | rows | rows/s | CPU s: JVM / DB / Kafka | checkpoints: n, avg / max ms"
                + " | latency p50 / p99 ms (input/s, cores busy) | vs reference: equal / differ / missing / extra | dead letters |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- | ---: |\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %,.0f | %,d | %,.0f | %.0f / %.0f / %.0f | %s | %s | %s | %s |%n",
                    r.name(), r.seconds(), r.eventsPerSecond(), r.rows(), r.rowsPerSecond(), r.cpu().jvm(),
                    r.cpu().postgres(), r.cpu().kafka(),
                    r.checkpoints().completed() == 0 ? "–" : r.checkpoints().completed() + ", " + r.checkpoints().avgMs()
                            + " / " + r.checkpoints().maxMs(),
                    r.latency() == null ? "–" : String.format(Locale.ROOT, "%,d / %,d (%,.0f, %.2f)",
                            r.latency().p50Ms(), r.latency().p99Ms(), r.latency().inputPerSecond(),
                            r.latency().coresBusy()),
                    r.comparison() == null ? "–" : String.format(Locale.ROOT, "%,d / %,d / %,d / %,d",
                            r.comparison().equal(), r.comparison().differ(), r.comparison().missing(), r.comparison().extra()),
                    r.rejected() < 0 ? (r.kind().equals("flink-sql") ? "none (dropped silently)" : "–")
                            : String.format(Locale.ROOT, "%,d", r.rejected())));
        }
        md.append(latencyRounds(results));
        return md.toString();
    }

    /** Every latency probe alone: its p99, its place in its round, the cores busy, and its p99 by second sent. */
    static String latencyRounds(List<Result> results) {
        StringBuilder md = new StringBuilder();
        for (Result r : results) {
            if (r.latency() == null) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("\nLatency probes, pooled in the table above; each alone here (place in its round, cores busy,"
                        + " p99 ms of the orders first sent in each second):\n\n");
            }
            md.append(String.format(Locale.ROOT, "- %s at %,.0f events/s: p99 %s ms%n", r.name(),
                    r.latency().inputPerSecond(), r.latency().roundsP99()));
            for (Result.Latency.Round round : r.latency().rounds()) {
                md.append(String.format(Locale.ROOT, "  - %,d ms (place %d, %.2f cores): %s%n", round.p99Ms(),
                        round.place(), round.coresBusy(), round.p99BySecond().stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(" "))));
            }
        }
        return md.toString();
    }

    static String csv(List<Result> results) {
        StringBuilder csv = new StringBuilder("contender,kind,wall_s,events,events_per_s,rows,rows_per_s,cpu_jvm_s,cpu_pg_s,"
                + "cpu_kafka_s,checkpoints,checkpoint_avg_ms,checkpoint_max_ms,latency_input_per_s,latency_p50_ms,"
                + "latency_p99_ms,latency_max_ms,latency_cores_busy,equal,differ,missing,extra,dead_letters\n");
        for (Result r : results) {
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%.2f,%d,%.0f,%d,%.0f,%.1f,%.1f,%.1f,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d%n",
                    r.name(), r.kind(), r.seconds(), r.events(), r.eventsPerSecond(), r.rows(), r.rowsPerSecond(),
                    r.cpu().jvm(), r.cpu().postgres(), r.cpu().kafka(), r.checkpoints().completed(),
                    r.checkpoints().avgMs(), r.checkpoints().maxMs(),
                    r.latency() == null ? "" : String.format(Locale.ROOT, "%.0f", r.latency().inputPerSecond()),
                    r.latency() == null ? "" : r.latency().p50Ms(), r.latency() == null ? "" : r.latency().p99Ms(),
                    r.latency() == null ? "" : r.latency().maxMs(),
                    r.latency() == null ? "" : String.format(Locale.ROOT, "%.2f", r.latency().coresBusy()),
                    r.comparison() == null ? "" : r.comparison().equal(), r.comparison() == null ? "" : r.comparison().differ(),
                    r.comparison() == null ? "" : r.comparison().missing(), r.comparison() == null ? "" : r.comparison().extra(),
                    r.rejected()));
        }
        return csv.toString();
    }

    /** Rows per second for every contender that lands rows (left); latency percentiles for the probed ones (right). */
    static void chart(List<Result> all, String title, Path png) throws IOException {
        List<Result> results = all.stream().filter(r -> !r.kind().equals("floor")).toList();
        int width = 1500;
        int rowHeight = 34;
        int height = 120 + rowHeight * results.size();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int labelWidth = 330;
        int left = labelWidth + 20;
        int panel = 480;
        int top = 70;
        g.drawString("rows landed per second", left, top - 12);
        int latencyLeft = left + panel + 90;
        g.drawString("end-to-end latency, ms (p50 dark, p99 light) at half the max rate", latencyLeft, top - 12);
        double maxRate = results.stream().mapToDouble(Result::rowsPerSecond).max().orElse(1);
        double maxLatency = results.stream().filter(r -> r.latency() != null).mapToDouble(r -> r.latency().p99Ms())
                .max().orElse(1);
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            int y = top + i * rowHeight;
            g.setColor(Color.BLACK);
            g.drawString(r.name(), 20, y + 18);
            g.setColor(switch (r.kind()) {
                case "midstream" -> new Color(0x1f77b4);
                case "flink-sql" -> new Color(0xff7f0e);
                default -> new Color(0x7f7f7f);
            });
            int bar = (int) Math.round((panel - 80) * r.rowsPerSecond() / maxRate);
            g.fillRect(left, y + 4, Math.max(1, bar), rowHeight - 10);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond()), left + bar + 6, y + 18);
            if (r.latency() != null) {
                int p99 = (int) Math.round((panel - 100) * r.latency().p99Ms() / maxLatency);
                int p50 = (int) Math.round((panel - 100) * r.latency().p50Ms() / maxLatency);
                g.setColor(new Color(0xc6dbef));
                g.fillRect(latencyLeft, y + 4, Math.max(1, p99), rowHeight - 10);
                g.setColor(new Color(0x08519c));
                g.fillRect(latencyLeft, y + 4, Math.max(1, p50), rowHeight - 10);
                g.setColor(Color.BLACK);
                g.drawString(r.latency().p50Ms() + " / " + r.latency().p99Ms(), latencyLeft + p99 + 6, y + 18);
            }
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.GRAY);
        g.drawLine(left, top, left, top + rowHeight * results.size());
        g.drawLine(latencyLeft, top, latencyLeft, top + rowHeight * results.size());
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** {@code <stem>.md} (the table, then {@code targets}), {@code .csv} and {@code .png} in {@code dir}. */
    static List<Path> write(Path dir, String stem, String title, List<Result> results, String machine,
            Workload workload, String targets) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve(stem + ".md");
        Path csv = dir.resolve(stem + ".csv");
        Path png = dir.resolve(stem + ".png");
        Files.writeString(md, markdown(results, machine, workload) + targets);
        Files.writeString(csv, csv(results));
        chart(results, String.format(Locale.ROOT, "%s: %,d events, %s", title, workload.events, machine), png);
        return new ArrayList<>(List.of(md, csv, png));
    }
}
