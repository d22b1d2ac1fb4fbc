package dev.midstream.job;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

/** The soak's samples as one PNG: a small line chart per measure over the run's minutes, TaskManager kills marked. */
final class SoakChart {
    /** One panel: a title, its unit, and up to two series read from each sample. */
    record Panel(String title, String unit, List<Series> series) {}

    record Series(String name, Color color, ToDoubleFunction<SoakSample> value) {}

    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 250;
    private static final int COLUMNS = 2;

    private SoakChart() {}

    static void write(String title, List<SoakSample> samples, List<Double> killMinutes, List<Panel> panels, Path png)
            throws IOException {
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        int width = PANEL_WIDTH * COLUMNS;
        int height = 50 + PANEL_HEIGHT * rows;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 30);
        for (int i = 0; i < panels.size(); i++) {
            draw(g, panels.get(i), samples, killMinutes, (i % COLUMNS) * PANEL_WIDTH, 50 + (i / COLUMNS) * PANEL_HEIGHT);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void draw(Graphics2D g, Panel panel, List<SoakSample> samples, List<Double> killMinutes, int x0, int y0) {
        int left = x0 + 70;
        int right = x0 + PANEL_WIDTH - 20;
        int top = y0 + 30;
        int bottom = y0 + PANEL_HEIGHT - 40;
        double maxMinute = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).minute());
        double max = 0;
        for (Series s : panel.series()) {
            for (SoakSample sample : samples) {
                double v = s.value().applyAsDouble(sample);
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.DARK_GRAY);
        g.drawString(panel.title() + " (" + panel.unit() + ")", left, y0 + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(new Color(0xDDDDDD));
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.drawLine(left, y, right, y);
        }
        g.setColor(Color.GRAY);
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.drawString(compact(max * i / 4), x0 + 8, y + 4);
        }
        for (int m = 0; m <= maxMinute; m += Math.max(1, (int) Math.ceil(maxMinute / 6))) {
            int x = left + (int) ((right - left) * m / maxMinute);
            g.drawString(m + " min", x - 12, bottom + 16);
        }
        g.setColor(new Color(0xCC3333));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        for (double kill : killMinutes) {
            int x = left + (int) ((right - left) * kill / maxMinute);
            g.drawLine(x, top, x, bottom);
        }
        g.setStroke(new BasicStroke(2f));
        int legend = left;
        for (Series s : panel.series()) {
            g.setColor(s.color());
            int[] xs = new int[samples.size()];
            int[] ys = new int[samples.size()];
            int n = 0;
            for (SoakSample sample : samples) {
                double v = s.value().applyAsDouble(sample);
                if (Double.isFinite(v)) {
                    xs[n] = left + (int) ((right - left) * sample.minute() / maxMinute);
                    ys[n] = bottom - (int) ((bottom - top) * v / max);
                    n++;
                }
            }
            g.drawPolyline(xs, ys, n);
            g.drawString(s.name(), legend, bottom + 32);
            legend += g.getFontMetrics().stringWidth(s.name()) + 24;
        }
        g.setColor(new Color(0xCC3333));
        if (!killMinutes.isEmpty()) {
            g.drawString("- - TaskManager kill -9", right - 130, bottom + 32);
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
    }

    private static String compact(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }
}
