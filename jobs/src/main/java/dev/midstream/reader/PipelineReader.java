package dev.midstream.reader;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.DeadLetterSpec;
import dev.midstream.model.DedupSpec;
import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.Location;
import dev.midstream.model.NormalizeSpec;
import dev.midstream.model.PiiSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.QualitySpec;
import dev.midstream.model.RemoteSpec;
import dev.midstream.model.RuleSpec;
import dev.midstream.model.Secret;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.SourceFormat;
import dev.midstream.model.SourceSpec;
import dev.midstream.model.StepSpec;
import dev.midstream.model.UnknownFields;
import dev.midstream.udf.Expression;
import dev.midstream.udf.ExpressionException;
import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunctionFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a pipeline file into a {@link PipelineSpec}, checking everything that can be checked before Flink
 * starts: unknown keys, types, names, rule parameters, expressions, field references, function names and
 * parameters, SQL identifiers, secret references. Collects every problem of the file, each with its
 * {@code file:line:column}, the field, what was expected and a hint, and throws them together.
 */
public final class PipelineReader extends SpecReader {
    public static final Pattern NAME = SpecReader.NAME;
    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    static final int MIN_SALT_BYTES = 16;

    private final Function<String, String> env;
    private final FunctionCatalog functions;

    private PipelineReader(String file, Function<String, String> env, FunctionCatalog functions) {
        super(file);
        this.env = env;
        this.functions = functions;
    }

    public static PipelineSpec read(Path file) {
        return read(file, System::getenv, FunctionCatalog.load());
    }

    public static PipelineSpec read(Path file, Function<String, String> env, FunctionCatalog functions) {
        return new PipelineReader(file.toString(), env, functions).read(YamlNode.load(file));
    }

    /** The keys the reader accepts in each mapping of a valid file, by location: the file format as read. */
    static java.util.Map<Location, java.util.Set<String>> acceptedKeys(Path file, Function<String, String> env,
            FunctionCatalog functions) {
        PipelineReader reader = new PipelineReader(file.toString(), env, functions);
        reader.read(YamlNode.load(file));
        return reader.problems.acceptedKeys();
    }

    public static PipelineSpec parse(String fileName, String content, Function<String, String> env,
            FunctionCatalog functions) {
        return new PipelineReader(fileName, env, functions).read(YamlNode.parse(fileName, content));
    }

    private PipelineSpec read(YamlNode root) {
        MappingReader top = MappingReader.of(root, "", problems);
        problems.throwIfAny();
        if (top.has("transform") && !top.has("pipeline")) {
            throw PipelineException.single(root.location(), "this is a transform file, not a pipeline file",
                    "run it with dev.midstream.job.TransformJob --transform " + file);
        }
        String name = text(top.required("pipeline", "name the data set, e.g. 'pipeline: orders'"), "pipeline");
        if (name != null && !PIPELINE_NAME.matcher(name).matches()) {
            problems.add(top.get("pipeline").location(), "pipeline", "'" + name + "' is not a valid pipeline name",
                    "use lower-case letters, digits, '_' and '-', starting with a letter; it prefixes every"
                            + " operator uid, so never rename a pipeline that has state");
        }
        SourceSpec source = source(top.required("source", "add 'source: {topics: [<topic>]}'"));
        List<FieldSpec> schema = schema(top.required("schema", "declare the record's fields under 'schema:'"));
        List<String> key = key(top.required("key", "list the fields that identify a record, e.g. 'key: [order_id]'"),
                schema, "key");
        List<RuleSpec> rules = rules(top.get("rules"), schema);
        List<NormalizeSpec> normalize = normalize(top.get("normalize"), schema);
        SourceFormat format = source == null ? SourceFormat.JSON : source.format();
        DedupSpec dedup = dedup(top.get("dedup"), schema, key, format, top.location());
        List<StepSpec> transforms = transforms(top.get("transform"), top.get("pii"));
        List<PiiSpec> pii = pii(top.get("pii"));
        YamlNode sinkNode = top.required("sink", "add 'sink: {table: <name>, primary_key: [...], columns: {...}}'");
        SinkSpec sink = sink(sinkNode, "sink", schema, dedup == null ? null : dedup.version(),
                "set 'dedup.version' to the field that orders versions", true);
        sink = changeSink(sinkNode, sink, format, key);
        DeadLetterSpec deadLetters = deadLetters(top.get("dead_letters"), name);
        QualitySpec quality = quality(top.get("quality"));
        top.finish();
        problems.throwIfAny();
        return new PipelineSpec(name, file, source, schema, key, rules, normalize, dedup, transforms, pii, sink,
                deadLetters, quality);
    }

    // --- quality --------------------------------------------------------------------------------------------

    private QualitySpec quality(YamlNode node) {
        if (node == null) {
            return QualitySpec.NONE;
        }
        MappingReader m = MappingReader.of(node, "quality", problems);
        if (m == null) {
            return QualitySpec.NONE;
        }
        Double ratioWarn = null;
        Double ratioError = null;
        YamlNode ratio = m.get("rejected_ratio");
        if (ratio != null) {
            MappingReader r = MappingReader.of(ratio, "quality.rejected_ratio", problems);
            if (r != null) {
                ratioWarn = ratio(r.get("warn"), "quality.rejected_ratio.warn");
                ratioError = ratio(r.get("error"), "quality.rejected_ratio.error");
                if (ratioWarn != null && ratioError != null && ratioWarn > ratioError) {
                    problems.add(ratio.location(), "quality.rejected_ratio", "warn is above error",
                            "warn at the lower share, e.g. {warn: 1%, error: 5%}");
                }
                r.finish();
            }
        }
        Duration freshWarn = null;
        Duration freshError = null;
        YamlNode freshness = m.get("freshness");
        if (freshness != null) {
            MappingReader f = MappingReader.of(freshness, "quality.freshness", problems);
            if (f != null) {
                freshWarn = duration(f.get("warn_after"), "quality.freshness.warn_after", null, "e.g. 10min");
                freshError = duration(f.get("error_after"), "quality.freshness.error_after", null, "e.g. 1h");
                f.finish();
            }
        }
        YamlNode minNode = m.get("min_records_per_hour");
        Long minPerHour = minNode == null ? null : (long) positiveInt(minNode, "quality.min_records_per_hour");
        m.finish();
        return new QualitySpec(ratioWarn, ratioError, freshWarn, freshError, minPerHour);
    }

