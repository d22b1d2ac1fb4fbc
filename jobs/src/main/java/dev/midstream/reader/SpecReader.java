package dev.midstream.reader;

import dev.midstream.model.DeadLetterSpec;
import dev.midstream.model.Durations;
import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the readers of Midstream's YAML files share: the problems found so far, field declarations (the
 * {@code schema} syntax), table sinks, dead letters, step ids and the small typed readers. Every reader reports
 * a problem with its location, field and a hint, and goes on, so one run shows every problem of a file.
 */
abstract class SpecReader {
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d{1,2}),\\s*(\\d{1,2})\\)");
    static final Pattern SQL_TYPE = Pattern.compile(
            "text|bigint|integer|boolean|timestamptz|jsonb|double precision|numeric\\(\\d{1,2},\\d{1,2}\\)");

    final String file;
    final Problems problems = new Problems();
    private final Set<String> stepIds = new HashSet<>();

    SpecReader(String file) {
        this.file = file;
    }

    List<FieldSpec> fields(YamlNode node, String path) {
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

    FieldSpec field(String name, YamlNode node, String path) {
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
        // Read for every type, so a misplaced one gets a precise answer rather than "unknown key".
        YamlNode fieldsNode = m.get("fields");
        YamlNode itemsNode = m.get("items");
        if (type != null && type.kind() != FieldType.Kind.OBJECT && fieldsNode != null) {
            problems.add(fieldsNode.location(), path + ".fields", "only objects have fields",
                    "write 'type: object' or remove 'fields'");
        }
        if (type != null && type.kind() != FieldType.Kind.ARRAY && itemsNode != null) {
            problems.add(itemsNode.location(), path + ".items", "only arrays have items",
                    "write 'type: array' or remove 'items'");
        }
        m.finish();
        return type == null ? null : new FieldSpec(name, type, required, defaultValue, maxLength, node.location());
    }

    /** {@code m} is the field's mapping (for {@code fields}/{@code items}), null for the short form. */
    FieldType type(YamlNode node, String path, MappingReader m, String fieldPath) {
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

    Object defaultValue(YamlNode node, FieldType type, String path) {
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

    SinkSpec sink(YamlNode node, String path, List<FieldSpec> schema, String version, String versionHint,
            boolean allowTopic) {
        if (node == null) {
            return null;
        }
        MappingReader m = MappingReader.of(node, path, problems);
        if (m == null) {
            return null;
        }
        String table = identifier(m.required("table", "name the table, e.g. 'table: orders'"), path + ".table");
        YamlNode columnsNode = m.required("columns", "map table columns to fields, e.g. 'columns: {order_id: order_id}'");
        List<SinkSpec.Column> columns = new ArrayList<>();
        if (columnsNode != null) {
            MappingReader c = MappingReader.of(columnsNode, path + ".columns", problems);
            if (c != null) {
                for (YamlNode.Entry entry : columnsNode.entries().values()) {
                    c.get(entry.key());
                    SinkSpec.Column column = column(entry, path, schema);
                    if (column != null) {
                        columns.add(column);
                    }
                }
            }
        }
        Set<String> columnNames = new HashSet<>();
        columns.forEach(col -> columnNames.add(col.name()));
        YamlNode pkNode = m.required("primary_key", "list the key columns, e.g. 'primary_key: [order_id]'");
        List<String> primaryKey = pkNode == null ? List.of() : stringList(pkNode, path + ".primary_key");
        if (primaryKey == null) {
            primaryKey = List.of();
        }
        for (String pk : primaryKey) {
            if (!columnNames.contains(pk)) {
                problems.add(pkNode.location(), path + ".primary_key", "'" + pk + "' is not one of the columns",
                        "primary key columns must be mapped under 'columns'");
            }
        }
        if (pkNode != null && primaryKey.isEmpty()) {
            problems.add(pkNode.location(), path + ".primary_key", "is empty", "name at least one column");
        }
        YamlNode upsertNode = m.get("upsert");
        SinkSpec.Upsert upsert = SinkSpec.Upsert.ALWAYS;
        String versionColumn = null;
        if (upsertNode != null) {
            String text = text(upsertNode, path + ".upsert");
            if ("newer".equals(text)) {
                upsert = SinkSpec.Upsert.NEWER;
                if (version == null) {
                    problems.add(upsertNode.location(), path + ".upsert", "'newer' needs a version",
                            versionHint);
                } else {
                    versionColumn = columns.stream().filter(col -> col.field().equals(version))
                            .map(SinkSpec.Column::name).findFirst().orElse(null);
                    if (versionColumn == null) {
                        problems.add(upsertNode.location(), path + ".upsert", "the version field '" + version
                                + "' is not mapped to a column", "map it under 'columns' so rows can be compared");
                    }
                }
            } else if (!"always".equals(text) && text != null) {
                problems.add(upsertNode.location(), path + ".upsert", "unknown mode '" + text + "'",
                        "use 'always' (last write wins) or 'newer' (only a newer version replaces a row)");
            }
        }
        YamlNode topicNode = allowTopic ? m.get("topic") : null;
        String topic = topicNode == null ? null : text(topicNode, path + ".topic");
        if (allowTopic) {
            m.get("deletes"); // read by the pipeline reader, which knows the source format
        }
        m.finish();
        return new SinkSpec(table, primaryKey, columns, upsert, versionColumn, topic);
    }

    SinkSpec.Column column(YamlNode.Entry entry, String sinkPath, List<FieldSpec> schema) {
        String path = sinkPath + ".columns." + entry.key();
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
                if (sinkPath.equals("sink")) {
                    problems.add(value.location(), path, "'" + field + "' is not in the schema, so its column type is unknown",
                            "for a field made by a transform step write '{field: " + field + ", type: text}'");
                } else {
                    problems.add(value.location(), path, "'" + field + "' is not a field of the facts, a lookup or the"
                            + " enrichment", "declare it under 'facts.fields'");
                }
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

    DeadLetterSpec deadLetters(YamlNode node, String pipeline) {
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

    String stepId(MappingReader m, String section) {
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

    String identifier(YamlNode node, String path) {
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

    List<YamlNode> sequence(YamlNode node, String path) {
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

    String text(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.kind() != YamlNode.Kind.SCALAR) {
            problems.add(node.location(), path, "expected a single value, got " + node.describe(), null);
            return null;
        }
        return node.text();
    }

    List<String> stringList(YamlNode node, String path) {
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

    boolean bool(YamlNode node, String path, boolean fallback) {
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

    BigDecimal number(YamlNode node, String rulePath, String name) {
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

    BigDecimal failNumber(YamlNode node, String rulePath, String name) {
        problems.add(node.location(), rulePath, "'" + name + "' must be a number, got " + node.describe(),
                "write digits, e.g. '" + name + ": 10' (no quotes)");
        return null;
    }

    int positiveInt(YamlNode node, String path) {
        Integer value = integer(node, path);
        if (value != null && value <= 0) {
            problems.add(node.location(), path, "must be greater than 0, got " + value, null);
        }
        return value == null ? 1 : value;
    }

    int nonNegativeInt(YamlNode node, String path) {
        Integer value = integer(node, path);
        if (value != null && value < 0) {
            problems.add(node.location(), path, "must be 0 or more, got " + value, null);
        }
        return value == null ? 0 : value;
    }

    Integer integer(YamlNode node, String path) {
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

    /**
     * The positive duration at {@code node} ({@link Durations}: the grammar of the job configuration), or
     * {@code fallback} when the key is absent. One that does not read is a problem (the hint ends with
     * {@code examples}); {@code fallback} stands in until the problems are thrown.
     */
    Duration duration(YamlNode node, String path, Duration fallback, String examples) {
        if (node == null) {
            return fallback;
        }
        String text = text(node, path);
        if (text == null) {
            return fallback;
        }
        try {
            Duration value = Durations.parse(text);
            if (!value.isZero()) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(node.location(), path, "'" + text + "' is not a positive duration",
                "write a number and a unit: ms, s, min, h or d, " + examples);
        return fallback;
    }

    static FieldSpec find(List<FieldSpec> fields, String path) {
        return FieldSpec.find(fields, path);
    }

    static String fieldHint(List<FieldSpec> schema, String path) {
        return fieldHint(schema, path, "schema");
    }

    /** The nearest declared field path, or where to declare {@code path} and what is declared. */
    static String fieldHint(List<FieldSpec> fields, String path, String where) {
        List<String> names = new ArrayList<>();
        collectPaths(fields, "", names);
        return dev.midstream.model.Spelling.closest(names, path).map(n -> "did you mean '" + n + "'?")
                .orElse("declare it under '" + where + "' or use one of " + names);
    }

    static void collectPaths(List<FieldSpec> fields, String prefix, List<String> out) {
        for (FieldSpec field : fields) {
            out.add(prefix + field.name());
            if (field.type().kind() == FieldType.Kind.OBJECT) {
                collectPaths(field.type().fields(), prefix + field.name() + ".", out);
            }
        }
    }
}
