package dev.midstream.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 17 for tests: {@code @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();}.
 * One server serves every test class in the JVM; each test takes a database of its own with {@link #newDatabase}.
 */
public final class PostgresExtension implements BeforeAllCallback {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private EmbeddedPostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = SharedServices.postgres(context);
    }

    public TestDatabase newDatabase(String prefix) {
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        server.createDatabase(name);
        return new TestDatabase(name, server.jdbcUrl(name));
    }
}
