package dev.midstream.reader;

import dev.midstream.model.EnrichSpec;
import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.Location;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.WindowSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a transform file (a job of the second layer: clean topics → wide table and window aggregates) into a
 * {@link LayerSpec}, checking before Flink starts what a pipeline file's reader checks: unknown keys, names,
 * types, durations, field references across facts, dimension, lookups and tables. Every problem of the file is
 * reported at once, each with {@code file:line:column}, the field and a hint.
 */
public final class TransformFileReader extends SpecReader {
    private static final Pattern JOB_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Set<FieldType.Kind> SINGLE_VALUES = Set.of(FieldType.Kind.STRING, FieldType.Kind.LONG,
            FieldType.Kind.DECIMAL, FieldType.Kind.BOOLEAN, FieldType.Kind.TIMESTAMP);

    private static final String TRANSFORM_EXAMPLES = "e.g. 30s, 10min, 1h";

    private TransformFileReader(String file) {
        super(file);
    }

    public static LayerSpec read(Path file) {
        return new TransformFileReader(file.toString()).read(YamlNode.load(file));
    }

    /** The keys the reader accepts in each mapping of a valid file, by location: the file format as read. */
    static java.util.Map<Location, java.util.Set<String>> acceptedKeys(Path file) {
        TransformFileReader reader = new TransformFileReader(file.toString());
        reader.read(YamlNode.load(file));
        return reader.problems.acceptedKeys();
    }

    public static LayerSpec parse(String fileName, String content) {
        return new TransformFileReader(fileName).read(YamlNode.parse(fileName, content));
    }

    private LayerSpec read(YamlNode root) {
        MappingReader top = MappingReader.of(root, "", problems);
        problems.throwIfAny();
        if (top.has("pipeline") && !top.has("transform")) {
            throw PipelineException.single(root.location(), "this is a pipeline file, not a transform file",
                    "run it with dev.midstream.job.PipelinesJob --pipeline " + file);
        }
        String name = text(top.required("transform", "name the job, e.g. 'transform: sales'"), "transform");
        if (name != null && !JOB_NAME.matcher(name).matches()) {
            problems.add(top.get("transform").location(), "transform", "'" + name + "' is not a valid name",
                    "use lower-case letters, digits, '_' and '-', starting with a letter; it prefixes every"
                            + " operator uid, so never rename a job that has state");
        }
        YamlNode factsNode = top.required("facts", "add 'facts: {topic: <clean topic>, event_time: <field>, fields: {...}}'");
        LayerSpec.Input facts = input(factsNode, "facts", List.of("event_time"));
        String eventTime = eventTime(factsNode, facts);
        YamlNode dimensionNode = top.get("dimension");
        LayerSpec.Input dimension = dimensionNode == null ? null : input(dimensionNode, "dimension", List.of("key", "version"));
        YamlNode watermarksNode = top.get("watermarks");
        Duration outOfOrderness = Duration.ofSeconds(30);
        Duration idleness = Duration.ofMinutes(1);
        boolean perEvent = false;
        if (watermarksNode != null) {
            MappingReader w = MappingReader.of(watermarksNode, "watermarks", problems);
            if (w != null) {
                outOfOrderness = duration(w.get("out_of_orderness"), "watermarks.out_of_orderness", outOfOrderness, TRANSFORM_EXAMPLES);
                idleness = duration(w.get("idleness"), "watermarks.idleness", idleness, TRANSFORM_EXAMPLES);
                perEvent = bool(w.get("per_event"), "watermarks.per_event", false);
                w.finish();
            }
        }

        List<FieldSpec> available = new ArrayList<>(facts == null ? List.of() : facts.fields());
        List<LookupSpec> lookups = lookups(top.get("lookups"), available);
        List<FieldSpec> beforeEnrich = List.copyOf(available);

        YamlNode enrichNode = top.get("enrich");
        EnrichSpec enrich = null;
        if (enrichNode != null && dimensionNode == null) {
            problems.add(enrichNode.location(), "enrich", "there is no dimension to join with",
                    "add 'dimension: {topic: <clean topic>, key: [...], fields: {...}}'");
        } else if (enrichNode == null && dimensionNode != null) {
            problems.add(dimensionNode.location(), "dimension", "is read but never joined",
                    "add 'enrich:' saying which dimension fields go into the facts, or remove 'dimension'");
        } else if (enrichNode != null && dimension != null) {
            enrich = enrich(enrichNode, dimensionNode, beforeEnrich, dimension, available);
        }

        YamlNode wideNode = top.get("wide_table");
        SinkSpec wideTable = wideNode == null ? null : sink(wideNode, "wide_table", available, eventTime,
                "set 'facts.event_time'", false);
        List<LayerSpec.Aggregate> aggregates = windows(top.get("windows"), beforeEnrich, eventTime);
        if (wideNode == null && aggregates.isEmpty() && top.get("windows") == null) {
            problems.add(root.location(), null, "the job writes nothing",
                    "add 'wide_table:' or 'windows:' (or both)");
        }
        String deadLetterTable = deadLetterTable(top.get("dead_letters"), name);
        top.finish();
        checkTablesDistinct(top, wideTable, aggregates, deadLetterTable);
        problems.throwIfAny();
        return new LayerSpec(name, file, facts, dimension, outOfOrderness, idleness, perEvent, lookups, enrich,
                wideTable, aggregates, deadLetterTable);
    }

