package dev.midstream.deploy;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a check needs from the machine, and what happens without it: the message says what to install; with
 * {@code CI=true} the check fails (CI has everything), elsewhere it is skipped with that message.
 */
final class Environment {
    private Environment() {}

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    static void require(String command, String whatToInstall) {
        if (!onPath(command)) {
            missing(whatToInstall);
        }
    }

    static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /**
     * {@code ../shared/crds/<name>} beside the checkout (public CRD schemas, kept outside the project). The repository
     * root is two levels above the test's working directory ({@code deploy-checks/}).
     */
    static Path sharedCrds(String name) {
        Path shared = Yaml.repo("..").toAbsolutePath().normalize().resolve("shared").resolve("crds").resolve(name);
        if (!Files.isDirectory(shared)) {
            missing(shared + " is absent: the published CRD schemas live in shared/crds/ beside the checkout (see"
                    + " shared/crds/README.md); link or copy that folder there to validate the manifests against them");
        }
        return shared;
    }
}