    /** A share as {@code 1%}, {@code 0.5%} or {@code 0.01}. */
    private Double ratio(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            String t = text.strip();
            double value = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100
                    : Double.parseDouble(t);
            if (value < 0 || value > 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(node.location(), path, "'" + text + "' is not a share of records",
                    "write a percentage such as 1% or a fraction such as 0.01");
            return null;
        }
    }

    // --- source ---------------------------------------------------------------------------------------------

    private SourceSpec source(YamlNode node) {
        if (node == null) {
            return null;
        }
        MappingReader m = MappingReader.of(node, "source", problems);
        if (m == null) {
            return null;
        }
        List<String> topics = stringList(m.required("topics", "list the Kafka topics, e.g. 'topics: [ods.orders]'"),
                "source.topics");
        if (topics != null && topics.isEmpty()) {
            problems.add(m.get("topics").location(), "source.topics", "is empty", "name at least one topic");
        }
        YamlNode formatNode = m.get("format");
        String formatId = formatNode == null ? "json" : text(formatNode, "source.format");
        SourceFormat format = formatId == null ? SourceFormat.JSON : SourceFormat.ofId(formatId);
        if (format == null) {
            problems.add(formatNode.location(), "source.format", "unknown format '" + formatId + "'",
                    "use one of " + SourceFormat.ids());
            format = SourceFormat.JSON;
        }
        YamlNode maxNode = m.get("max_record_bytes");
        Integer maxBytes = maxNode == null ? null : positiveInt(maxNode, "source.max_record_bytes");
        YamlNode unknownNode = m.get("unknown_fields");
        UnknownFields unknown = UnknownFields.IGNORE;
        if (unknownNode != null) {
            String mode = text(unknownNode, "source.unknown_fields");
            unknown = mode == null ? UnknownFields.IGNORE : UnknownFields.ofId(mode);
            if (unknown == null) {
                problems.add(unknownNode.location(), "source.unknown_fields", "unknown mode '" + mode + "'",
                        "use ignore (the default), count (per field name, in the quality history) or reject");
                unknown = UnknownFields.IGNORE;
            }
        }
        m.finish();
        return new SourceSpec(topics, format, maxBytes, unknown);
    }

    // --- schema ---------------------------------------------------------------------------------------------

    private List<FieldSpec> schema(YamlNode node) {
        return node == null ? List.of() : fields(node, "schema");
    }

    private List<String> key(YamlNode node, List<FieldSpec> schema, String path) {
        if (node == null) {
            return List.of();
        }
        List<String> key = stringList(node, path);
        if (key == null) {
            return List.of();
        }
        if (key.isEmpty()) {
            problems.add(node.location(), path, "is empty", "name at least one field");
        }
        for (int i = 0; i < key.size(); i++) {
            Location at = node.kind() == YamlNode.Kind.SEQUENCE ? node.items().get(i).location() : node.location();
            FieldSpec field = find(schema, key.get(i));
            if (field == null) {
                problems.add(at, path, "'" + key.get(i) + "' is not a field of the schema", fieldHint(schema, key.get(i)));
            } else if (!field.required()) {
                problems.add(at, path, "'" + key.get(i) + "' is optional", "a key field must be 'required: true'");
            } else if (field.type().kind() == FieldType.Kind.OBJECT || field.type().kind() == FieldType.Kind.ARRAY) {
                problems.add(at, path, "'" + key.get(i) + "' is " + field.type(), "a key field must be a single value");
            }
        }
        return key;
    }

    // --- rules ----------------------------------------------------------------------------------------------

    private static final List<String> RULE_KINDS = List.of("not_null", "range", "regex", "enum", "length", "expression");