    // --- inputs ---------------------------------------------------------------------------------------------

    private LayerSpec.Input input(YamlNode node, String path, List<String> extraKeys) {
        if (node == null) {
            return null;
        }
        MappingReader m = MappingReader.of(node, path, problems);
        if (m == null) {
            return null;
        }
        String topic = text(m.required("topic", "name the clean topic a cleanse pipeline writes (its sink.topic)"),
                path + ".topic");
        YamlNode fieldsNode = m.required("fields", "declare the fields the job reads, e.g. 'fields: {order_id: string}'");
        List<FieldSpec> fields = fieldsNode == null ? List.of() : fields(fieldsNode, path + ".fields");
        extraKeys.forEach(m::get);
        m.finish();
        return new LayerSpec.Input(topic, fields);
    }

    /** The facts' event time: the field the cleanse pipeline wrote as the clean record's Kafka timestamp. */
    private String eventTime(YamlNode factsNode, LayerSpec.Input facts) {
        if (factsNode == null || factsNode.kind() != YamlNode.Kind.MAPPING || facts == null) {
            return null;
        }
        YamlNode.Entry entry = factsNode.entries().get("event_time");
        if (entry == null || entry.value().kind() == YamlNode.Kind.NULL) {
            problems.add(factsNode.location(), "facts.event_time", "is missing",
                    "name the timestamp field windows and watermarks use, e.g. 'event_time: event_time'");
            return null;
        }
        String field = text(entry.value(), "facts.event_time");
        return field == null ? null : requireField(entry.value(), "facts.event_time", facts.fields(), field,
                Set.of(FieldType.Kind.TIMESTAMP), "the event time must be a timestamp");
    }

    // --- lookups --------------------------------------------------------------------------------------------

