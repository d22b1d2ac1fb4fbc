package dev.midstream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.midstream.testkit.Requirements;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/**
 * The report in a real browser: Debian's headless Chromium opens the file from disk, the page's script runs
 * without an error (it marks the body {@code data-rendered="ok"}, else the error), the charts are drawn, hostile
 * dead-letter text stays text, and the screenshot is not blank. The page's Content Security Policy lets it load
 * nothing, so no request can leave {@code file:}.
 */
class ReportBrowserTest {
    static final String INSTALL = "install Debian's chromium: apt-get install chromium (.ci/run does)";

    @org.junit.jupiter.api.extension.RegisterExtension
    static final dev.midstream.testkit.PostgresExtension POSTGRES = new dev.midstream.testkit.PostgresExtension();

    @TempDir
    Path dir;

    static Path chromium() {
        Optional<Path> chromium = Requirements.executable(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"));
        if (chromium.isEmpty()) {
            Requirements.missing("headless Chromium is missing: " + INSTALL);
        }
        return chromium.orElseThrow();
    }

    private String run(Path browser, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path output = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(output.toFile()).redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish in 90 s: " + Files.readString(dir.resolve("chromium.err")));
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Test
    void theReportRendersInHeadlessChromium() throws Exception {
        Path browser = chromium();
        QualityReportTest fixture = new QualityReportTest();
        fixture.dir = Files.createDirectories(dir.resolve("fixture"));
        QualityReport report;
        try (var c = QualityReportTest.history(POSTGRES).connect()) {
            report = new ReportReader(c, dev.midstream.model.Database.POSTGRESQL, "dq_counts",
                    dev.midstream.deadletter.PayloadPolicy.RAW).read(
                    List.of(fixture.orders("  rejected_ratio: {warn: 10%}\n")), List.of(), QualityReportTest.NOW,
                    java.time.Duration.ofHours(24), java.time.Duration.ofHours(1));
        }
        Path page = dir.resolve("report.html");
        Files.writeString(page, ReportWriter.html(report));

        Document dom = Jsoup.parse(run(browser, "--dump-dom", page.toUri().toString()));
        assertEquals("ok", dom.body().attr("data-rendered"), "the page's script ran without an error");
        assertEquals(report.dataSets().size(), dom.select("div.chart canvas").size(), "one chart per data set");
        assertTrue(dom.select("img").isEmpty(), "no element from a dead letter's text");
        assertTrue(dom.select("td.reason").stream().allMatch(td -> td.text().equals(QualityReportTest.SHOWN)));

        Path png = dir.resolve("report.png");
        run(browser, "--screenshot=" + png, "--window-size=1100,1400", page.toUri().toString());
        BufferedImage image = ImageIO.read(new File(png.toString()));
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "the screenshot shows a page, not a blank: " + colours.size() + " colours");
        Files.copy(png, Files.createDirectories(Path.of("target")).resolve("report-screenshot.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
