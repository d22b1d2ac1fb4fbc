package dev.midstream.bench;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.time.Duration;

/**
 * The Flink SQL job a user would write instead: a Kafka table with {@code format=json} and
 * {@code json.ignore-parse-errors}, the orders pipeline's rules as a {@code WHERE}, the same normalization and
 * masking with SQL functions, deduplication with {@code ROW_NUMBER()} (the newest arrival per order id, so the
 * table holds the latest version as Midstream's does) under the same state TTL, and a JDBC upsert sink with a
 * {@code PRIMARY KEY … NOT ENFORCED}. Whatever it cannot read or does not pass is dropped without a trace.
 */
final class SqlRun {
    static final int DEFAULT_FLUSH_ROWS = 100;
    static final int TUNED_FLUSH_ROWS = 5000;

    /** Whitespace off both ends (TRIM takes only spaces; the messy input has tabs and newlines too). */
    static String trim(String column) {
        return "REGEXP_REPLACE(" + column + ", '^\\s+|\\s+$', '')";
    }

    /**
     * The event time in epoch millis from each format the generator writes: epoch millis, ISO-8601 with an offset
     * (with or without millis), and offset-less shop-local time (Asia/Shanghai, +08:00 all year, as Midstream's
     * midstream.validation.local-time-zone says). Each parse runs only on text of its shape: UNIX_TIMESTAMP logs
     * every failure with a stack trace. Anything else is NULL and fails the WHERE.
     */
    static final String EVENT_MILLIS = eventMillis(trim("event_time"));

    private static String eventMillis(String t) {
        String millis = "TRY_CAST(SUBSTRING(" + t + " FROM 21 FOR 3) AS BIGINT)";
        return "CASE\n"
                + "    WHEN REGEXP(" + t + ", '^[0-9]{1,15}$') THEN TRY_CAST(" + t + " AS BIGINT)\n"
                + "    WHEN REGEXP(" + t + ", '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})$')\n"
                + "      THEN UNIX_TIMESTAMP(" + t + ", 'yyyy-MM-dd''T''HH:mm:ss.SSSXXX') * 1000 + " + millis + "\n"
                + "    WHEN REGEXP(" + t + ", '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$')\n"
                + "      THEN UNIX_TIMESTAMP(" + t + ", 'yyyy-MM-dd''T''HH:mm:ssXXX') * 1000\n"
                + "    WHEN REGEXP(" + t + ", '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}$')\n"
                + "      THEN UNIX_TIMESTAMP(CONCAT(" + t + ", '+08:00'), 'yyyy-MM-dd HH:mm:ss.SSSXXX') * 1000 + " + millis + "\n"
                + "    WHEN REGEXP(" + t + ", '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$')\n"
                + "      THEN UNIX_TIMESTAMP(CONCAT(" + t + ", '+08:00'), 'yyyy-MM-dd HH:mm:ssXXX') * 1000\n"
                + "  END";
    }

    private final Services services;
    private final FlinkRunner flink;

    SqlRun(Services services, FlinkRunner flink) {
        this.services = services;
        this.flink = flink;
    }