    private List<LookupSpec> lookups(YamlNode node, List<FieldSpec> available) {
        List<LookupSpec> lookups = new ArrayList<>();
        List<YamlNode> items = sequence(node, "lookups");
        for (int i = 0; i < items.size(); i++) {
            String path = "lookups[" + i + "]";
            MappingReader m = MappingReader.of(items.get(i), path, problems);
            if (m == null) {
                continue;
            }
            String id = stepId(m, "lookups");
            String table = identifier(m.required("table", "name the reference table, e.g. 'table: currency_rates'"),
                    path + ".table");
            String keyColumn = identifier(m.required("key_column", "name the table's key column"), path + ".key_column");
            YamlNode keyFieldNode = m.required("key_field", "name the record field holding the key");
            String keyField = text(keyFieldNode, path + ".key_field");
            if (keyField != null) {
                requireField(keyFieldNode, path + ".key_field", available, keyField, SINGLE_VALUES,
                        "a lookup key must be a single value");
            }
            Map<String, String> columns = new LinkedHashMap<>();
            List<FieldSpec> outputs = new ArrayList<>();
            YamlNode columnsNode = m.required("columns", "map record fields to table columns, e.g. 'columns: {eur_rate: rate}'");
            MappingReader c = columnsNode == null ? null : MappingReader.of(columnsNode, path + ".columns", problems);
            if (c != null) {
                for (YamlNode.Entry entry : columnsNode.entries().values()) {
                    c.get(entry.key());
                    String outPath = path + ".columns." + entry.key();
                    FieldSpec output = lookupColumn(entry, outPath, columns);
                    if (output != null) {
                        newField(entry.keyLocation(), outPath, available, output);
                        outputs.add(output);
                    }
                }
                if (columnsNode.entries().isEmpty()) {
                    problems.add(columnsNode.location(), path + ".columns", "is empty", "copy at least one column");
                }
            }
            int cacheSize = m.get("cache_size") == null ? 10_000 : positiveInt(m.get("cache_size"), path + ".cache_size");
            Duration ttl = duration(m.get("ttl"), path + ".ttl", Duration.ofMinutes(10), TRANSFORM_EXAMPLES);
            boolean reject = onMissing(m.get("on_missing"), path + ".on_missing", "keep", "dead_letter");
            m.finish();
            available.addAll(outputs);
            if (id != null && table != null && keyColumn != null && keyField != null) {
                lookups.add(new LookupSpec(id, table, keyColumn, keyField, columns, cacheSize, ttl, reject));
            }
        }
        return lookups;
    }

    /** {@code field: column} (text) or {@code field: {column: c, type: t}}. */
    private FieldSpec lookupColumn(YamlNode.Entry entry, String path, Map<String, String> columns) {
        if (!NAME.matcher(entry.key()).matches()) {
            problems.add(entry.keyLocation(), path, "'" + entry.key() + "' is not a valid field name",
                    "use lower-case letters, digits and '_', starting with a letter");
            return null;
        }
        YamlNode value = entry.value();
        String column;
        FieldType type = FieldType.of(FieldType.Kind.STRING);
        if (value.kind() == YamlNode.Kind.MAPPING) {
            MappingReader m = MappingReader.of(value, path, problems);
            column = identifier(m.required("column", "name the table column"), path + ".column");
            YamlNode typeNode = m.get("type");
            if (typeNode != null) {
                FieldSpec typed = field(entry.key(), typeNode, path + ".type");
                type = typed == null ? null : typed.type();
                if (type != null && !SINGLE_VALUES.contains(type.kind())) {
                    problems.add(typeNode.location(), path + ".type", "a column holds a single value",
                            "use string, long, decimal(p,s), boolean or timestamp");
                    type = null;
                }
            }
            m.finish();
        } else {
            column = identifier(value, path);
        }
        if (column == null || type == null) {
            return null;
        }
        columns.put(entry.key(), column);
        return new FieldSpec(entry.key(), type, false, null, null, entry.keyLocation());
    }

    // --- enrichment -----------------------------------------------------------------------------------------

