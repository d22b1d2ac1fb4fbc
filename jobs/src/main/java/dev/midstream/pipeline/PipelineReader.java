package dev.midstream.pipeline;

import dev.midstream.sink.SqlIdentifier;
import dev.midstream.transform.FunctionCatalog;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
public final class PipelineReader {
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d{1,2}),\\s*(\\d{1,2})\\)");
    private static final Pattern SECRET = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    private static final Pattern SQL_TYPE = Pattern.compile(
            "text|bigint|integer|boolean|timestamptz|jsonb|double precision|numeric\\(\\d{1,2},\\d{1,2}\\)");
    static final int MIN_SALT_BYTES = 16;

    private final String file;
    private final Problems problems = new Problems();
    private final Function<String, String> env;
    private final FunctionCatalog functions;
    private final Set<String> stepIds = new HashSet<>();

    private PipelineReader(String file, Function<String, String> env, FunctionCatalog functions) {
        this.file = file;
        this.env = env;
        this.functions = functions;
    }

    public static PipelineSpec read(Path file) {
        return read(file, System::getenv, FunctionCatalog.load());
    }

    public static PipelineSpec read(Path file, Function<String, String> env, FunctionCatalog functions) {
        return new PipelineReader(file.toString(), env, functions).read(YamlNode.load(file));
    }

    public static PipelineSpec parse(String fileName, String content, Function<String, String> env,
            FunctionCatalog functions) {
        return new PipelineReader(fileName, env, functions).read(YamlNode.parse(fileName, content));
    }

    private PipelineSpec read(YamlNode root) {
        MappingReader top = MappingReader.of(root, "", problems);
        problems.throwIfAny();
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
        DedupSpec dedup = dedup(top.get("dedup"), schema, key);
        List<TransformSpec> transforms = transforms(top.get("transform"));
        List<PiiSpec> pii = pii(top.get("pii"));
        SinkSpec sink = sink(top.required("sink", "add 'sink: {table: <name>, primary_key: [...], columns: {...}}'"),
                schema, dedup);
        DeadLetterSpec deadLetters = deadLetters(top.get("dead_letters"), name);
        top.finish();
        problems.throwIfAny();
        return new PipelineSpec(name, file, source, schema, key, rules, normalize, dedup, transforms, pii, sink,
                deadLetters);
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
        String format = formatNode == null ? "json" : text(formatNode, "source.format");
        if (format != null && !format.equals("json")) {
            problems.add(formatNode.location(), "source.format", "unsupported format '" + format + "'",
                    "only 'json' is supported");
        }
        YamlNode maxNode = m.get("max_record_bytes");
        Integer maxBytes = maxNode == null ? null : positiveInt(maxNode, "source.max_record_bytes");
        m.finish();
        return new SourceSpec(topics, format, maxBytes);
    }

    // --- schema ---------------------------------------------------------------------------------------------

    private List<FieldSpec> schema(YamlNode node) {
        return node == null ? List.of() : fields(node, "schema");
    }

    private List<FieldSpec> fields(YamlNode node, String path) {
        MappingReader m = MappingReader.of(node, path, problems);
        if (m == null) {
            return List.of();
        }
        List<FieldSpec> fields = new ArrayList<>();
        for (YamlNode.Entry entry : node.entries().values()) {
            String fieldPath = m.child(entry.key());
            m.get(entry.key());
            if (!NAME.matcher(entry.key()).matches()) {
                problems.add(entry.keyLocation(), fieldPath, "'" + entry.key() + "' is not a valid field name",
                        "use lower-case letters, digits and '_', starting with a letter");
                continue;
            }
            FieldSpec field = field(entry.key(), entry.value(), fieldPath);
            if (field != null) {
                fields.add(field);
            }
        }
        if (fields.isEmpty() && node.entries().isEmpty()) {
            problems.add(node.location(), path, "declares no fields", "add at least one field");
        }
        return fields;
    }

    private FieldSpec field(String name, YamlNode node, String path) {
        if (node.kind() == YamlNode.Kind.SCALAR) {
            FieldType type = type(node, path, null, null);
            return type == null ? null : new FieldSpec(name, type, false, null, null, node.location());
        }
        MappingReader m = MappingReader.of(node, path, problems);
        if (m == null) {
            return null;
        }
        FieldType type = type(m.required("type", "e.g. 'type: string'; one of string, long, decimal(p,s), boolean,"
                + " timestamp, object, array"), path + ".type", m, path);
        boolean required = bool(m.get("required"), path + ".required", false);
        YamlNode maxLengthNode = m.get("max_length");
        Integer maxLength = maxLengthNode == null ? null : positiveInt(maxLengthNode, path + ".max_length");
        if (maxLength != null && type != null && type.kind() != FieldType.Kind.STRING) {
            problems.add(maxLengthNode.location(), path + ".max_length", "only applies to strings",
                    "remove it or use a 'length' rule");
        }
        YamlNode defaultNode = m.get("default");
        Object defaultValue = null;
        if (defaultNode != null && type != null) {
            if (required) {
                problems.add(defaultNode.location(), path + ".default", "a required field cannot have a default",
                        "remove 'default' or 'required: true'");
            }
            defaultValue = defaultValue(defaultNode, type, path + ".default");
        }
        m.finish();
        return type == null ? null : new FieldSpec(name, type, required, defaultValue, maxLength, node.location());
    }

    /** {@code m} is the field's mapping (for {@code fields}/{@code items}), null for the short form. */
    private FieldType type(YamlNode node, String path, MappingReader m, String fieldPath) {
        if (node == null) {
            return null;
        }
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        String t = text.strip();
        Matcher decimal = DECIMAL.matcher(t);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > 38 || scale > precision) {
                problems.add(node.location(), path, "'" + t + "' is not a valid decimal",
                        "precision 1 to 38, scale at most the precision, e.g. decimal(12,2)");
                return null;
            }
            return FieldType.decimal(precision, scale);
        }
        switch (t) {
            case "string":
                return FieldType.of(FieldType.Kind.STRING);
            case "long":
                return FieldType.of(FieldType.Kind.LONG);
            case "boolean":
                return FieldType.of(FieldType.Kind.BOOLEAN);
            case "timestamp":
                return FieldType.of(FieldType.Kind.TIMESTAMP);
            case "object": {
                if (m == null) {
                    problems.add(node.location(), path, "an object needs its fields",
                            "write 'type: object' with 'fields:' under it");
                    return null;
                }
                YamlNode fields = m.required("fields", "declare the nested fields under 'fields:'");
                return fields == null ? null : FieldType.object(fields(fields, fieldPath + ".fields"));
            }
            case "array": {
                YamlNode items = m == null ? null : m.required("items",
                        "declare the item type, e.g. 'items: {type: object, fields: {...}}' or 'items: string'");
                if (items == null) {
                    if (m == null) {
                        problems.add(node.location(), path, "an array needs its item type",
                                "write 'type: array' with 'items:' under it");
                    }
                    return null;
                }
                FieldSpec item = field("items", items, fieldPath + ".items");
                return item == null ? null : FieldType.array(item.type());
            }
            default:
                problems.add(node.location(), path, "unknown type '" + t + "'", t.startsWith("decimal(") && !t.endsWith(")")
                        ? "inside {...} the comma ends the value: quote it, type: 'decimal(12,2)'"
                        : "use one of string, long, decimal(p,s), boolean, timestamp, object, array");
                return null;
        }
    }

    private Object defaultValue(YamlNode node, FieldType type, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            return switch (type.kind()) {
                case STRING -> text;
                case LONG -> Long.parseLong(text);
                case DECIMAL -> new BigDecimal(text);
                case BOOLEAN -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new IllegalArgumentException();
                    }
                    yield Boolean.parseBoolean(text);
                }
                case TIMESTAMP -> Instant.parse(text);
                case OBJECT, ARRAY -> throw new IllegalArgumentException();
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            problems.add(node.location(), path, "default " + node.describe() + " is not a " + type,
                    type.kind() == FieldType.Kind.OBJECT || type.kind() == FieldType.Kind.ARRAY
                            ? "objects and arrays cannot have defaults" : "write a value of the field's type");
            return null;
        }
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

    private DedupSpec dedup(YamlNode node, List<FieldSpec> schema, List<String> pipelineKey) {
        if (node == null) {
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
        if (version != null) {
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
        Duration ttl = null;
        if (ttlNode != null) {
            String text = text(ttlNode, "dedup.ttl");
            try {
                ttl = text == null ? null : duration(text);
            } catch (IllegalArgumentException e) {
                problems.add(ttlNode.location(), "dedup.ttl", "'" + text + "' is not a positive duration",
                        "write a number and a unit: ms, s, min, h or d, e.g. 7d, 12h, 30min");
            }
        }
        m.finish();
        return new DedupSpec(key, version, ttl, node.location());
    }

    // --- transform ------------------------------------------------------------------------------------------

    private List<TransformSpec> transforms(YamlNode node) {
        List<TransformSpec> steps = new ArrayList<>();
        for (YamlNode item : sequence(node, "transform")) {
            MappingReader m = MappingReader.of(item, "transform[]", problems);
            if (m == null) {
                continue;
            }
            String id = stepId(m, "transform");
            String path = "step '" + (id == null ? "?" : id) + "'";
            YamlNode functionNode = m.get("function");
            YamlNode mapNode = m.get("map");
            YamlNode paramsNode = m.get("params");
            YamlNode keepNode = m.get("keep_unmapped");
            if ((functionNode == null) == (mapNode == null)) {
                problems.add(m.location(), path, functionNode == null ? "has neither 'function' nor 'map'"
                        : "has both 'function' and 'map'", "give exactly one");
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
                steps.add(new TransformSpec(id, function, parameters, null, false, m.location()));
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
                steps.add(new TransformSpec(id, null, null, map, bool(keepNode, path + ".keep_unmapped", false),
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
        if (text == null) {
            return null;
        }
        Matcher matcher = SECRET.matcher(text.strip());
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

    private SinkSpec sink(YamlNode node, List<FieldSpec> schema, DedupSpec dedup) {
        if (node == null) {
            return null;
        }
        MappingReader m = MappingReader.of(node, "sink", problems);
        if (m == null) {
            return null;
        }
        String table = identifier(m.required("table", "name the table, e.g. 'table: orders'"), "sink.table");
        YamlNode columnsNode = m.required("columns", "map table columns to fields, e.g. 'columns: {order_id: order_id}'");
        List<SinkSpec.Column> columns = new ArrayList<>();
        if (columnsNode != null) {
            MappingReader c = MappingReader.of(columnsNode, "sink.columns", problems);
            if (c != null) {
                for (YamlNode.Entry entry : columnsNode.entries().values()) {
                    c.get(entry.key());
                    SinkSpec.Column column = column(entry, schema);
                    if (column != null) {
                        columns.add(column);
                    }
                }
            }
        }
        Set<String> columnNames = new HashSet<>();
        columns.forEach(col -> columnNames.add(col.name()));
        YamlNode pkNode = m.required("primary_key", "list the key columns, e.g. 'primary_key: [order_id]'");
        List<String> primaryKey = pkNode == null ? List.of() : stringList(pkNode, "sink.primary_key");
        if (primaryKey == null) {
            primaryKey = List.of();
        }
        for (String pk : primaryKey) {
            if (!columnNames.contains(pk)) {
                problems.add(pkNode.location(), "sink.primary_key", "'" + pk + "' is not one of the columns",
                        "primary key columns must be mapped under 'columns'");
            }
        }
        if (pkNode != null && primaryKey.isEmpty()) {
            problems.add(pkNode.location(), "sink.primary_key", "is empty", "name at least one column");
        }
        YamlNode upsertNode = m.get("upsert");
        SinkSpec.Upsert upsert = SinkSpec.Upsert.ALWAYS;
        String versionColumn = null;
        if (upsertNode != null) {
            String text = text(upsertNode, "sink.upsert");
            if ("newer".equals(text)) {
                upsert = SinkSpec.Upsert.NEWER;
                if (dedup == null || dedup.version() == null) {
                    problems.add(upsertNode.location(), "sink.upsert", "'newer' needs a version",
                            "set 'dedup.version' to the field that orders versions");
                } else {
                    versionColumn = columns.stream().filter(col -> col.field().equals(dedup.version()))
                            .map(SinkSpec.Column::name).findFirst().orElse(null);
                    if (versionColumn == null) {
                        problems.add(upsertNode.location(), "sink.upsert", "the version field '" + dedup.version()
                                + "' is not mapped to a column", "map it under 'columns' so rows can be compared");
                    }
                }
            } else if (!"always".equals(text) && text != null) {
                problems.add(upsertNode.location(), "sink.upsert", "unknown mode '" + text + "'",
                        "use 'always' (last write wins) or 'newer' (only a newer version replaces a row)");
            }
        }
        YamlNode topicNode = m.get("topic");
        String topic = topicNode == null ? null : text(topicNode, "sink.topic");
        m.finish();
        return new SinkSpec(table, primaryKey, columns, upsert, versionColumn, topic);
    }

    private SinkSpec.Column column(YamlNode.Entry entry, List<FieldSpec> schema) {
        String path = "sink.columns." + entry.key();
        try {
            SqlIdentifier.of(entry.key());
        } catch (IllegalArgumentException e) {
            problems.add(entry.keyLocation(), path, e.getMessage(), "rename the column");
            return null;
        }
        YamlNode value = entry.value();
        String field;
        String sqlType = null;
        YamlNode typeNode = null;
        if (value.kind() == YamlNode.Kind.MAPPING) {
            MappingReader m = MappingReader.of(value, path, problems);
            YamlNode fieldNode = m.required("field", "name the field path this column holds");
            field = fieldNode == null ? null : text(fieldNode, path + ".field");
            typeNode = m.get("type");
            sqlType = typeNode == null ? null : text(typeNode, path + ".type");
            m.finish();
        } else {
            field = text(value, path);
        }
        if (field == null) {
            return null;
        }
        if (field.startsWith("$")) {
            String provenanceType = SinkSpec.PROVENANCE.get(field);
            if (provenanceType == null) {
                problems.add(value.location(), path, "unknown source field '" + field + "'",
                        "use one of " + SinkSpec.PROVENANCE.keySet());
                return null;
            }
            return new SinkSpec.Column(entry.key(), field, sqlType == null ? provenanceType : sqlType);
        }
        FieldSpec spec = find(schema, field);
        if (sqlType == null) {
            if (spec == null) {
                problems.add(value.location(), path, "'" + field + "' is not in the schema, so its column type is unknown",
                        "for a field made by a transform step write '{field: " + field + ", type: text}'");
                return null;
            }
            sqlType = spec.type().sqlType();
        } else if (!SQL_TYPE.matcher(sqlType).matches()) {
            problems.add(typeNode.location(), path + ".type", "unsupported column type '" + sqlType + "'",
                    "use text, bigint, integer, boolean, timestamptz, jsonb, double precision or numeric(p,s)");
            return null;
        }
        return new SinkSpec.Column(entry.key(), field, sqlType);
    }

    private DeadLetterSpec deadLetters(YamlNode node, String pipeline) {
        String defaultTable = pipeline == null ? null : pipeline.replace('-', '_') + "_dead_letters";
        if (node == null) {
            return new DeadLetterSpec(defaultTable, null);
        }
        MappingReader m = MappingReader.of(node, "dead_letters", problems);
        if (m == null) {
            return new DeadLetterSpec(defaultTable, null);
        }
        String table = m.get("table") == null ? null : identifier(m.get("table"), "dead_letters.table");
        String topic = m.get("topic") == null ? null : text(m.get("topic"), "dead_letters.topic");
        if (table == null && topic == null) {
            problems.add(node.location(), "dead_letters", "names neither a table nor a topic",
                    "rejected records must go somewhere: give 'table', 'topic' or both");
        }
        m.finish();
        return new DeadLetterSpec(table, topic);
    }

    // --- small readers --------------------------------------------------------------------------------------

    private String stepId(MappingReader m, String section) {
        YamlNode idNode = m.required("id", "give every " + section + " entry a stable id; it keys its state and metrics");
        String id = idNode == null ? null : text(idNode, section + ".id");
        if (id == null) {
            return null;
        }
        if (!NAME.matcher(id).matches()) {
            problems.add(idNode.location(), section + ".id", "'" + id + "' is not a valid id",
                    "use lower-case letters, digits and '_'");
        } else if (!stepIds.add(id)) {
            problems.add(idNode.location(), section + ".id", "'" + id + "' is used twice", "ids must be unique in a pipeline");
        }
        return id;
    }

    private String identifier(YamlNode node, String path) {
        String text = node == null ? null : text(node, path);
        if (text == null) {
            return null;
        }
        try {
            SqlIdentifier.of(text);
            return text;
        } catch (IllegalArgumentException e) {
            problems.add(node.location(), path, e.getMessage(), "rename it");
            return null;
        }
    }

    private List<YamlNode> sequence(YamlNode node, String path) {
        if (node == null) {
            return List.of();
        }
        if (node.kind() != YamlNode.Kind.SEQUENCE) {
            problems.add(node.location(), path, "expected a list, got " + node.describe(),
                    "write each entry on its own line starting with '- '");
            return List.of();
        }
        return node.items();
    }

    private String text(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.kind() != YamlNode.Kind.SCALAR) {
            problems.add(node.location(), path, "expected a single value, got " + node.describe(), null);
            return null;
        }
        return node.text();
    }

    private List<String> stringList(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.kind() != YamlNode.Kind.SEQUENCE) {
            problems.add(node.location(), path, "expected a list, got " + node.describe(), "write [a, b]");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (YamlNode item : node.items()) {
            String text = text(item, path);
            if (text != null) {
                values.add(text);
            }
        }
        return values;
    }

    private boolean bool(YamlNode node, String path, boolean fallback) {
        if (node == null) {
            return fallback;
        }
        String text = text(node, path);
        if ("true".equals(text) || "false".equals(text)) {
            return Boolean.parseBoolean(text);
        }
        if (text != null) {
            problems.add(node.location(), path, "must be true or false, got " + node.describe(), null);
        }
        return fallback;
    }

    private BigDecimal number(YamlNode node, String rulePath, String name) {
        if (node == null) {
            return null;
        }
        String text = text(node, rulePath + "." + name);
        try {
            return text == null || node.quoted() ? failNumber(node, rulePath, name) : new BigDecimal(text);
        } catch (NumberFormatException e) {
            return failNumber(node, rulePath, name);
        }
    }

    private BigDecimal failNumber(YamlNode node, String rulePath, String name) {
        problems.add(node.location(), rulePath, "'" + name + "' must be a number, got " + node.describe(),
                "write digits, e.g. '" + name + ": 10' (no quotes)");
        return null;
    }

    private int positiveInt(YamlNode node, String path) {
        Integer value = integer(node, path);
        if (value != null && value <= 0) {
            problems.add(node.location(), path, "must be greater than 0, got " + value, null);
        }
        return value == null ? 1 : value;
    }

    private int nonNegativeInt(YamlNode node, String path) {
        Integer value = integer(node, path);
        if (value != null && value < 0) {
            problems.add(node.location(), path, "must be 0 or more, got " + value, null);
        }
        return value == null ? 0 : value;
    }

    private Integer integer(YamlNode node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            problems.add(node.location(), path, "must be a whole number, got " + node.describe(), null);
            return null;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)");

    /** {@code 500ms}, {@code 30s}, {@code 10min} (or {@code 10m}), {@code 12h}, {@code 7d}; positive. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The field at a dotted path through object fields, or null. */
    public static FieldSpec find(List<FieldSpec> fields, String path) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        for (FieldSpec field : fields) {
            if (field.name().equals(head)) {
                if (dot < 0) {
                    return field;
                }
                return field.type().kind() == FieldType.Kind.OBJECT ? find(field.type().fields(), path.substring(dot + 1))
                        : null;
            }
        }
        return null;
    }

    private static String fieldHint(List<FieldSpec> schema, String path) {
        List<String> names = new ArrayList<>();
        collectPaths(schema, "", names);
        return dev.midstream.config.Spelling.closest(names, path).map(n -> "did you mean '" + n + "'?")
                .orElse("declare it under 'schema' or use one of " + names);
    }

    private static void collectPaths(List<FieldSpec> fields, String prefix, List<String> out) {
        for (FieldSpec field : fields) {
            out.add(prefix + field.name());
            if (field.type().kind() == FieldType.Kind.OBJECT) {
                collectPaths(field.type().fields(), prefix + field.name() + ".", out);
            }
        }
    }
}
