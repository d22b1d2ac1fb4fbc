package dev.midstream.cleanse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.source.RawRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/** Shared test inputs for the cleanse operators: the shipped orders pipeline file and records for it. */
final class Fixtures {
    static final String SALT = "0123456789abcdef-test-salt";
    static final PipelineSpec ORDERS = PipelineReader.read(Path.of("../pipelines/orders.yaml"),
            Map.of("MIDSTREAM_PII_SALT", SALT)::get, FunctionCatalog.load());
    static final ZoneId LOCAL_ZONE = ZoneId.of("Asia/Shanghai");
    static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("orders", 512);

    static final String VALID = "{\"order_id\":\"A-1\",\"customer_id\":\" C-9 \",\"customer_email\":\" Ann.Lee@Example.COM\","
            + "\"customer_phone\":\"+1 (415) 555-0123\",\"amount\":12.5,\"currency\":\" usd\",\"status\":\"PAID \","
            + "\"channel\":\"Web\",\"event_time\":\"2026-11-01T10:00:00+08:00\"}";

    private static long offset;

    private Fixtures() {}

    static RawRecord raw(String json) {
        return new RawRecord("ods.orders", 0, offset++, 1L, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** The orders file's validate step, reading records of at most 1,024 bytes. */
    static RecordValidator ordersValidator() {
        return new RecordValidator(ORDERS, 1024, LOCAL_ZONE, DEAD_LETTERS);
    }
}