    private EnrichSpec enrich(YamlNode node, YamlNode dimensionNode, List<FieldSpec> facts,
            LayerSpec.Input dimension, List<FieldSpec> available) {
        MappingReader m = MappingReader.of(node, "enrich", problems);
        if (m == null) {
            return null;
        }
        String id = stepId(m, "enrich");
        YamlNode factKeyNode = m.required("key", "list the fact fields that match the dimension's key, e.g. 'key: [customer_id]'");
        List<String> factKey = keyFields(factKeyNode, "enrich.key", facts);
        YamlNode.Entry dimKeyEntry = dimensionNode.entries().get("key");
        List<String> dimensionKey = List.of();
        if (dimKeyEntry == null) {
            problems.add(dimensionNode.location(), "dimension.key", "is missing",
                    "list the dimension's key fields, e.g. 'key: [customer_id]'");
        } else {
            dimensionKey = keyFields(dimKeyEntry.value(), "dimension.key", dimension.fields());
        }
        if (factKeyNode != null && !factKey.isEmpty() && !dimensionKey.isEmpty() && factKey.size() != dimensionKey.size()) {
            problems.add(factKeyNode.location(), "enrich.key", "names " + factKey.size() + " fields, the dimension key "
                    + dimensionKey.size(), "name one fact field per dimension key field, in the same order");
        }
        String version = null;
        YamlNode.Entry versionEntry = dimensionNode.entries().get("version");
        if (versionEntry != null) {
            version = text(versionEntry.value(), "dimension.version");
            if (version != null) {
                version = requireField(versionEntry.value(), "dimension.version", dimension.fields(), version,
                        Set.of(FieldType.Kind.TIMESTAMP, FieldType.Kind.LONG), "the version must be a timestamp or a long");
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        YamlNode fieldsNode = m.required("fields", "map fact fields to dimension fields, e.g. 'fields: {customer_tier: tier}'");
        MappingReader f = fieldsNode == null ? null : MappingReader.of(fieldsNode, "enrich.fields", problems);
        if (f != null) {
            for (YamlNode.Entry entry : fieldsNode.entries().values()) {
                f.get(entry.key());
                String path = "enrich.fields." + entry.key();
                String from = text(entry.value(), path);
                FieldSpec source = from == null ? null : find(dimension.fields(), from);
                if (from != null && source == null) {
                    problems.add(entry.value().location(), path, "'" + from + "' is not a field of the dimension",
                            fieldHint(dimension.fields(), from, "dimension.fields"));
                } else if (source != null && NAME.matcher(entry.key()).matches()) {
                    newField(entry.keyLocation(), path, available,
                            new FieldSpec(entry.key(), source.type(), false, null, null, entry.keyLocation()));
                    fields.put(entry.key(), from);
                } else if (source != null) {
                    problems.add(entry.keyLocation(), path, "'" + entry.key() + "' is not a valid field name",
                            "use lower-case letters, digits and '_', starting with a letter");
                }
            }
        }
        YamlNode waitNode = m.required("max_wait", "how long a fact waits for its dimension row, e.g. 'max_wait: 10min'");
        Duration maxWait = duration(waitNode, "enrich.max_wait", Duration.ofMinutes(10), TRANSFORM_EXAMPLES);
        boolean deadLetter = onMissing(m.get("on_missing"), "enrich.on_missing", "emit", "dead_letter");
        YamlNode flagNode = m.get("missing_flag");
        String flag = flagNode == null ? (id == null ? "dimension_missing" : id + "_missing")
                : text(flagNode, "enrich.missing_flag");
        if (flag != null && !NAME.matcher(flag).matches()) {
            problems.add(flagNode.location(), "enrich.missing_flag", "'" + flag + "' is not a valid field name",
                    "use lower-case letters, digits and '_', starting with a letter");
        } else if (flag != null) {
            newField(flagNode == null ? node.location() : flagNode.location(), "enrich.missing_flag", available,
                    new FieldSpec(flag, FieldType.of(FieldType.Kind.BOOLEAN), false, null, null, node.location()));
        }
        m.finish();
        if (id == null || factKey.isEmpty() || factKey.size() != dimensionKey.size() || flag == null) {
            return null;
        }
        return new EnrichSpec(id, factKey, dimensionKey, fields, version, maxWait,
                deadLetter ? EnrichSpec.OnMissing.DEAD_LETTER : EnrichSpec.OnMissing.EMIT, flag);
    }

    private List<String> keyFields(YamlNode node, String path, List<FieldSpec> fields) {
        List<String> key = node == null ? null : stringList(node, path);
        if (key == null) {
            return List.of();
        }
        if (key.isEmpty()) {
            problems.add(node.location(), path, "is empty", "name at least one field");
        }
        boolean valid = true;
        for (String field : key) {
            valid &= requireField(node, path, fields, field, SINGLE_VALUES, "a key field must be a single value") != null;
        }
        return valid ? key : List.of();
    }

    // --- windows --------------------------------------------------------------------------------------------

    private List<LayerSpec.Aggregate> windows(YamlNode node, List<FieldSpec> facts, String eventTime) {
        List<LayerSpec.Aggregate> aggregates = new ArrayList<>();
        List<YamlNode> items = sequence(node, "windows");
        for (int i = 0; i < items.size(); i++) {
            String path = "windows[" + i + "]";
            MappingReader m = MappingReader.of(items.get(i), path, problems);
            if (m == null) {
                continue;
            }
            String id = stepId(m, "windows");
            YamlNode groupNode = m.required("group_by", "list the fields to group by, e.g. 'group_by: [currency]'");
            List<String> groupBy = keyFields(groupNode, path + ".group_by", facts);
            YamlNode sizeNode = m.required("size", "the window's length, e.g. 'size: 1min'");
            Duration size = duration(sizeNode, path + ".size", null, TRANSFORM_EXAMPLES);
            YamlNode slideNode = m.get("slide");
            Duration slide = slideNode == null ? size : duration(slideNode, path + ".slide", null, TRANSFORM_EXAMPLES);
            Duration lateness = lateness(m.get("allowed_lateness"), path + ".allowed_lateness");
            String sum = aggregatedField(m.get("sum"), path + ".sum", facts,
                    Set.of(FieldType.Kind.LONG, FieldType.Kind.DECIMAL), "only numbers can be summed");
            String distinct = aggregatedField(m.get("distinct"), path + ".distinct", facts, SINGLE_VALUES,
                    "distinct values are counted of single values");
            YamlNode tableNode = m.get("table");
            String table = tableNode == null ? id : identifier(tableNode, path + ".table");
            m.finish();
            if (size != null && slide != null && (slide.compareTo(size) > 0 || size.toMillis() % slide.toMillis() != 0)) {
                problems.add((slideNode == null ? sizeNode : slideNode).location(), path + ".slide",
                        "a window of " + size + " cannot slide by " + slide,
                        "the slide must divide the size, e.g. size: 1h with slide: 5min");
                continue;
            }
            if (id == null || groupBy.isEmpty() || size == null || slide == null || lateness == null || table == null
                    || eventTime == null) {
                continue;
            }
            WindowSpec window = new WindowSpec(id, groupBy, eventTime, size, slide, lateness, sum, distinct);
            aggregates.add(new LayerSpec.Aggregate(window, windowTable(table, window, facts)));
        }
        if (node != null && node.kind() == YamlNode.Kind.SEQUENCE && items.isEmpty()) {
            problems.add(node.location(), "windows", "is empty", "add a window or remove 'windows'");
        }
        return aggregates;
    }

    /** The aggregate table: group columns, window start and end, {@code records}, {@code sum_<f>}, {@code distinct_<f>}. */
    private static SinkSpec windowTable(String table, WindowSpec window, List<FieldSpec> facts) {
        List<SinkSpec.Column> columns = new ArrayList<>();
        for (String field : window.groupBy()) {
            columns.add(new SinkSpec.Column(field, field, find(facts, field).type().sqlType()));
        }
        columns.add(new SinkSpec.Column("window_start", "window_start", "timestamptz"));
        columns.add(new SinkSpec.Column("window_end", "window_end", "timestamptz"));
        columns.add(new SinkSpec.Column("records", "records", "bigint"));
        if (window.sumField() != null) {
            FieldType type = find(facts, window.sumField()).type();
            columns.add(new SinkSpec.Column("sum_" + window.sumField(), "sum_" + window.sumField(),
                    "numeric(38," + (type.kind() == FieldType.Kind.DECIMAL ? type.scale() : 0) + ")"));
        }
        if (window.distinctField() != null) {
            columns.add(new SinkSpec.Column("distinct_" + window.distinctField(), "distinct_" + window.distinctField(),
                    "bigint"));
        }
        List<String> key = new ArrayList<>(window.groupBy());
        key.add("window_start");
        return new SinkSpec(table, key, columns, SinkSpec.Upsert.ALWAYS, null, null);
    }

    private String aggregatedField(YamlNode node, String path, List<FieldSpec> facts, Set<FieldType.Kind> kinds,
            String why) {
        String field = node == null ? null : text(node, path);
        return field == null ? null : requireField(node, path, facts, field, kinds, why);
    }

    private Duration lateness(YamlNode node, String path) {
        if (node == null) {
            return Duration.ZERO;
        }
        String text = text(node, path);
        if (text != null && text.strip().matches("0+\\s*(ms|s|m|min|h|d)?")) {
            return Duration.ZERO;
        }
        return duration(node, path, null, TRANSFORM_EXAMPLES);
    }

    // --- shared checks --------------------------------------------------------------------------------------

    private String deadLetterTable(YamlNode node, String name) {
        String fallback = name == null ? null : name.replace('-', '_') + "_dead_letters";
        if (node == null) {
            return fallback;
        }
        MappingReader m = MappingReader.of(node, "dead_letters", problems);
        if (m == null) {
            return fallback;
        }
        YamlNode tableNode = m.required("table", "name the table rejected records go to");
        String table = tableNode == null ? fallback : identifier(tableNode, "dead_letters.table");
        m.finish();
        return table;
    }

    private void checkTablesDistinct(MappingReader top, SinkSpec wideTable, List<LayerSpec.Aggregate> aggregates,
            String deadLetterTable) {
        Set<String> tables = new HashSet<>();
        List<String> all = new ArrayList<>();
        if (wideTable != null) {
            all.add(wideTable.table());
        }
        aggregates.forEach(a -> all.add(a.table().table()));
        all.add(deadLetterTable);
        for (String table : all) {
            if (table != null && !tables.add(table)) {
                problems.add(top.location(), null, "table '" + table + "' is written twice",
                        "give the wide table, every window and the dead letters their own table");
            }
        }
    }

    /** True for {@code rejecting}, false for {@code keeping} (the default). */
    private boolean onMissing(YamlNode node, String path, String keeping, String rejecting) {
        String text = node == null ? keeping : text(node, path);
        if (text != null && !text.equals(keeping) && !text.equals(rejecting)) {
            problems.add(node.location(), path, "unknown choice '" + text + "'", "use '" + keeping + "' or '" + rejecting + "'");
        }
        return rejecting.equals(text);
    }

    /** The field if it is in {@code fields} with one of {@code kinds}; otherwise a problem and null. */
    private String requireField(YamlNode node, String path, List<FieldSpec> fields, String field,
            Set<FieldType.Kind> kinds, String why) {
        FieldSpec spec = find(fields, field);
        if (spec == null) {
            problems.add(node.location(), path, "'" + field + "' is not a declared field", fieldHint(fields, field, "fields"));
            return null;
        }
        if (!kinds.contains(spec.type().kind())) {
            problems.add(node.location(), path, "'" + field + "' is " + spec.type(), why);
            return null;
        }
        return field;
    }

    private void newField(Location at, String path, List<FieldSpec> available, FieldSpec field) {
        if (find(available, field.name()) != null) {
            problems.add(at, path, "'" + field.name() + "' is already a field",
                    "choose another name; a lookup or enrichment must not overwrite a field");
            return;
        }
        available.add(field);
    }
}