    static String[] statements(String bootstrap, String topic, String group, String jdbcUrl, boolean bounded,
            int flushRows) {
        String phoneDigits = "REGEXP_REPLACE(customer_phone, '[^0-9]', '')";
        return new String[] {
            "CREATE TABLE raw_orders (\n"
                    + "  order_id STRING, customer_id STRING, customer_email STRING, customer_phone STRING,\n"
                    + "  currency STRING, amount STRING, status STRING, channel STRING, event_time STRING,\n"
                    + "  `topic` STRING METADATA VIRTUAL, `partition` INT METADATA VIRTUAL, `offset` BIGINT METADATA VIRTUAL,\n"
                    + "  proctime AS PROCTIME()\n"
                    + ") WITH (\n"
                    + "  'connector' = 'kafka', 'topic' = '" + topic + "',\n"
                    + "  'properties.bootstrap.servers' = '" + bootstrap + "', 'properties.group.id' = '" + group + "',\n"
                    + "  'scan.startup.mode' = 'earliest-offset',\n"
                    + (bounded ? "  'scan.bounded.mode' = 'latest-offset',\n" : "")
                    + "  'format' = 'json', 'json.ignore-parse-errors' = 'true', 'json.fail-on-missing-field' = 'false'\n"
                    + ")",
            "CREATE TABLE orders_sink (\n"
                    + "  order_id STRING, customer_id STRING, customer_email_hash STRING, customer_phone_masked STRING,\n"
                    + "  amount DECIMAL(15, 3), currency STRING, status STRING, channel STRING, event_time TIMESTAMP(3),\n"
                    + "  source_topic STRING, source_partition INT, source_offset BIGINT,\n"
                    + "  PRIMARY KEY (order_id) NOT ENFORCED\n"
                    + ") WITH (\n"
                    + "  'connector' = 'jdbc', 'url' = '" + jdbcUrl + "', 'table-name' = 'orders',\n"
                    + "  'sink.buffer-flush.max-rows' = '" + flushRows + "', 'sink.buffer-flush.interval' = '1s'\n"
                    + ")",
            "CREATE TEMPORARY VIEW normalized AS SELECT\n"
                    + "  " + trim("order_id") + " AS order_id, " + trim("customer_id") + " AS customer_id,\n"
                    + "  LOWER(" + trim("customer_email") + ") AS customer_email, customer_phone, " + phoneDigits + " AS phone_digits,\n"
                    + "  UPPER(" + trim("currency") + ") AS currency, TRY_CAST(" + trim("amount") + " AS DECIMAL(38, 10)) AS amount,\n"
                    + "  LOWER(" + trim("status") + ") AS status, LOWER(" + trim("channel") + ") AS channel,\n"
                    + "  CAST(TO_TIMESTAMP_LTZ(" + EVENT_MILLIS + ", 3) AS TIMESTAMP(3)) AS event_time,\n"
                    + "  `topic`, `partition`, `offset`, proctime\n"
                    + "FROM raw_orders",
            "CREATE TEMPORARY VIEW valid AS SELECT * FROM normalized WHERE\n"
                    + "  order_id IS NOT NULL AND order_id <> '' AND CHAR_LENGTH(order_id) <= 64\n"
                    + "  AND customer_id IS NOT NULL AND customer_id <> '' AND CHAR_LENGTH(customer_id) <= 64\n"
                    + "  AND customer_email IS NOT NULL AND CHAR_LENGTH(customer_email) <= 254\n"
                    + "  AND REGEXP(customer_email, '^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$')\n"
                    + "  AND (customer_phone IS NULL OR (CHAR_LENGTH(customer_phone) <= 32\n"
                    + "       AND REGEXP(customer_phone, '^(?=(?:[^0-9]*[0-9]){7,15}[^0-9]*$)\\+?[0-9 ()./-]+$')))\n"
                    + "  AND currency IN ('CHF', 'CNY', 'EUR', 'GBP', 'JPY', 'KRW', 'KWD', 'USD')\n"
                    + "  AND amount > 0 AND amount <= 1000000\n"
                    + "  AND amount = ROUND(amount, CASE currency WHEN 'JPY' THEN 0 WHEN 'KRW' THEN 0 WHEN 'KWD' THEN 3 ELSE 2 END)\n"
                    + "  AND status IN ('created', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')\n"
                    + "  AND (channel IS NULL OR CHAR_LENGTH(channel) <= 32)\n"
                    + "  AND event_time >= TIMESTAMP '2000-01-01 00:00:00' AND event_time < TIMESTAMP '2100-01-01 00:00:00'",
            "INSERT INTO orders_sink\n"
                    + "SELECT order_id, customer_id,\n"
                    + "  SHA256(CONCAT('" + MidstreamRun.SALT + "', customer_email)),\n"
                    + "  CASE WHEN phone_digits IS NULL OR phone_digits = '' THEN NULL\n"
                    + "       WHEN CHAR_LENGTH(phone_digits) <= 4 THEN REPEAT('*', CHAR_LENGTH(phone_digits))\n"
                    + "       ELSE CONCAT(REPEAT('*', CHAR_LENGTH(phone_digits) - 4), RIGHT(phone_digits, 4)) END,\n"
                    + "  CAST(amount AS DECIMAL(15, 3)), currency, status, channel, event_time, `topic`, `partition`, `offset`\n"
                    + "FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proctime DESC) AS rn FROM valid)\n"
                    + "WHERE rn = 1"
        };
    }

    /**
     * How the SQL job is tuned: the JDBC sink's flush size, and whether the planner's mini-batch is on
     * ({@code table.exec.mini-batch.*}: the deduplication then buffers input per key and emits once per batch, which
     * the Flink docs recommend for throughput; bounded by {@link #MINI_BATCH_LATENCY} so latency stays comparable).
     */
    record Tuning(int flushRows, boolean miniBatch) {
        String label() {
            return "flush " + flushRows + " rows" + (miniBatch ? " + mini-batch" : "");
        }
    }

    static final String MINI_BATCH_LATENCY = "200 ms";
    static final int MINI_BATCH_SIZE = 5000;

    /** Submits the job; the sink table must exist. */
    JobClient start(StreamExecutionEnvironment env, String topic, String group, String jdbcUrl, boolean bounded,
            Tuning tuning) {
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.exec.state.ttl", "24 h");
        tables.getConfig().set("table.local-time-zone", "UTC");
        if (tuning.miniBatch()) {
            tables.getConfig().set("table.exec.mini-batch.enabled", "true");
            tables.getConfig().set("table.exec.mini-batch.allow-latency", MINI_BATCH_LATENCY);
            tables.getConfig().set("table.exec.mini-batch.size", Integer.toString(MINI_BATCH_SIZE));
        }
        String[] sql = statements(services.bootstrap, topic, group, jdbcUrl, bounded, tuning.flushRows());
        for (int i = 0; i < sql.length - 1; i++) {
            tables.executeSql(sql[i]);
        }
        // The planner adds an upsert materializer in front of the sink when it cannot prove the updates arrive by
        // the sink's key; it costs state and CPU, so the bench says whether this plan has one.
        String plan = tables.explainSql(sql[sql.length - 1]);
        Bench.say("  " + tuning.label() + ": upsert materializer " + (plan.contains("upsertMaterialize=[true]")
                ? "IN the plan" : "not in the plan") + ", mini-batch " + (plan.contains("MiniBatchAssigner")
                ? "on" : "off"));
        TableResult insert = tables.executeSql(sql[sql.length - 1]);
        return insert.getJobClient().orElseThrow();
    }

    Result throughput(String name, Workload workload, FlinkRunner.Setup setup, Tuning tuning, CpuMeter cpu)
            throws Exception {
        String run = Bench.database(name);
        String jdbcUrl = services.database(run);
        Tables.execute(jdbcUrl, Tables.CREATE_ORDERS);
        StreamExecutionEnvironment env = flink.environment(setup, run);
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        JobClient job = start(env, workload.topic, run, jdbcUrl, true, tuning);
        Result.Checkpoints checkpoints = flink.await(job, FlinkRunner.restPort(env), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Sample used = cpu.sample().minus(before);
        return new Result(name, "flink-sql", seconds, workload.events, Tables.count(jdbcUrl, "orders"), -1, used,
                checkpoints, null, null);
    }
}
