package dev.midstream.options;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.model.ConfigException;
import dev.midstream.model.Database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;

/** The job configuration: typed groups with documented defaults, every problem at once, retired keys answered. */
class JobOptionsTest {
    private static final Function<String, String> ENV = Map.of("MIDSTREAM_JDBC_PASSWORD", "pw")::get;

    private static ConfigException failure(Function<String, String> env, String... args) {
        return assertThrows(ConfigException.class, () -> JobOptions.load(ConfigSource.fromArgs(args), env));
    }

    private static String[] minimal(String... more) {
        String[] base = {"--midstream.kafka.bootstrap-servers", "kafka:9092",
                "--midstream.jdbc.url", "jdbc:postgresql://db:5432/shop"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void minimalConfigurationGetsDocumentedDefaults() {
        JobOptions options = JobOptions.load(ConfigSource.fromArgs(minimal()), ENV);
        assertEquals(new KafkaOptions("kafka:9092"), options.kafka());
        assertEquals(new SourceOptions("midstream", SourceOptions.StartingOffsets.COMMITTED_OR_EARLIEST, false),
                options.source());
        assertEquals("midstream.orders", options.source().groupOf("orders"));
        assertEquals(new RecordOptions(ZoneId.of("UTC"), 256 * 1024), options.records());
        assertEquals(new TableWriteOptions(500, Duration.ofMillis(200), 3, TableWriteOptions.WriteMethod.COPY, true, Duration.ofHours(1), "dq_counts"), options.tables());
        assertEquals(new DeadLetterOptions(64 * 1024, PayloadPolicy.RAW, 500, Duration.ofMillis(200)),
                options.deadLetters());
        assertEquals("jdbc:postgresql://db:5432/shop?reWriteBatchedInserts=true", options.jdbc().url());
        assertEquals("pw", options.jdbc().credentials().getProperty("password"));
        assertEquals("${env:" + options.jdbc().passwordEnv() + "}", options.jdbc().password().reference(),
                "operators get the reference; each TaskManager reads the value");
    }

    @Test
    void producersCompressUnlessTheSettingsSayHow() {
        KafkaOptions plain = JobOptions.load(ConfigSource.fromArgs(minimal()), ENV).kafka();
        assertEquals("lz4", plain.producerProperties().getProperty("compression.type"));
        assertNull(plain.clientProperties().getProperty("compression.type"), "consumers have nothing to compress");

        KafkaOptions zstd = JobOptions.load(ConfigSource.fromArgs(minimal(
                "--midstream.kafka.properties.compression.type", "zstd")), ENV).kafka();
        assertEquals("zstd", zstd.producerProperties().getProperty("compression.type"));
        KafkaOptions none = JobOptions.load(ConfigSource.fromArgs(minimal(
                "--midstream.kafka.properties.compression.type", "none")), ENV).kafka();
        assertEquals("none", none.producerProperties().getProperty("compression.type"));
    }

    @Test
    void theDatabasePasswordNeverShowsInTheOptionsText() {
        JobOptions options = JobOptions.load(ConfigSource.fromArgs(minimal()),
                Map.of("MIDSTREAM_JDBC_PASSWORD", "s3cret-value")::get);
        assertFalse(options.toString().contains("s3cret-value"), options.toString());
        assertTrue(options.jdbc().toString().contains("password from $MIDSTREAM_JDBC_PASSWORD"), options.jdbc().toString());
    }

    @Test
    void deadLettersAndTablesAreBatchedBySeparateOptions() {
        JobOptions options = JobOptions.load(ConfigSource.fromArgs(minimal("--midstream.sink.batch-size", "1000",
                "--midstream.deadletter.batch-size", "50", "--midstream.deadletter.batch-interval", "2 s")), ENV);
        assertEquals(1000, options.tables().batchSize());
        assertEquals(50, options.deadLetters().batchSize());
        assertEquals(Duration.ofSeconds(2), options.deadLetters().batchInterval());
    }

    @Test
    void allProblemsAreReportedTogetherWithTheirOrigin() {
        ConfigException e = failure(k -> null, "--midstream.sink.batch-size", "ten");
        String message = e.getMessage();
        assertEquals(3, e.problems().size(), message);
        assertTrue(message.contains("default: midstream.kafka.bootstrap-servers: is required"), message);
        assertTrue(message.contains("default: midstream.jdbc.url: is required"), message);
        assertTrue(message.contains("argument --midstream.sink.batch-size: midstream.sink.batch-size: 'ten' is not a whole number;"
                + " remove it to use the default 500"), message);
    }

    @Test
    void fileErrorsNameFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.properties");
        Files.writeString(file, "# orders\nmidstream.kafka.bootstrap-servers=kafka:9092\n"
                + "midstream.jdbc.url=jdbc:postgresql://db/shop\n\nmidstream.sink.batch-interval=forever\n");
        ConfigException e = failure(ENV, "--config", file.toString());
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(file + ":5: midstream.sink.batch-interval: 'forever' is not a duration; write e.g. '24 h', '15 min'"
                + " or '200 ms'; remove it to use the default 200 ms", e.problems().get(0));
    }

    @Test
    void unknownKeyIsAnErrorWithASuggestion() {
        ConfigException e = failure(ENV, minimal("--midstream.sink.batchsize", "10"));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("midstream.sink.batchsize: unknown option; did you mean midstream.sink.batch-size?"),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "midstream.dedup.ttl                 | is set per data set now: 'dedup.ttl' in the pipeline file",
        "midstream.pipeline.name             | a pipeline is named by 'pipeline:' at the top of its pipeline file",
        "midstream.source.topic              | is set per data set now: 'source.topics' in the pipeline file",
        "midstream.validation.max-amount     | is set per data set now: a range rule in the pipeline file",
        "midstream.pii.salt-env              | is set per field now: 'pii: [{field: …, hash: {salt: \"${env:NAME}\"}}]'",
        "midstream.pii.salt-file             | is set per field now: 'pii: [{field: …, hash: {salt: \"${file:/path}\"}}]'",
        "midstream.sink.table                | is set per data set now: 'sink.table' in the pipeline file",
        "midstream.deadletter.topic          | is set per data set now: 'dead_letters.topic' in the pipeline file",
        "midstream.deadletter.table          | is set per data set now: 'dead_letters.table' in the pipeline file",
        "midstream.source.bootstrap-servers  | is renamed midstream.kafka.bootstrap-servers",
        "midstream.sink.jdbc-url             | is renamed midstream.jdbc.url",
        "midstream.sink.username             | is renamed midstream.jdbc.username",
        "midstream.sink.password-env         | is renamed midstream.jdbc.password-env",
    })
    void aRetiredOptionFailsNamingWhereItMoved(String key, String moved, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "midstream.kafka.bootstrap-servers=kafka:9092\nmidstream.jdbc.url=jdbc:postgresql://db/x\n"
                + key + "=anything\n");
        ConfigException e = failure(ENV, "--config", file.toString());
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith(file + ":3: " + key + ": no longer an option: it " + moved),
                e.problems().get(0));
        assertTrue(e.problems().get(0).endsWith("; remove it from the job configuration"), e.problems().get(0));
    }

    @Test
    void everyRetiredOptionIsTested() {
        assertEquals(13, RetiredOptions.MOVED.size(), "a newly retired option needs its case above");
        for (String key : RetiredOptions.MOVED.keySet()) {
            assertTrue(MidstreamOptions.ALL.stream().noneMatch(o -> o.key().equals(key)), key + " is both live and retired");
        }
    }

    @Test
    void theJdbcUrlChoosesTheDatabase() {
        ConfigException e = failure(ENV, "--midstream.kafka.bootstrap-servers", "k:9092",
                "--midstream.jdbc.url", "jdbc:sqlserver://db;databaseName=shop");
        assertTrue(e.getMessage().contains("must start with jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:"),
                e.getMessage());
        JobOptions mariadb = JobOptions.load(ConfigSource.fromArgs(new String[] {"--midstream.kafka.bootstrap-servers",
                "k:9092", "--midstream.jdbc.url", "jdbc:mariadb://db:3306/shop"}), ENV);
        assertEquals(Database.MARIADB, mariadb.jdbc().database());
        assertEquals("jdbc:mariadb://db:3306/shop", mariadb.jdbc().url());
        JobOptions mysql = JobOptions.load(ConfigSource.fromArgs(new String[] {"--midstream.kafka.bootstrap-servers",
                "k:9092", "--midstream.jdbc.url", "jdbc:mysql://db:3306/shop"}), ENV);
        assertEquals("jdbc:mysql://db:3306/shop?permitMysqlScheme", mysql.jdbc().url(),
                "MariaDB Connector/J takes jdbc:mysql: URLs only when told");
    }

    @Test
    void badEnumAndZoneAreExplained() {
        ConfigException e = failure(ENV, minimal("--midstream.source.starting-offsets", "beginning",
                "--midstream.validation.local-time-zone", "Mars/Olympus"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("is 'beginning'; expected one of [committed-or-earliest, earliest, latest]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("is not a time zone"), e.getMessage());
    }

    @Test
    void argumentWithoutValueIsAnError() {
        ConfigException e = failure(ENV, minimal("--midstream.sink.batch-size"));
        assertTrue(e.getMessage().contains("missing its value"), e.getMessage());
    }

    @Test
    void shippedConfigurationsAreValid() throws Exception {
        try (var files = Files.list(Path.of("..", "deploy", "config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                JobOptions options = JobOptions.load(ConfigSource.fromArgs("--config", file.toString()), ENV);
                assertEquals("midstream", options.jdbc().username(), file.toString());
            }
        }
        assertEquals("Asia/Shanghai", JobOptions.load(ConfigSource.fromArgs("--config",
                Path.of("..", "deploy", "config", "orders.properties").toString()), ENV).records().localTimeZone().getId());
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
        assertEquals(PayloadPolicy.REDACT, JobOptions.load(
                ConfigSource.fromArgs(minimal("--midstream.deadletter.payload", "Redact")), ENV).deadLetters().payload());
        ConfigException e = failure(ENV, minimal("--midstream.deadletter.payload", "mask"));
        assertTrue(e.getMessage().contains("midstream.deadletter.payload: is 'mask'; expected one of [raw, redact, drop]"),
                e.getMessage());
    }

    @Test
    void aTableWriteMethodIsCopyOrStatement() {
        assertEquals(TableWriteOptions.WriteMethod.STATEMENT, JobOptions.load(ConfigSource.fromArgs(
                minimal("--midstream.sink.write-method", "statement")), ENV).tables().writeMethod());
        ConfigException e = failure(ENV, minimal("--midstream.sink.write-method", "bulk"));
        assertTrue(e.getMessage().contains("midstream.sink.write-method: is 'bulk'; expected one of [copy, statement]"),
                e.getMessage());
    }
}
