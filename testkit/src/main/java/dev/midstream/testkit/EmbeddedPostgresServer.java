package dev.midstream.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 server (zonky's binaries) on 127.0.0.1, with logical decoding on. With a data directory it is persistent
 * (a restart keeps the databases); without one it is a throw-away instance tuned for tests (no fsync).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";

    private final Path dataDir;
    private final int requestedPort;
    private final java.util.Map<String, String> serverConfig;
    private EmbeddedPostgres postgres;

    /**
     * @param dataDir persistent data directory, or null for a temporary one removed on close
     * @param port the port on 127.0.0.1; 0 picks a free one
     */
    public EmbeddedPostgresServer(Path dataDir, int port) {
        this(dataDir, port, java.util.Map.of());
    }

    /** With more server settings, e.g. {@code ssl}, {@code ssl_cert_file}, {@code hba_file} for a TLS-only server. */
    public EmbeddedPostgresServer(Path dataDir, int port, java.util.Map<String, String> serverConfig) {
        this.dataDir = dataDir == null ? null : dataDir.toAbsolutePath();
        this.requestedPort = port;
        this.serverConfig = java.util.Map.copyOf(serverConfig);
    }

    public synchronized EmbeddedPostgresServer start() throws IOException {
        if (postgres != null) {
            return this;
        }
        long start = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(FreePort.orPick(requestedPort))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                // Logical decoding, for the change-stream tests' Debezium connector (pgoutput).
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10");
        serverConfig.forEach(builder::setServerConfig);
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        } else {
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        }
        postgres = builder.start();
        LOG.info("PostgreSQL started on 127.0.0.1:{} in {} ms{}", postgres.getPort(),
                (System.nanoTime() - start) / 1_000_000, dataDir == null ? "" : " (data in " + dataDir + ")");
        return this;
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    /** A JDBC URL for {@code database} that carries the user; there is no password (trust authentication). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=" + USER;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException("creating database " + name + " failed", e);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
            LOG.info("PostgreSQL stopped");
        }
    }
}
