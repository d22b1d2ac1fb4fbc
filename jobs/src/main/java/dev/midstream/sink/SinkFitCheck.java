package dev.midstream.sink;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.Database;
import dev.midstream.model.SinkSpec;
import dev.midstream.record.Decimals;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.RecordJson;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's clean records in; out, those its sinks can hold, counted as written. A record a sink would refuse
 * would fail the task, and again after every restart: instead it goes to dead letters, naming why, with the masked
 * record as payload:
 * <ul>
 * <li>{@code sink/column_overflow}: too large or too precise for a column (numeric digits, integer range, a
 * timestamp outside the years 1 to 9999, in MariaDB 1000 to 9999, text longer than a MariaDB key column's
 * {@code VARCHAR}), {@code sink/column_type}: not readable as the column's type (a transform's
 * text for a bigint or jsonb column), naming every such column; the checks read each value in the text form the
 * upsert binds;
 * <li>{@code sink/timestamp_ahead}: the event time, which becomes the clean topic's Kafka timestamp, lies further
 * ahead of now than the broker accepts ({@code message.timestamp.after.max.ms}, one hour by default since Kafka 4).
 * </ul>
 * The column types are the table's as the task finds it when it opens ({@link LiveTable}): a column narrowed while
 * the job runs fails the first write that does not fit, and after the restart such rows become dead letters.
 */
