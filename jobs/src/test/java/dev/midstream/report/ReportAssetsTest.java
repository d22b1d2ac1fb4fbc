package dev.midstream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The vendored uPlot is the npm release's, byte for byte, with its licence beside it. */
class ReportAssetsTest {
    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is vendored");
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void uPlotIsTheNpmReleaseWithItsLicence() throws Exception {
        assertEquals("19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
                sha256(resource("uPlot.iife.min.js")), "uplot@1.6.32 dist/uPlot.iife.min.js");
        assertEquals("df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
                sha256(resource("uPlot.min.css")), "uplot@1.6.32 dist/uPlot.min.css");
        String licence = new String(resource("uPlot.LICENSE"), StandardCharsets.UTF_8);
        assertTrue(licence.startsWith("The MIT License (MIT)") && licence.contains("Leon Sorokin"), licence);
        String notes = new String(resource("VENDORED.md"), StandardCharsets.UTF_8);
        assertTrue(notes.contains(sha256(resource("uPlot.iife.min.js"))), "VENDORED.md names the same sum");
    }
}