    private List<RuleSpec> rules(YamlNode node, List<FieldSpec> schema) {
        List<RuleSpec> rules = new ArrayList<>();
        for (YamlNode item : sequence(node, "rules")) {
            MappingReader m = MappingReader.of(item, "rules[]", problems);
            if (m == null) {
                continue;
            }
            String id = stepId(m, "rules");
            String path = "rule '" + (id == null ? "?" : id) + "'";
            YamlNode fieldNode = m.get("field");
            String field = fieldNode == null ? null : text(fieldNode, path + ".field");
            FieldSpec fieldSpec = null;
            if (field != null) {
                fieldSpec = find(schema, field);
                if (fieldSpec == null) {
                    problems.add(fieldNode.location(), path, "'field' names '" + field + "', which is not in the schema",
                            fieldHint(schema, field));
                }
            }
            List<String> kinds = RULE_KINDS.stream().filter(m::has).toList();
            RULE_KINDS.forEach(m::get);
            YamlNode messageNode = m.get("message");
            String message = messageNode == null ? null : text(messageNode, path + ".message");
            m.get("ignore_case");
            if (kinds.size() != 1) {
                problems.add(m.location(), path, kinds.isEmpty() ? "has no check" : "has more than one check " + kinds,
                        "give exactly one of " + RULE_KINDS + " per rule");
                m.finish();
                continue;
            }
            String kind = kinds.get(0);
            if (!kind.equals("expression") && field == null && fieldNode == null) {
                problems.add(m.location(), path, "'field' is missing", "name the field the " + kind + " check applies to");
            }
            YamlNode value = m.get(kind);
            RuleSpec rule = switch (kind) {
                case "not_null" -> {
                    if (!bool(value, path + ".not_null", true)) {
                        problems.add(value.location(), path, "'not_null: false' checks nothing", "remove the rule");
                    }
                    yield new RuleSpec(id, RuleSpec.Kind.NOT_NULL, field, null, null, null, null, false, null, null,
                            null, message, m.location());
                }
                case "range" -> range(value, id, path, field, fieldSpec, message, m.location());
                case "regex" -> {
                    String regex = text(value, path + ".regex");
                    if (regex != null) {
                        try {
                            Pattern.compile(regex);
                        } catch (PatternSyntaxException e) {
                            problems.add(value.location(), path, "'regex' does not compile: " + e.getDescription(),
                                    "write a Java regular expression; quote it with single quotes in YAML");
                        }
                    }
                    requireString(fieldSpec, value, path, "regex");
                    yield new RuleSpec(id, RuleSpec.Kind.REGEX, field, null, null, regex, null, false, null, null,
                            null, message, m.location());
                }
                case "enum" -> {
                    List<String> values = stringList(value, path + ".enum");
                    if (values != null && values.isEmpty()) {
                        problems.add(value.location(), path, "'enum' is empty", "list the allowed values");
                    }
                    requireString(fieldSpec, value, path, "enum");
                    yield new RuleSpec(id, RuleSpec.Kind.ENUM, field, null, null, null, values,
                            bool(m.get("ignore_case"), path + ".ignore_case", false), null, null, null, message,
                            m.location());
                }
                case "length" -> length(value, id, path, field, fieldSpec, message, m.location());
                default -> expression(value, id, path, schema, message, m.location());
            };
            if (!kind.equals("enum") && m.get("ignore_case") != null) {
                problems.add(m.get("ignore_case").location(), path, "'ignore_case' only applies to 'enum'",
                        "remove it");
            }
            m.finish();
            rules.add(rule);
        }
        return rules;
    }

    private RuleSpec range(YamlNode node, String id, String path, String field, FieldSpec spec, String message,
            Location location) {
        MappingReader m = MappingReader.of(node, path + ".range", problems);
        BigDecimal min = null;
        BigDecimal max = null;
        if (m != null) {
            min = number(m.get("min"), path, "min");
            max = number(m.get("max"), path, "max");
            if (m.get("min") == null && m.get("max") == null) {
                problems.add(node.location(), path, "'range' needs 'min', 'max' or both", "e.g. 'range: {min: 0}'");
            }
            if (min != null && max != null && min.compareTo(max) > 0) {
                problems.add(node.location(), path, "'min' " + min.toPlainString() + " is greater than 'max' "
                        + max.toPlainString(), "swap them");
            }
            m.finish();
        }
        if (spec != null && spec.type().kind() != FieldType.Kind.LONG && spec.type().kind() != FieldType.Kind.DECIMAL) {
            problems.add(node.location(), path, "'range' needs a numeric field, '" + field + "' is " + spec.type(),
                    "use 'length' for strings");
        }
        return new RuleSpec(id, RuleSpec.Kind.RANGE, field, min, max, null, null, false, null, null, null, message,
                location);
    }

    private RuleSpec length(YamlNode node, String id, String path, String field, FieldSpec spec, String message,
            Location location) {
        MappingReader m = MappingReader.of(node, path + ".length", problems);
        Integer min = null;
        Integer max = null;
        if (m != null) {
            min = m.get("min") == null ? null : nonNegativeInt(m.get("min"), path + ".length.min");
            max = m.get("max") == null ? null : positiveInt(m.get("max"), path + ".length.max");
            if (m.get("min") == null && m.get("max") == null) {
                problems.add(node.location(), path, "'length' needs 'min', 'max' or both", "e.g. 'length: {max: 100}'");
            }
            if (min != null && max != null && min > max) {
                problems.add(node.location(), path, "'min' " + min + " is greater than 'max' " + max, "swap them");
            }
            m.finish();
        }
        requireString(spec, node, path, "length");
        return new RuleSpec(id, RuleSpec.Kind.LENGTH, field, null, null, null, null, false, min, max, null, message,
                location);
    }

    private RuleSpec expression(YamlNode node, String id, String path, List<FieldSpec> schema, String message,
            Location location) {
        Expression expression = parseExpression(node, path + ".expression");
        if (expression != null) {
            for (String field : expression.fields()) {
                if (find(schema, field) == null) {
                    problems.add(node.location(), path, "the expression reads '" + field + "', which is not in the schema",
                            fieldHint(schema, field));
                }
            }
        }
        return new RuleSpec(id, RuleSpec.Kind.EXPRESSION, null, null, null, null, null, false, null, null, expression,
                message, location);
    }

