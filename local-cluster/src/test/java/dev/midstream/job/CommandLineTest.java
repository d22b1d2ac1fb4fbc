package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code midstream validate} as users run it: from the shaded job jar alone, without Flink on the class path,
 * through {@code deploy/local/midstream}, with the documented exit codes.
 */
class CommandLineTest {
    private static final Path SCRIPT = Path.of("..", "deploy", "local", "midstream").toAbsolutePath().normalize();

    private record Run(int exitCode, String output) {}

    private static Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-cp", LocalCluster.JOB_JAR.toString(),
                "dev.midstream.cli.Midstream"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new Run(process.exitValue(), output);
    }

    @Test
    void validateRunsFromTheJobJarAloneWithItsExitCodes(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(LocalCluster.JOB_JAR), "build the job jar first: " + LocalCluster.JOB_JAR);
        Run ok = java("validate", "../pipelines/sales.yaml");
        assertEquals(0, ok.exitCode(), ok.output());
        assertEquals("../pipelines/sales.yaml: OK\n", ok.output());

        Path broken = Files.writeString(dir.resolve("sales.yaml"),
                Files.readString(Path.of("../pipelines/sales.yaml")).replace("size: 1min", "size: soon"));
        Run problems = java("validate", broken.toString());
        assertEquals(1, problems.exitCode(), problems.output());
        assertTrue(problems.output().startsWith(broken + ":"), problems.output());
        assertTrue(problems.output().contains("windows[0].size: 'soon' is not a positive duration"), problems.output());

        Run usage = java("validate", "--against");
        assertEquals(64, usage.exitCode(), usage.output());
        Run help = java("--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("validate") && help.output().contains("check-upgrade")
                && help.output().contains("Exit codes:") && help.output().contains("64"), help.output());
    }

    @Test
    void theScriptRunsTheSameCommand() throws Exception {
        Run ok = run(List.of(SCRIPT.toString(), "validate", "../pipelines/sales.yaml"));
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().endsWith("../pipelines/sales.yaml: OK\n"), ok.output());
    }
}
