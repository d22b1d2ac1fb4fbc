package dev.midstream.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One Kafka broker, one PostgreSQL server and (for the tests that ask) one MariaDB server per test JVM, started on first use and stopped when the whole
 * run ends (held in the root extension store), so many test classes share them.
 */
final class SharedServices {
    private SharedServices() {}

    static EmbeddedKafkaBroker kafka(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KafkaResource.class, k -> new KafkaResource(), KafkaResource.class).broker;
    }

    static EmbeddedPostgresServer postgres(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(PostgresResource.class, k -> new PostgresResource(), PostgresResource.class).server;
    }

    static MariaDbServer mariaDb(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(MariaDbResource.class, k -> new MariaDbResource(), MariaDbResource.class).server;
    }

    private static final class MariaDbResource implements ExtensionContext.Store.CloseableResource {
        final MariaDbServer server;

        MariaDbResource() {
            try {
                server = MariaDbServer.start(Path.of(System.getProperty("java.io.tmpdir")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static final class KafkaResource implements ExtensionContext.Store.CloseableResource {
        final Path dir;
        final EmbeddedKafkaBroker broker;

        KafkaResource() {
            try {
                dir = Files.createTempDirectory("midstream-kafka-");
                broker = new EmbeddedKafkaBroker(dir, 0).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            broker.close();
            Deletes.recursively(dir);
        }
    }

    private static final class PostgresResource implements ExtensionContext.Store.CloseableResource {
        final EmbeddedPostgresServer server;

        PostgresResource() {
            try {
                server = new EmbeddedPostgresServer(null, 0).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
