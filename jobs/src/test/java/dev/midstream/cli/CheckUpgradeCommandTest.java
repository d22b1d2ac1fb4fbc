package dev.midstream.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.job.JobArguments;
import dev.midstream.job.JobLauncher;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code midstream check-upgrade}: judged on the graph {@code flink run} submits, and right about a real savepoint
 * of an earlier release ({@code savepoints/orders-flink-2.0.2}, taken by the job jar of commit 5a6b5d5).
 */
class CheckUpgradeCommandTest {
    private static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", "0123456789abcdef0123456789abcdef");
    private static final String SAVEPOINT = Path.of("src", "test", "resources", "savepoints", "orders-flink-2.0.2",
            "savepoint").toAbsolutePath().toUri().toString();
    private static final String[] CONFIG = {"--midstream.kafka.bootstrap-servers", "kafka:9092",
            "--midstream.jdbc.url", "jdbc:postgresql://db:5432/shop"};
    private static final List<Path> ALL_FILES = List.of(Path.of("../pipelines/orders.yaml"),
            Path.of("../pipelines/customers.yaml"));

    private static List<String> uids(JobGraph graph) {
        List<String> uids = new ArrayList<>();
        for (JobVertex vertex : graph.getVerticesSortedTopologicallyFromSources()) {
            for (OperatorIDPair pair : vertex.getOperatorIDs()) {
                uids.add(pair.getUserDefinedOperatorUid() + " | " + pair.getGeneratedOperatorID() + " | "
                        + pair.getUserDefinedOperatorName());
            }
        }
        return uids;
    }

    private static JobArguments arguments(List<Path> pipelines, List<Path> transforms) {
        List<String> args = new ArrayList<>(List.of(CONFIG));
        pipelines.forEach(p -> args.addAll(List.of("--pipeline", p.toString())));
        transforms.forEach(t -> args.addAll(List.of("--transform", t.toString())));
        return JobArguments.parse(args.toArray(String[]::new));
    }

