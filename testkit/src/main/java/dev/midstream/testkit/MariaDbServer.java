package dev.midstream.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server (Debian's {@code mariadb-server-core}, 10.11) on 127.0.0.1, in a data directory of its own
 * made by {@code mariadb-install-db}; {@code root} without a password, tuned for tests (no flush at commit). Stopped
 * with {@link #close()}, which removes the directory.
 */
public final class MariaDbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbServer.class);
    public static final String INSTALL = "MariaDB tests need a MariaDB server (10.6 or newer): on Debian or Ubuntu"
            + " 'apt-get install mariadb-server-core mariadb-client-core' (.ci/run installs them); no server is run"
            + " as a service, the tests start their own";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final boolean durable;
    private final List<String> serverOptions;
    private Process process;

    private MariaDbServer(Path dir, int port, boolean durable, List<String> serverOptions) {
        this.dir = dir;
        this.port = port;
        this.durable = durable;
        this.serverOptions = List.copyOf(serverOptions);
    }

    /** The server binaries, if installed: {@code mariadbd} and {@code mariadb-install-db}. */
    public static Optional<Path[]> binaries() {
        Optional<Path> server = Requirements.executable(List.of("/usr/sbin/mariadbd", "mariadbd"));
        Optional<Path> install = Requirements.executable(List.of("/usr/bin/mariadb-install-db", "mariadb-install-db"));
        return server.isPresent() && install.isPresent() ? Optional.of(new Path[] {server.get(), install.get()})
                : Optional.empty();
    }

    /** Initializes a data directory under {@code parent} and starts a server on a free port, tuned for tests. */
    public static MariaDbServer start(Path parent) throws IOException {
        return start(parent, false);
    }

    /** As {@link #start(Path)}; {@code durable}: InnoDB's defaults (flush at every commit, doublewrite), for the bench. */
    public static MariaDbServer start(Path parent, boolean durable) throws IOException {
        return start(parent, durable, List.of());
    }

    /** As {@link #start(Path)}, with more {@code mariadbd} options, e.g. {@code --ssl-cert=…} for a TLS server. */
    public static MariaDbServer start(Path parent, List<String> serverOptions) throws IOException {
        return start(parent, false, serverOptions);
    }

    private static MariaDbServer start(Path parent, boolean durable, List<String> serverOptions) throws IOException {
        Path[] binaries = binaries().orElseThrow(() -> new IllegalStateException(INSTALL));
        Path dir = Files.createTempDirectory(Files.createDirectories(parent), "mariadb-");
        MariaDbServer server = new MariaDbServer(dir, FreePort.pick(), durable, serverOptions);
        server.run(binaries[0], binaries[1]);
        return server;
    }

    private void run(Path mariadbd, Path installDb) throws IOException {
        long start = System.nanoTime();
        Path data = dir.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (root) {
            install.add("--user=root");
        }
        exec(install, dir.resolve("install.log"));
        List<String> command = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"),
                "--pid-file=" + dir.resolve("mariadb.pid"), "--skip-name-resolve", "--skip-log-bin",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin",
                "--innodb-buffer-pool-size=" + (durable ? "512M" : "128M"),
                "--max-allowed-packet=64M", "--max-connections=200", "--log-error=" + dir.resolve("error.log")));
        if (!durable) {
            command.addAll(List.of("--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0"));
        }
        if (root) {
            command.add("--user=root");
        }
        command.addAll(serverOptions);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(jdbcUrl("mysql"))) {
                break;
            } catch (SQLException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.exists(dir.resolve("error.log"))
                            ? Files.readString(dir.resolve("error.log"), StandardCharsets.UTF_8) : "";
                    throw new IOException("MariaDB did not start on 127.0.0.1:" + port + ": " + log.strip());
                }
                sleep();
            }
        }
        LOG.info("MariaDB started on 127.0.0.1:{} in {} ms (data in {})", port, (System.nanoTime() - start) / 1_000_000,
                data);
    }

    private static void exec(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's process id, for CPU accounting. */
    public long pid() {
        return process.pid();
    }

    /** A JDBC URL for {@code database} (MariaDB Connector/J) that carries the user; root has no password here. */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root";
    }

    /** Creates the database ({@code utf8mb4_bin}) unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("mysql")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
            LOG.info("MariaDB stopped");
        }
        Deletes.recursively(dir);
    }
}
