package dev.midstream.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a test needs from the machine beyond Maven artifacts, and what happens without it: the message says what to
 * install; with {@code CI=true} the test fails (CI installs everything in {@code .ci/run}), elsewhere it is skipped
 * with that message.
 */
public final class Requirements {
    private Requirements() {}

    /** The first of {@code candidates} that is executable, each an absolute path or a command on the PATH. */
    public static Optional<Path> executable(List<String> candidates) {
        String path = System.getenv("PATH");
        for (String candidate : candidates) {
            if (candidate.startsWith("/")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return Optional.of(Path.of(candidate));
                }
                continue;
            }
            for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
                Path file = Path.of(dir, candidate);
                if (Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /** Skips the test with {@code message}, or fails it when {@code CI=true}. */
    public static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }
}