    private Expression parseExpression(YamlNode node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            return Expression.parse(text);
        } catch (ExpressionException e) {
            Location at = node.location();
            Location pointed = text.indexOf('\n') < 0
                    ? new Location(at.file(), at.line(), at.column() + (node.quoted() ? 1 : 0) + e.offset()) : at;
            problems.add(pointed, path, e.getMessage(), "see 'Expressions' in the README for the syntax");
            return null;
        }
    }

    private void requireString(FieldSpec spec, YamlNode node, String path, String check) {
        if (spec != null && spec.type().kind() != FieldType.Kind.STRING) {
            problems.add(node.location(), path, "'" + check + "' needs a string field, '" + spec.name() + "' is "
                    + spec.type(), "use 'range' for numbers");
        }
    }

    // --- normalize, dedup -----------------------------------------------------------------------------------

    private List<NormalizeSpec> normalize(YamlNode node, List<FieldSpec> schema) {
        List<NormalizeSpec> result = new ArrayList<>();
        for (YamlNode item : sequence(node, "normalize")) {
            MappingReader m = MappingReader.of(item, "normalize[]", problems);
            if (m == null) {
                continue;
            }
            YamlNode fieldNode = m.required("field", "name the string field to normalize");
            String field = fieldNode == null ? null : text(fieldNode, "normalize.field");
            String path = "normalize '" + field + "'";
            if (field != null) {
                FieldSpec spec = find(schema, field);
                if (spec == null) {
                    problems.add(fieldNode.location(), path, "'" + field + "' is not in the schema", fieldHint(schema, field));
                } else if (spec.type().kind() != FieldType.Kind.STRING) {
                    problems.add(fieldNode.location(), path, "only string fields can be normalized, '" + field + "' is "
                            + spec.type(), "timestamps are already normalized to UTC when read");
                }
            }
            List<NormalizeSpec.Op> ops = new ArrayList<>();
            YamlNode opsNode = m.required("ops", "list operations, e.g. 'ops: [trim, lower]'");
            List<String> names = opsNode == null ? null : stringList(opsNode, path + ".ops");
            if (names != null) {
                for (int i = 0; i < names.size(); i++) {
                    try {
                        ops.add(NormalizeSpec.Op.valueOf(names.get(i).toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        problems.add(opsNode.items().get(i).location(), path, "unknown operation '" + names.get(i) + "'",
                                "use trim, lower, upper, digits or collapse_spaces");
                    }
                }
            }
            m.finish();
            result.add(new NormalizeSpec(field, List.copyOf(ops)));
        }
        return result;
    }

    private DedupSpec dedup(YamlNode node, List<FieldSpec> schema, List<String> pipelineKey, SourceFormat format,
            Location top) {
        if (node == null) {
            if (format.isChangeStream()) {
                problems.add(top, "dedup", "a change stream (" + format.id() + ") needs 'dedup'",
                        "add 'dedup: {ttl: 7d}': it orders each key's changes" + (format.hasLogPosition()
                                ? " by their log position" : " by a version field of the row (dedup.version)")
                                + " and remembers deletes for the TTL");
            }
            return null;
        }
        MappingReader m = MappingReader.of(node, "dedup", problems);
        if (m == null) {
            return null;
        }
        YamlNode keyNode = m.get("key");
        List<String> key = keyNode == null ? pipelineKey : key(keyNode, schema, "dedup.key");
        YamlNode versionNode = m.get("version");
        String version = versionNode == null ? null : text(versionNode, "dedup.version");
        if (version == null && versionNode == null && format.hasLogPosition()) {
            version = DedupSpec.POSITION;
        }
        if (format == SourceFormat.CANAL_JSON && (version == null || version.equals(DedupSpec.POSITION))) {
            problems.add(versionNode == null ? node.location() : versionNode.location(), "dedup.version",
                    version == null ? "a Canal pipeline needs a version field" : "Canal gives no log position",
                    "name a field of the row that grows with every change (a timestamp or a long, e.g. update_time"
                            + " or a version column): Canal's messages say nothing about where in the binlog they are");
        } else if (DedupSpec.POSITION.equals(version)) {
            if (!format.hasLogPosition()) {
                problems.add(versionNode.location(), "dedup.version", "'" + version + "' is the log position of a"
                        + " change stream, and a " + format.id() + " source has none",
                        "use a field of the schema, or source.format debezium-json or maxwell-json");
            }
        } else if (version != null) {
            FieldSpec spec = find(schema, version);
            if (spec == null) {
                problems.add(versionNode.location(), "dedup.version", "'" + version + "' is not in the schema",
                        fieldHint(schema, version));
            } else if (spec.type().kind() != FieldType.Kind.TIMESTAMP && spec.type().kind() != FieldType.Kind.LONG) {
                problems.add(versionNode.location(), "dedup.version", "'" + version + "' is " + spec.type(),
                        "the version must be a timestamp or a long");
            } else if (!spec.required()) {
                problems.add(versionNode.location(), "dedup.version", "'" + version + "' is optional",
                        "the version field must be 'required: true'");
            }
        }
        YamlNode ttlNode = m.required("ttl", "how long to remember a key, e.g. 'ttl: 7d'");
        Duration ttl = duration(ttlNode, "dedup.ttl", null, "e.g. 7d, 12h, 30min");
        m.finish();
        if (format.isChangeStream() && keyNode != null && !key.equals(pipelineKey)) {
            problems.add(keyNode.location(), "dedup.key", "a change stream's dedup key is its 'key'",
                    "remove dedup.key: the changes of one row are ordered and deleted by the row's key");
        }
        return new DedupSpec(key, version, ttl, node.location());
    }

    /**
     * The sink of a change stream: {@code deletes} ({@code soft}, the default, needs a column for {@code $deleted}),
     * primary-key columns that hold the pipeline's key fields (a delete carries nothing else); the change-stream
     * columns {@code $position} and {@code $deleted} only there.
     */
    private SinkSpec changeSink(YamlNode node, SinkSpec sink, SourceFormat format, List<String> key) {
        if (sink == null || node == null || node.kind() != YamlNode.Kind.MAPPING) {
            return sink;
        }
        YamlNode.Entry deletesEntry = node.entries().get("deletes");
        SinkSpec.Deletes deletes = SinkSpec.Deletes.NONE;
        for (SinkSpec.Column column : sink.columns()) {
            if (!format.isChangeStream() && (column.field().equals(SinkSpec.POSITION)
                    || column.field().equals(SinkSpec.DELETED))) {
                problems.add(node.entries().get("columns").value().entries().get(column.name()).value().location(),
                        "sink.columns." + column.name(), "'" + column.field() + "' belongs to change streams",
                        "a " + format.id() + " source has no log position and no deletes");
            }
        }
        if (!format.isChangeStream()) {
            if (deletesEntry != null) {
                problems.add(deletesEntry.keyLocation(), "sink.deletes", "a " + format.id() + " source has no deletes",
                        "remove it; deletes come from change streams (source.format debezium-json, canal-json,"
                                + " maxwell-json)");
            }
            return sink;
        }
        String mode = deletesEntry == null ? "soft" : text(deletesEntry.value(), "sink.deletes");
        if ("soft".equals(mode)) {
            deletes = SinkSpec.Deletes.SOFT;
            if (sink.columnOf(SinkSpec.DELETED) == null) {
                problems.add(deletesEntry == null ? node.location() : deletesEntry.value().location(), "sink.deletes",
                        "soft deletes need a column for '$deleted'", "map one, e.g. 'deleted: $deleted' under"
                                + " sink.columns, or set 'deletes: hard' to remove deleted rows");
            }
        } else if ("hard".equals(mode)) {
            deletes = SinkSpec.Deletes.HARD;
            if (sink.columnOf(SinkSpec.DELETED) != null) {
                problems.add(deletesEntry.value().location(), "sink.deletes", "with hard deletes '$deleted' is"
                        + " always false", "remove the '$deleted' column, or set 'deletes: soft'");
            }
        } else if (mode != null) {
            problems.add(deletesEntry.value().location(), "sink.deletes", "unknown mode '" + mode + "'",
                    "use 'soft' (the row stays, flagged in the '$deleted' column) or 'hard' (the row is removed)");
        }
        for (String pk : sink.primaryKey()) {
            SinkSpec.Column column = sink.column(pk);
            if (column != null && !key.contains(column.field())) {
                problems.add(node.entries().get("primary_key").value().location(), "sink.primary_key",
                        "'" + pk + "' holds '" + column.field() + "', which is not a field of the pipeline's key "
                                + key, "a delete carries only the key: map the primary key columns from the key"
                                + " fields");
            }
        }
        return new SinkSpec(sink.table(), sink.primaryKey(), sink.columns(), sink.upsert(), sink.versionColumn(),
                sink.topic(), deletes);
    }

    // --- transform ------------------------------------------------------------------------------------------

    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(authorization|token|key|secret|password).*");

    /** A {@code remote:} step's options, with the defaults of {@link RemoteSpec}. */
    private RemoteSpec remote(YamlNode node, String path, YamlNode piiNode) {
        MappingReader m = MappingReader.of(node, path, problems);
        if (m == null) {
            return null;
        }
        YamlNode functionNode = m.required("function", "name the function the host serves, e.g. 'function: fraud_score'");
        String function = functionNode == null ? null : text(functionNode, path + ".function");
        YamlNode urlNode = m.required("url", "the function host's base URL, e.g. 'url: ${env:FRAUD_FN_URL}'");
        String urlText = urlNode == null ? null : text(urlNode, path + ".url");
        String url = null;
        String urlReference = null;
        if (urlText != null) {
            if (Secret.REFERENCE.matcher(urlText.strip()).matches()) {
                Secret secret = secret(urlNode, path + ".url");
                urlReference = urlText.strip();
                url = secret == null ? null : new String(secret.value(), StandardCharsets.UTF_8);
            } else {
                url = urlText.strip();
            }
            if (url != null) {
                String problem = remoteUrlProblem(url);
                if (problem != null) {
                    problems.add(urlNode.location(), path + ".url", problem,
                            "use https://, or http:// only to a loopback address (127.0.0.1, localhost, ::1)");
                }
            }
        }
        YamlNode fieldsNode = m.get("fields");
        List<String> fields = fieldsNode == null ? List.of() : stringList(fieldsNode, path + ".fields");
        if (fields == null) {
            fields = List.of();
        }
        YamlNode paramsNode = m.get("params");
        Parameters params = paramsNode == null ? Parameters.empty() : parameters(paramsNode, path);
        Map<String, Secret> headers = new LinkedHashMap<>();
        YamlNode headersNode = m.get("headers");
        if (headersNode != null) {
            MappingReader h = MappingReader.of(headersNode, path + ".headers", problems);
            if (h != null) {
                for (YamlNode.Entry entry : headersNode.entries().values()) {
                    h.get(entry.key());
                    String value = text(entry.value(), path + ".headers." + entry.key());
                    if (value == null) {
                        continue;
                    }
                    Secret resolved = embeddedSecrets(entry.value(), value, path + ".headers." + entry.key());
                    if (resolved == null) {
                        continue;
                    }
                    if (SECRET_HEADER.matcher(entry.key()).matches() && !Secret.REFERENCE.matcher(value).find()) {
                        problems.add(entry.value().location(), path + ".headers." + entry.key(),
                                "secrets are never written into a pipeline file", "reference it, e.g. 'Bearer ${env:"
                                        + entry.key().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "}'");
                    }
                    headers.put(entry.key(), resolved);
                }
            }
        }
        int maxRecords = RemoteSpec.DEFAULT_MAX_RECORDS;
        long maxBytes = RemoteSpec.DEFAULT_MAX_BYTES;
        Duration linger = RemoteSpec.DEFAULT_LINGER;
        YamlNode batchNode = m.get("batch");
        if (batchNode != null) {
            MappingReader b = MappingReader.of(batchNode, path + ".batch", problems);
            if (b != null) {
                YamlNode records = b.get("max_records");
                maxRecords = records == null ? maxRecords : positiveInt(records, path + ".batch.max_records");
                if (maxRecords > 10_000) {
                    problems.add(records.location(), path + ".batch.max_records", "at most 10000, got " + maxRecords,
                            "larger batches only add latency; the host's request limit is 16 MiB by default");
                }
                YamlNode bytes = b.get("max_bytes");
                maxBytes = bytes == null ? maxBytes : size(bytes, path + ".batch.max_bytes");
                linger = duration(b.get("linger"), path + ".batch.linger", linger, "e.g. 20ms");
                b.finish();
            }
        }
        YamlNode inFlightNode = m.get("max_in_flight");
        int maxInFlight = inFlightNode == null ? RemoteSpec.DEFAULT_MAX_IN_FLIGHT
                : positiveInt(inFlightNode, path + ".max_in_flight");
        Duration timeout = duration(m.get("timeout"), path + ".timeout", RemoteSpec.DEFAULT_TIMEOUT, "e.g. 5s");
        int maxAttempts = RemoteSpec.DEFAULT_MAX_ATTEMPTS;
        Duration backoff = RemoteSpec.DEFAULT_BACKOFF;
        Duration maxBackoff = RemoteSpec.DEFAULT_MAX_BACKOFF;
        Duration retryFor = RemoteSpec.DEFAULT_RETRY_FOR;
        YamlNode retryNode = m.get("retry");
        if (retryNode != null) {
            MappingReader r = MappingReader.of(retryNode, path + ".retry", problems);
            if (r != null) {
                YamlNode attempts = r.get("max_attempts");
                maxAttempts = attempts == null ? maxAttempts : positiveInt(attempts, path + ".retry.max_attempts");
                backoff = duration(r.get("backoff"), path + ".retry.backoff", backoff, "e.g. 100ms");
                maxBackoff = duration(r.get("max_backoff"), path + ".retry.max_backoff", maxBackoff, "e.g. 10s");
                retryFor = duration(r.get("for"), path + ".retry.for", retryFor, "e.g. 2min");
                r.finish();
            }
        }
        YamlNode unavailableNode = m.get("on_unavailable");
        RemoteSpec.OnUnavailable onUnavailable = RemoteSpec.OnUnavailable.FAIL;
        if (unavailableNode != null) {
            String mode = text(unavailableNode, path + ".on_unavailable");
            if ("dead_letter".equals(mode)) {
                onUnavailable = RemoteSpec.OnUnavailable.DEAD_LETTER;
            } else if (!"fail".equals(mode) && mode != null) {
                problems.add(unavailableNode.location(), path + ".on_unavailable", "unknown mode '" + mode + "'",
                        "use 'fail' (Flink restarts from the last checkpoint) or 'dead_letter'");
            }
        }
        boolean allowPii = bool(m.get("allow_pii"), path + ".allow_pii", false);
        List<String> piiFields = piiFields(piiNode);
        List<String> sentPii = fields.isEmpty() ? piiFields : fields.stream().filter(piiFields::contains).toList();
        if (!allowPii && !sentPii.isEmpty()) {
            problems.add(fieldsNode == null ? node.location() : fieldsNode.location(), path + ".fields",
                    (fields.isEmpty() ? "sends every field, including the PII fields " : "sends the PII fields ")
                            + sentPii + " unmasked (transform steps run before the PII step)",
                    fields.isEmpty() ? "list only the fields the function needs under 'fields', or set"
                            + " 'allow_pii: true' if the host may see them" : "leave them out, or set 'allow_pii: true'"
                            + " if the host may see them");
        }
        m.finish();
        return new RemoteSpec(function, url, urlReference, List.copyOf(fields),
                params == null ? Map.of() : params.asMap(), headers, maxRecords, maxBytes, linger, maxInFlight, timeout,
                maxAttempts, backoff, maxBackoff, retryFor, onUnavailable, allowPii);
    }

    /** Why {@code url} may not be a function host's URL, or null. */
    static String remoteUrlProblem(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return "'" + url.replaceFirst("\\?.*", "") + "' is not a URL";
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return "'" + url.replaceFirst("\\?.*", "") + "' is not an absolute URL";
        }
        String host = uri.getHost().replace("[", "").replace("]", "");
        boolean loopback = host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
        if (uri.getScheme().equals("https") || (uri.getScheme().equals("http") && loopback)) {
            return null;
        }
        return uri.getScheme().equals("http") ? "plain http to " + host + " would send records unencrypted"
                : "unsupported scheme '" + uri.getScheme() + "'";
    }

    /** Every {@code ${env:…}}/{@code ${file:…}} inside {@code text} resolved; the text itself is the reference. */
    private Secret embeddedSecrets(YamlNode node, String text, String path) {
        Matcher matcher = Secret.REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        boolean ok = true;
        while (matcher.find()) {
            Secret secret = secret(node, matcher.group(), path);
            ok &= secret != null;
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(secret == null ? ""
                    : new String(secret.value(), StandardCharsets.UTF_8)));
        }
        matcher.appendTail(resolved);
        return ok ? new Secret(text, resolved.toString().getBytes(StandardCharsets.UTF_8)) : null;
    }

    private List<String> piiFields(YamlNode piiNode) {
        List<String> fields = new ArrayList<>();
        if (piiNode != null && piiNode.kind() == YamlNode.Kind.SEQUENCE) {
            for (YamlNode item : piiNode.items()) {
                if (item.kind() == YamlNode.Kind.MAPPING && item.entries().containsKey("field")) {
                    fields.add(item.entries().get("field").value().text());
                }
            }
        }
        return fields;
    }

    /** A byte size: a whole number of bytes, or with KiB or MiB. */
    private long size(YamlNode node, String path) {
        String text = text(node, path);
        if (text == null) {
            return RemoteSpec.DEFAULT_MAX_BYTES;
        }
        Matcher size = Pattern.compile("(\\d+)\\s*(KiB|MiB)?").matcher(text.strip());
        if (size.matches()) {
            long value = Long.parseLong(size.group(1)) * ("MiB".equals(size.group(2)) ? 1L << 20
                    : "KiB".equals(size.group(2)) ? 1L << 10 : 1);
            if (value > 0) {
                return value;
            }
        }
        problems.add(node.location(), path, "'" + text + "' is not a size", "write bytes, or a number with KiB or MiB,"
                + " e.g. 1MiB");
        return RemoteSpec.DEFAULT_MAX_BYTES;
    }

    private List<StepSpec> transforms(YamlNode node, YamlNode pii) {
        List<StepSpec> steps = new ArrayList<>();
        for (YamlNode item : sequence(node, "transform")) {
            MappingReader m = MappingReader.of(item, "transform[]", problems);
            if (m == null) {
                continue;
            }
            String id = stepId(m, "transform");
            String path = "step '" + (id == null ? "?" : id) + "'";
            YamlNode functionNode = m.get("function");
            YamlNode mapNode = m.get("map");
            YamlNode remoteNode = m.get("remote");
            YamlNode paramsNode = m.get("params");
            YamlNode keepNode = m.get("keep_unmapped");
            int kinds = (functionNode == null ? 0 : 1) + (mapNode == null ? 0 : 1) + (remoteNode == null ? 0 : 1);
            if (kinds != 1) {
                problems.add(m.location(), path, kinds == 0 ? "has none of 'function', 'remote' and 'map'"
                        : "has more than one of 'function', 'remote' and 'map'", "give exactly one");
                m.finish();
                continue;
            }
            if (remoteNode != null) {
                for (YamlNode other : new YamlNode[] {paramsNode, keepNode}) {
                    if (other != null) {
                        problems.add(other.location(), path, "a remote step takes its options under 'remote'",
                                "move 'params' into 'remote:'; 'keep_unmapped' applies to 'map' steps");
                    }
                }
                RemoteSpec remote = remote(remoteNode, path + ".remote", pii);
                steps.add(new StepSpec(id, null, null, null, false, remote, m.location()));
                m.finish();
                continue;
            }
            if (functionNode != null) {
                String function = text(functionNode, path + ".function");
                Parameters parameters = paramsNode == null ? Parameters.empty() : parameters(paramsNode, path);
                if (keepNode != null) {
                    problems.add(keepNode.location(), path, "'keep_unmapped' only applies to 'map' steps", "remove it");
                }
                if (function != null && parameters != null) {
                    checkFunction(function, parameters, functionNode, paramsNode, path);
                }
                steps.add(new StepSpec(id, function, parameters, null, false, m.location()));
            } else {
                if (paramsNode != null) {
                    problems.add(paramsNode.location(), path, "'params' only applies to 'function' steps",
                            "remove it");
                }
                MappingReader mapping = MappingReader.of(mapNode, path + ".map", problems);
                Map<String, Expression> map = new LinkedHashMap<>();
                if (mapping != null) {
                    for (YamlNode.Entry entry : mapNode.entries().values()) {
                        mapping.get(entry.key());
                        if (!NAME.matcher(entry.key()).matches()) {
                            problems.add(entry.keyLocation(), path, "'" + entry.key() + "' is not a valid field name",
                                    "use lower-case letters, digits and '_'");
                            continue;
                        }
                        Expression expression = parseExpression(entry.value(), path + ".map." + entry.key());
                        if (expression != null) {
                            map.put(entry.key(), expression);
                        }
                    }
                    if (map.isEmpty() && mapNode.entries().isEmpty()) {
                        problems.add(mapNode.location(), path, "'map' is empty", "map at least one field");
                    }
                }
                steps.add(new StepSpec(id, null, null, map, bool(keepNode, path + ".keep_unmapped", false),
                        m.location()));
            }
            m.finish();
        }
        return steps;
    }

    private void checkFunction(String function, Parameters parameters, YamlNode functionNode, YamlNode paramsNode,
            String path) {
        RecordFunctionFactory factory = functions.find(function).orElse(null);
        if (factory == null) {
            problems.add(functionNode.location(), path, "unknown function '" + function + "'",
                    functions.unknownHint(function));
            return;
        }
        try {
            factory.create(parameters);
        } catch (ParameterException e) {
            Location at = paramsNode == null ? functionNode.location() : paramsNode.location();
            if (e.parameter() != null && paramsNode != null && paramsNode.kind() == YamlNode.Kind.MAPPING) {
                YamlNode.Entry entry = paramsNode.entries().get(e.parameter());
                if (entry != null) {
                    at = e.getMessage().startsWith("unknown parameter") ? entry.keyLocation() : entry.value().location();
                }
            }
            problems.add(at, path, "function '" + function + "': " + e.getMessage(),
                    "see the function's parameters in udfs/README.md");
        } catch (RuntimeException e) {
            problems.add(functionNode.location(), path, "function '" + function + "' failed to start: " + e,
                    "check its parameters");
        }
    }

    private Parameters parameters(YamlNode node, String path) {
        if (node.kind() != YamlNode.Kind.MAPPING) {
            problems.add(node.location(), path + ".params", "expected a mapping, got " + node.describe(),
                    "write 'params: {name: value}'");
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) plainValue(node);
        return new Parameters(values);
    }

    /** A YAML value as parameter data: Long, BigDecimal, Boolean, String, List, Map; quoted scalars stay text. */
    private static Object plainValue(YamlNode node) {
        switch (node.kind()) {
            case NULL:
                return null;
            case SEQUENCE: {
                List<Object> list = new ArrayList<>();
                node.items().forEach(item -> list.add(plainValue(item)));
                return list;
            }
            case MAPPING: {
                Map<String, Object> map = new LinkedHashMap<>();
                node.entries().forEach((k, v) -> map.put(k, plainValue(v.value())));
                return map;
            }
            default:
                break;
        }
        String text = node.text();
        if (node.quoted()) {
            return text;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        if (text.matches("-?\\d{1,18}")) {
            return Long.parseLong(text);
        }
        if (text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return new BigDecimal(text);
        }
        return text;
    }

    // --- pii ------------------------------------------------------------------------------------------------

    private List<PiiSpec> pii(YamlNode node) {
        List<PiiSpec> result = new ArrayList<>();
        for (YamlNode item : sequence(node, "pii")) {
            MappingReader m = MappingReader.of(item, "pii[]", problems);
            if (m == null) {
                continue;
            }
            YamlNode fieldNode = m.required("field", "name the personal-data field");
            String field = fieldNode == null ? null : text(fieldNode, "pii.field");
            String path = "pii '" + field + "'";
            List<String> kinds = List.of("hash", "mask", "drop").stream().filter(m::has).toList();
            YamlNode hash = m.get("hash");
            YamlNode mask = m.get("mask");
            YamlNode drop = m.get("drop");
            if (kinds.size() != 1) {
                problems.add(m.location(), path, kinds.isEmpty() ? "says nothing to do" : "has more than one of " + kinds,
                        "give exactly one of hash, mask, drop");
            } else if (hash != null) {
                MappingReader h = MappingReader.of(hash, path + ".hash", problems);
                if (h != null) {
                    YamlNode saltNode = h.required("salt", "reference the salt, e.g. 'salt: ${env:MIDSTREAM_SALT}'");
                    Secret salt = saltNode == null ? null : secret(saltNode, path + ".hash.salt");
                    if (salt != null && salt.value().length < MIN_SALT_BYTES) {
                        problems.add(saltNode.location(), path + ".hash.salt", "the salt from " + salt.reference()
                                + " is only " + salt.value().length + " bytes",
                                "use at least " + MIN_SALT_BYTES + " random bytes, e.g. openssl rand -hex 32");
                    }
                    h.finish();
                    result.add(new PiiSpec(field, PiiSpec.Kind.HASH, salt, 0));
                }
            } else if (mask != null) {
                MappingReader k = MappingReader.of(mask, path + ".mask", problems);
                if (k != null) {
                    YamlNode keep = k.get("keep_last");
                    int keepLast = keep == null ? 4 : nonNegativeInt(keep, path + ".mask.keep_last");
                    k.finish();
                    result.add(new PiiSpec(field, PiiSpec.Kind.MASK, null, keepLast));
                }
            } else {
                if (!bool(drop, path + ".drop", true)) {
                    problems.add(drop.location(), path, "'drop: false' does nothing", "remove the entry");
                }
                result.add(new PiiSpec(field, PiiSpec.Kind.DROP, null, 0));
            }
            m.finish();
        }
        return result;
    }

    private Secret secret(YamlNode node, String path) {
        String text = text(node, path);
        return text == null ? null : secret(node, text, path);
    }

    /** The secret {@code text} (a reference) names; problems at {@code node}. */
    private Secret secret(YamlNode node, String text, String path) {
        Matcher matcher = Secret.REFERENCE.matcher(text.strip());
        if (!matcher.matches()) {
            problems.add(node.location(), path, "secrets are never written into a pipeline file",
                    "reference it instead: ${env:NAME} or ${file:/path/to/secret}");
            return null;
        }
        String name = matcher.group(2);
        if (matcher.group(1).equals("env")) {
            String value = env.apply(name);
            if (value == null || value.isBlank()) {
                problems.add(node.location(), path, "environment variable " + name + " is not set",
                        "export " + name + " on every JobManager and TaskManager, or use ${file:...}");
                return null;
            }
            return new Secret(text.strip(), value.strip().getBytes(StandardCharsets.UTF_8));
        }
        try {
            return new Secret(text.strip(), Files.readString(Path.of(name), StandardCharsets.UTF_8).strip()
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add(node.location(), path, "cannot read " + name + " (" + e.getClass().getSimpleName() + ")",
                    "mount the secret at that path, readable by the Flink user");
            return null;
        }
    }

    // --- sink, dead letters ---------------------------------------------------------------------------------

    // --- small readers --------------------------------------------------------------------------------------


}
