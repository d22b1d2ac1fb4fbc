package dev.midstream.config;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

class CleanseConfigTest {
    private static final Function<String, String> ENV =
            Map.of("MIDSTREAM_PII_SALT", "a-salt-of-more-than-16-bytes")::get;

    private static ConfigException failure(Function<String, String> env, String... args) {
        return assertThrows(ConfigException.class, () -> CleanseConfig.load(ConfigSource.fromArgs(args), env));
    }

    private static String[] minimal(String... more) {
        String[] base = {"--midstream.source.bootstrap-servers", "kafka:9092",
                "--midstream.sink.jdbc-url", "jdbc:postgresql://db:5432/shop"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void minimalConfigurationGetsDocumentedDefaults() {
        CleanseConfig config = CleanseConfig.load(ConfigSource.fromArgs(minimal()), ENV);
        assertEquals("orders", config.pipeline);
        assertEquals("ods.orders", config.sourceTopic);
        assertEquals(Duration.ofHours(24), config.dedupTtl);
        assertEquals(500, config.batchSize);
        assertEquals("\"orders\"", config.table.sql());
        assertEquals("jdbc:postgresql://db:5432/shop?reWriteBatchedInserts=true", config.jdbcUrl);
    }

    @Test
    void allProblemsAreReportedTogetherWithTheirOrigin() {
        ConfigException e = failure(k -> null, "--midstream.sink.batch-size", "ten");
        String message = e.getMessage();
        assertTrue(e.problems().size() >= 4, message);
        assertTrue(message.contains("default: midstream.source.bootstrap-servers: is required"), message);
        assertTrue(message.contains("default: midstream.sink.jdbc-url: is required"), message);
        assertTrue(message.contains("argument --midstream.sink.batch-size: midstream.sink.batch-size: 'ten' is not a whole number;"
                + " remove it to use the default 500"), message);
        assertTrue(message.contains("midstream.pii.salt-env: the email-hashing salt from environment variable"
                + " MIDSTREAM_PII_SALT is missing"), message);
    }

    @Test
    void fileErrorsNameFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.properties");
        Files.writeString(file, "# orders\nmidstream.source.bootstrap-servers=kafka:9092\n"
                + "midstream.sink.jdbc-url=jdbc:postgresql://db/shop\n\nmidstream.dedup.ttl=forever\n");
        ConfigException e = failure(ENV, "--config", file.toString());
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(file + ":5: midstream.dedup.ttl: 'forever' is not a duration; write e.g. '24 h', '15 min' or '200 ms';"
                + " remove it to use the default 24 h", e.problems().get(0));
    }

    @Test
    void unknownKeyIsAnErrorWithASuggestion() {
        ConfigException e = failure(ENV, minimal("--midstream.sink.batchsize", "10"));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("midstream.sink.batchsize: unknown option; did you mean midstream.sink.batch-size?"),
                e.getMessage());
    }

    @Test
    void shortSaltIsRefused() {
        ConfigException e = failure(Map.of("MIDSTREAM_PII_SALT", "short")::get, minimal());
        assertTrue(e.getMessage().contains("is only 5 bytes; provide at least 16 random bytes"), e.getMessage());
    }

    @Test
    void saltFileTakesPrecedenceOverEnvironment(@TempDir Path dir) throws Exception {
        Path salt = dir.resolve("salt");
        Files.writeString(salt, "file-salt-0123456789abcdef\n");
        CleanseConfig config = CleanseConfig.load(ConfigSource.fromArgs(minimal("--midstream.pii.salt-file", salt.toString())), ENV);
        assertArrayEquals("file-salt-0123456789abcdef".getBytes(), config.salt());
    }

    @Test
    void missingSaltFileIsNamed(@TempDir Path dir) {
        ConfigException e = failure(ENV, minimal("--midstream.pii.salt-file", dir.resolve("nope").toString()));
        assertTrue(e.getMessage().contains("midstream.pii.salt-file: cannot read"), e.getMessage());
    }

    @Test
    void tableNamesMustBePlainIdentifiers() {
        ConfigException e = failure(ENV, minimal("--midstream.sink.table", "orders; DROP TABLE x"));
        assertTrue(e.getMessage().contains("midstream.sink.table: 'orders; DROP TABLE x' is not a plain SQL name"),
                e.getMessage());
    }

    @Test
    void onlyPostgresqlUrlsAreAccepted() {
        ConfigException e = failure(ENV, "--midstream.source.bootstrap-servers", "k:9092",
                "--midstream.sink.jdbc-url", "jdbc:mysql://db/shop");
        assertTrue(e.getMessage().contains("must start with jdbc:postgresql:"), e.getMessage());
    }

    @Test
    void badEnumZoneAndAmountAreExplained() {
        ConfigException e = failure(ENV, minimal("--midstream.source.starting-offsets", "beginning",
                "--midstream.validation.local-time-zone", "Mars/Olympus", "--midstream.validation.max-amount", "lots"));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("expected one of"), e.getMessage());
        assertTrue(e.getMessage().contains("is not a time zone"), e.getMessage());
        assertTrue(e.getMessage().contains("must be a positive number such as 1000000, got 'lots'"), e.getMessage());
    }

    @Test
    void argumentWithoutValueIsAnError() {
        ConfigException e = failure(ENV, minimal("--midstream.sink.table"));
        assertTrue(e.getMessage().contains("missing its value"), e.getMessage());
    }

    @Test
    void shippedExampleConfigurationIsValid() {
        Path example = Path.of("..", "deploy", "config", "orders.properties");
        CleanseConfig config = CleanseConfig.load(ConfigSource.fromArgs("--config", example.toString()), ENV);
        assertEquals("Asia/Shanghai", config.validation.localTimeZone().getId());
        assertEquals("midstream", config.jdbcUsername);
    }

    @Test
    void readmeDocumentsEveryOptionWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(OptionsTable.markdown()),
                "README.md's option table is out of date; replace it with the output of OptionsTable.main:\n"
                        + OptionsTable.markdown());
    }

    @Test
    void deadLetterPayloadPolicyIsOneOfThree() {
        assertEquals(dev.midstream.deadletter.PayloadPolicy.REDACT, CleanseConfig.load(
                ConfigSource.fromArgs(minimal("--midstream.deadletter.payload", "Redact")), ENV).deadLetterPayload);
        ConfigException e = failure(ENV, minimal("--midstream.deadletter.payload", "mask"));
        assertTrue(e.getMessage().contains("midstream.deadletter.payload: is 'mask'; expected one of [raw, redact, drop]"),
                e.getMessage());
    }
}
