package dev.midstream.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A clean topic's JSON back into records for the transform layer: whole numbers as Long, other numbers as exact
 * decimals, the declared timestamp fields as instants, nested objects and arrays as they are. The clean topic is
 * written by a cleanse pipeline, so a record that does not read is a bug upstream; it goes to dead letters
 * ({@code parse/clean_record_unreadable}) rather than failing the job. A tombstone, a change stream's delete,
 * is counted as skipped ({@code midstream.change.skipped.tombstone}): deletes do not retract facts or dimension rows
 * the layer has already used. Counts {@code midstream.read}.
 */
public class CleanRecordParser extends ProcessFunction<RawRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final Set<String> timestampFields;
    private final DeadLetterFactory deadLetters;

    private transient ObjectReader json;
    private transient StageMetrics metrics;
    private transient Counter read;

    public CleanRecordParser(Set<String> timestampFields, DeadLetterFactory deadLetters) {
        this.timestampFields = Set.copyOf(timestampFields);
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        json = JsonMapper.builder().nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build().reader();
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        read = metrics.counter(StageMetrics.READ);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<FlowRecord> out) {
        read.inc();
        if (raw.value == null) {
            metrics.skipped("tombstone");
            return;
        }
        try {
            JsonNode node = raw.value == null ? null : json.readTree(raw.value);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            out.collect(new FlowRecord(record(node, ""), raw.topic, raw.partition, raw.offset, raw.value));
        } catch (Exception e) {
            metrics.rejected(Stage.PARSE, "clean_record_unreadable");
            ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.PARSE, "clean_record_unreadable", null,
                    "a clean-topic record does not read: " + e.getMessage(), raw.topic, raw.partition, raw.offset,
                    raw.value));
        }
    }

    private Record record(JsonNode object, String prefix) {
        Record record = new Record();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            Object value = value(field.getValue(), prefix + field.getKey());
            if (value != null) {
                record.set(field.getKey(), value);
            }
        }
        return record;
    }

    private Object value(JsonNode node, String path) {
        if (node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            return record(node, path + ".");
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> {
                Object value = value(item, path);
                if (value != null) {
                    items.add(value);
                }
            });
            return items;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        String text = node.asText();
        if (timestampFields.contains(path)) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + path + "' is not an ISO-8601 instant");
            }
        }
        return text;
    }
}