    @Test
    void checkUpgradeJudgesExactlyTheGraphFlinkRunSubmits() {
        JobArguments arguments = arguments(ALL_FILES, List.of(Path.of("../pipelines/sales.yaml")));
        // What flink run does (PipelinesJob → JobLauncher), on an environment configured as the cluster's:
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));
        StreamExecutionEnvironment submitted = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobLauncher.Submission.of(arguments, ENV::get).build(submitted);
        List<String> run = uids(submitted.getStreamGraph().getJobGraph());

        List<String> check = uids(UpgradeChecker.jobGraph(arguments, ENV::get));
        assertEquals(new TreeSet<>(run), new TreeSet<>(check), "same operators, uids and operator ids");
        assertTrue(run.size() > 30, run.toString());
    }

    @Test
    void everyOperatorHasTheStableUidOfItsStep() {
        List<String> uids = uids(UpgradeChecker.jobGraph(arguments(List.of(Path.of("../pipelines/orders.yaml")),
                List.of()), ENV::get)).stream().map(u -> u.substring(0, u.indexOf(" | "))).toList();
        // Savepoints key state by these: a change here must be deliberate (see LegacySavepointRestoreTest).
        assertEquals(new TreeSet<>(List.of("orders/source", "orders/validate", "orders/normalize", "orders/dedup",
                "orders/mask", "orders/sink-fit", "orders/batch", "orders/table-sink", "Sink Committer: orders/table-sink",
                "orders/topic-sink", "Sink Committer: orders/topic-sink", "orders/dead-letter-topic",
                "Sink Committer: orders/dead-letter-topic", "orders/dead-letter-table", "orders/quality/read",
                "orders/quality/written", "orders/quality/rejected", "orders/quality/validate", "orders/quality/dedup",
                "quality/history",
                "Sink Committer: orders/dead-letter-table")), new TreeSet<>(uids));
    }

    @Test
    void aSavepointOfTheEarlierReleaseRestoresIntoThisOne(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of(ENV::get, concat("check-upgrade", "--savepoint", SAVEPOINT,
                "--pipeline", "../pipelines/orders.yaml"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("Safe to upgrade"), run.out());
        for (String uid : List.of("orders/dedup", "orders/source")) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  restored  " + uid + " ")), uid + " in " + run.out());
        }
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  new       orders/sink-fit ")), run.out());
    }

    @Test
    void aRenamedPipelineWouldLoseItsStateAndExitsTwo(@TempDir Path dir) throws Exception {
        Path renamed = Files.writeString(dir.resolve("orders.yaml"),
                Files.readString(Path.of("../pipelines/orders.yaml")).replace("pipeline: orders", "pipeline: sales_orders"));
        CliRun run = CliRun.of(ENV::get, concat("check-upgrade", "--savepoint", SAVEPOINT, "--pipeline", renamed.toString()));
        assertEquals(ExitCodes.STATE_LOST, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  DROPPED   orders/dedup ")), run.out());
    }

    @org.junit.jupiter.api.extension.RegisterExtension
    static final dev.midstream.testkit.PostgresExtension POSTGRES = new dev.midstream.testkit.PostgresExtension();

    @Test
    void theTableMigrationsAreListedAndARefusedOneExitsOne(@TempDir Path dir) throws Exception {
        dev.midstream.testkit.TestDatabase db = POSTGRES.newDatabase("check_upgrade_tables");
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (order_id text PRIMARY KEY, customer_id text, customer_email_hash text,"
                    + " customer_phone_masked text, amount numeric(15,3), currency text, status text,"
                    + " event_time timestamptz, source_topic text, source_partition integer, source_offset bigint,"
                    + " updated_at timestamptz)");
        }
        String url = db.jdbcUrl().replace("?user=", "?password=not-printed&user=");
        CliRun added = CliRun.of(ENV::get, "check-upgrade", "--savepoint", SAVEPOINT, "--pipeline",
                "../pipelines/orders.yaml", "--midstream.kafka.bootstrap-servers", "kafka:9092", "--midstream.jdbc.url", url);
        assertEquals(ExitCodes.OK, added.exitCode(), added.err() + added.out());
        assertTrue(added.out().contains("  ADD      orders: ALTER TABLE \"orders\" ADD COLUMN \"channel\" text"),
                added.out());
        assertFalse(added.out().contains("not-printed"), "the URL's query is not printed: " + added.out());

        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER TABLE orders ALTER COLUMN amount TYPE numeric(10,2)");
        }
        CliRun refused = CliRun.of(ENV::get, "check-upgrade", "--savepoint", SAVEPOINT, "--pipeline",
                "../pipelines/orders.yaml", "--midstream.kafka.bootstrap-servers", "kafka:9092", "--midstream.jdbc.url", url);
        assertEquals(ExitCodes.PROBLEMS, refused.exitCode(), refused.err() + refused.out());
        assertTrue(refused.out().contains("  REFUSED  orders.amount: is numeric(10,2) in the table, the file says"
                + " numeric(15,3); change the column by hand (ALTER TABLE \"orders\" ALTER COLUMN \"amount\" TYPE"
                + " numeric(15,3))"), refused.out());
    }

    @Test
    void problemsAndUsageHaveTheirOwnExitCodes() {
        CliRun missing = CliRun.of(ENV::get, concat("check-upgrade", "--savepoint", "file:///no/such/savepoint",
                "--pipeline", "../pipelines/orders.yaml"));
        assertEquals(ExitCodes.PROBLEMS, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("cannot read the savepoint"), missing.err());
        CliRun retired = CliRun.of(ENV::get, "check-upgrade", "--savepoint", SAVEPOINT, "--pipeline",
                "../pipelines/orders.yaml", "--midstream.dedup.ttl", "1 h");
        assertEquals(ExitCodes.PROBLEMS, retired.exitCode(), retired.err());
        assertTrue(retired.err().contains("midstream.dedup.ttl: no longer an option"), retired.err());
        assertEquals(ExitCodes.USAGE, CliRun.of(ENV::get, "check-upgrade", "--pipeline", "x.yaml").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of(ENV::get, "nonsense").exitCode());
        CliRun help = CliRun.of(ENV::get, "check-upgrade", "--help");
        assertEquals(ExitCodes.OK, help.exitCode());
        assertTrue(help.out().contains("--savepoint"), help.out());
    }

    private static String[] concat(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(CONFIG));
        return all.toArray(String[]::new);
    }
}