public class SinkFitCheck extends ProcessFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");
    private static final Pattern VARCHAR = Pattern.compile("(?:varchar|char|character)\\((\\d+)\\)");
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final java.util.Set<String> BOOLEANS =
            java.util.Set.of("true", "false", "t", "f", "yes", "no", "y", "n", "on", "off", "1", "0");

    private final List<SinkSpec.Column> columns;
    private final String topicTimestampField;
    private final long maxAheadMillis;
    private final DeadLetterFactory deadLetters;
    private final java.time.Clock clock;
    private final int minYear;
    private final int keyTextLength;
    private final java.util.Set<String> keyColumns;
    private final LiveTable liveTable;

    /** {@link #columns} with the types the table has when the task opens. */
    private transient List<ColumnFit> checked;
    private transient StageMetrics metrics;
    private transient Counter written;

    public SinkFitCheck(SinkSpec sink, DeadLetterFactory deadLetters) {
        this(sink, Database.POSTGRESQL, null, java.time.Duration.ZERO, deadLetters, java.time.Clock.systemUTC(), null);
    }

    /**
     * {@code topicTimestampField}: the timestamp field the clean topic takes its Kafka timestamps from (null for
     * none); {@code maxAhead}: how far ahead of now the topic's broker accepts them; {@code liveTable}: the table to
     * read the column types from when the task opens (null: the pipeline's types only).
     */
    public SinkFitCheck(SinkSpec sink, Database database, String topicTimestampField, java.time.Duration maxAhead,
            DeadLetterFactory deadLetters, java.time.Clock clock, LiveTable liveTable) {
        this.minYear = database == Database.MARIADB ? 1000 : 1;
        this.keyTextLength = database == Database.MARIADB ? MariaDbRecordTable.keyTextLength(sink) : Integer.MAX_VALUE;
        this.keyColumns = java.util.Set.copyOf(sink.primaryKey());
        this.columns = sink.columns().stream().filter(c -> !c.field().equals(SinkSpec.WRITTEN_AT)).toList();
        this.topicTimestampField = sink.topic() == null ? null : topicTimestampField;
        this.maxAheadMillis = maxAhead.toMillis();
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.liveTable = liveTable;
    }

    @Override
    public void open(OpenContext openContext) {
        checked = (liveTable == null ? columns : liveTable.columns(columns)).stream()
                .map(c -> new ColumnFit(c, minYear, keyColumns.contains(c.name()) ? keyTextLength : Integer.MAX_VALUE))
                .toList();
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        written = metrics.counter(StageMetrics.WRITTEN);
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) {
        List<Misfit> misfits = null;
        for (ColumnFit fit : checked) {
            Object value = fit.field.read(record);
            Misfit misfit = value == null ? null : fit.checkValue(value);
            if (misfit != null) {
                if (misfits == null) {
                    misfits = new ArrayList<>(2);
                }
                misfits.add(misfit);
            }
        }
        if (misfits == null && topicTimestampField != null
                && record.data.get(topicTimestampField) instanceof Instant at
                && at.toEpochMilli() > clock.millis() + maxAheadMillis) {
            misfits = List.of(new Misfit(topicTimestampField, "timestamp_ahead", topicTimestampField + ": " + at
                    + " is more than " + java.time.Duration.ofMillis(maxAheadMillis) + " ahead of now; the clean topic"
                    + " refuses Kafka timestamps further ahead (midstream.sink.topic-max-timestamp-ahead, the topic's"
                    + " message.timestamp.after.max.ms)"));
        }
        if (misfits == null) {
            written.inc();
            out.collect(record);
            return;
        }
        Misfit first = misfits.get(0);
        metrics.rejected(Stage.SINK, first.rule());
        ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.SINK, first.rule(), first.column(),
                String.join("; ", misfits.stream().map(Misfit::reason).toList()), record.sourceTopic,
                record.sourcePartition, record.sourceOffset,
                RecordJson.write(record.data).getBytes(StandardCharsets.UTF_8)));
    }

    record Misfit(String column, String rule, String reason) {}

    /** Why {@code text} cannot go into {@code column}, or null if it can. */
    static Misfit misfit(SinkSpec.Column column, String text) {
        return new ColumnFit(column, 1, Integer.MAX_VALUE).check(text);
    }

    /** What a column's type asks of a value. */
    enum Kind { NUMERIC, VARCHAR, TEXT, BIGINT, INTEGER, SMALLINT, BOOLEAN, DOUBLE, TIMESTAMPTZ, JSONB, OTHER }

    /**
     * One column's check, its type read once. A value of the type a pipeline gives the column (a decimal for numeric,
     * an instant for timestamptz, …) is checked as it is; any other is checked in the text form the upsert binds,
     * with the same verdicts, as PostgreSQL would read it.
     */
    static final class ColumnFit {
        final SinkSpec.Column column;
        final RecordTable.FieldReader field;
        final Kind kind;
        private final int precision;
        private final int scale;
        private final int length;
        private final int minYear;
        /** Characters a text key column holds (MariaDB's VARCHAR key); MAX_VALUE for any other column. */
        private final int keyTextLength;

        ColumnFit(SinkSpec.Column column, int minYear, int keyTextLength) {
            this.column = column;
            this.field = RecordTable.FieldReader.of(column.field());
            this.minYear = minYear;
            this.keyTextLength = keyTextLength;
            String type = column.sqlType();
            Matcher numeric = NUMERIC.matcher(type);
            Matcher varchar = VARCHAR.matcher(type);
            if (numeric.matches()) {
                kind = Kind.NUMERIC;
                precision = Integer.parseInt(numeric.group(1));
                scale = Integer.parseInt(numeric.group(2));
                length = 0;
                return;
            }
            precision = 0;
            scale = 0;
            if (varchar.matches()) {
                kind = Kind.VARCHAR;
                length = Integer.parseInt(varchar.group(1));
                return;
            }
            length = 0;
            kind = switch (type) {
                case "text" -> Kind.TEXT;
                case "bigint" -> Kind.BIGINT;
                case "integer" -> Kind.INTEGER;
                case "smallint" -> Kind.SMALLINT;
                case "boolean" -> Kind.BOOLEAN;
                case "double precision" -> Kind.DOUBLE;
                case "timestamptz" -> Kind.TIMESTAMPTZ;
                case "jsonb" -> Kind.JSONB;
                default -> Kind.OTHER;
            };
        }

        /** Why {@code value} (not null), the record's value for this column, cannot go into it, or null. */
        Misfit checkValue(Object value) {
            switch (kind) {
                case TEXT:
                    return keyTextLength == Integer.MAX_VALUE ? null : key(RecordTable.text(value));
                case OTHER:
                    return null;
                case NUMERIC:
                    if (value instanceof BigDecimal d) {
                        return decimal(d);
                    }
                    if (value instanceof Long l) {
                        return decimal(BigDecimal.valueOf(l));
                    }
                    break;
                case VARCHAR:
                    if (value instanceof String s) {
                        return characters(s);
                    }
                    break;
                case BIGINT, INTEGER, SMALLINT:
                    if (value instanceof Long l) {
                        return whole(l);
                    }
                    break;
                case BOOLEAN:
                    if (value instanceof Boolean) {
                        return null;
                    }
                    break;
                case TIMESTAMPTZ:
                    if (value instanceof Instant at) {
                        return instant(at);
                    }
                    break;
                case JSONB:
                    if (value instanceof dev.midstream.udf.Record || value instanceof List) {
                        return null; // written as JSON by RecordJson
                    }
                    break;
                default:
                    break;
            }
            return check(RecordTable.text(value));
        }

        /** Why {@code text}, a value in the upsert's text form, cannot go into this column, or null. */
        Misfit check(String text) {
            String type = column.sqlType();
            switch (kind) {
                case NUMERIC: {
                    BigDecimal value;
                    try {
                        value = new BigDecimal(text.strip());
                    } catch (NumberFormatException e) {
                        return type(column, "'" + abbreviate(text) + "' is not a number");
                    }
                    return decimal(value);
                }
                case VARCHAR:
                    return characters(text);
                case TEXT:
                    return key(text);
                case OTHER:
                    return null;
                case BIGINT, INTEGER, SMALLINT: {
                    long value;
                    try {
                        value = Long.parseLong(text.strip());
                    } catch (NumberFormatException e) {
                        try {
                            new BigDecimal(text.strip()).toBigIntegerExact();
                            return overflow(column, text.strip() + " is out of the range of " + type);
                        } catch (NumberFormatException | ArithmeticException notAWholeNumber) {
                            return type(column, "'" + abbreviate(text) + "' is not a whole number");
                        }
                    }
                    return whole(value);
                }
                case BOOLEAN:
                    return BOOLEANS.contains(text.strip().toLowerCase(Locale.ROOT)) ? null
                            : type(column, "'" + abbreviate(text) + "' is not true or false");
                case DOUBLE:
                    try {
                        return Double.isFinite(Double.parseDouble(text.strip())) ? null
                                : overflow(column, text.strip() + " is out of the range of double precision");
                    } catch (NumberFormatException e) {
                        return type(column, "'" + abbreviate(text) + "' is not a number");
                    }
                case TIMESTAMPTZ:
                    try {
                        return instant(OffsetDateTime.parse(text.strip()).toInstant());
                    } catch (DateTimeParseException e) {
                        return type(column, "'" + abbreviate(text) + "' is not an ISO-8601 timestamp with offset");
                    }
                case JSONB:
                    try {
                        JSON.readTree(text);
                        return null;
                    } catch (JsonProcessingException e) {
                        return type(column, "'" + abbreviate(text) + "' is not JSON");
                    }
                default:
                    return null;
            }
        }

        private Misfit decimal(BigDecimal value) {
            String type = column.sqlType();
            if (Decimals.hasPlacesBeyond(value, scale)) {
                return overflow(column, "has more than " + scale + " decimal places, " + type + " keeps " + scale);
            }
            BigDecimal scaled = value.setScale(scale);
            if (scaled.precision() - scaled.scale() > precision - scale) {
                return overflow(column, value.toPlainString() + " does not fit " + type + ": at most "
                        + (precision - scale) + " digits before the decimal point");
            }
            return null;
        }

        private Misfit characters(String text) {
            int count = text.codePointCount(0, text.length());
            return count <= length ? null : overflow(column, "is " + count + " characters, " + column.sqlType()
                    + " holds at most " + length);
        }

        private Misfit key(String text) {
            int count = text.codePointCount(0, text.length());
            return count <= keyTextLength ? null : overflow(column, "is " + count
                    + " characters, the key column holds at most " + keyTextLength);
        }

        private Misfit whole(long value) {
            return kind == Kind.INTEGER && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
                    || kind == Kind.SMALLINT && (value < Short.MIN_VALUE || value > Short.MAX_VALUE)
                    ? overflow(column, value + " is out of the range of " + column.sqlType()) : null;
        }

        private Misfit instant(Instant at) {
            int year = at.atOffset(ZoneOffset.UTC).getYear();
            return year >= minYear && year <= 9999 ? null
                    : overflow(column, at + " is outside the years " + minYear + " to 9999");
        }
    }

    private static Misfit overflow(SinkSpec.Column column, String reason) {
        return new Misfit(column.name(), "column_overflow", column.name() + ": " + reason);
    }

    private static Misfit type(SinkSpec.Column column, String reason) {
        return new Misfit(column.name(), "column_type", column.name() + ": " + reason + " (column type "
                + column.sqlType() + ")");
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
