package dev.midstream.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB for tests: {@code @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();}.
 * One server serves every test class in the JVM, started when a test first asks for a database of its own with
 * {@link #newDatabase}. Without the server binaries that test is skipped, saying what to install, and fails when
 * {@code CI=true}; the class's other tests run.
 */
public final class MariaDbExtension implements BeforeAllCallback {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private ExtensionContext context;
    private MariaDbServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        this.context = context;
    }

    public TestDatabase newDatabase(String prefix) {
        server();
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        server.createDatabase(name);
        return new TestDatabase(name, server.jdbcUrl(name));
    }

    public synchronized MariaDbServer server() {
        if (server == null) {
            if (MariaDbServer.binaries().isEmpty()) {
                Requirements.missing(MariaDbServer.INSTALL);
            }
            server = SharedServices.mariaDb(context);
        }
        return server;
    }
}
