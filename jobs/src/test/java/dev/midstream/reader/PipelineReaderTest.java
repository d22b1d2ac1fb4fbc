package dev.midstream.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.ConfigException;
import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.PipelineSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

public class PipelineReaderTest {
    public static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", "0123456789abcdef0123456789abcdef",
            "SHORT_SALT", "short");
    public static final FunctionCatalog FUNCTIONS = FunctionCatalog.load();

    /** A small valid pipeline; each error case below changes one thing in it. */
    static final String VALID = """
            pipeline: shop
            source:
              topics: [ods.shop]
            schema:
              id: {type: string, required: true, max_length: 10}
              amount: {type: 'decimal(10,2)', required: true}
              seen_at: {type: timestamp, required: true}
              note: {type: string, default: none}
              where:
                type: object
                fields:
                  city: {type: string}
            key: [id]
            rules:
              - id: amount_range
                field: amount
                range: {min: 0, max: 100}
            dedup:
              version: seen_at
              ttl: 7d
            transform:
              - id: tag
                function: derive
                params: {field: tag, template: "{id}-x"}
            pii:
              - field: note
                hash: {salt: "${env:MIDSTREAM_PII_SALT}"}
            sink:
              table: shop
              primary_key: [id]
              upsert: newer
              columns:
                id: id
                amount: amount
                seen_at: seen_at
                tag: {field: tag, type: text}
            """;

    static PipelineSpec parse(String yaml) {
        return PipelineReader.parse("pipelines/shop.yaml", yaml, ENV::get, FUNCTIONS);
    }

    static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void readsEverySectionOfAValidFile() {
        PipelineSpec spec = parse(VALID);
        assertEquals("shop", spec.name());
        assertEquals(List.of("ods.shop"), spec.source().topics());
        assertEquals(FieldType.decimal(10, 2), spec.schema().get(1).type());
        assertEquals("none", spec.schema().get(3).defaultValue());
        assertEquals(FieldType.Kind.OBJECT, FieldSpec.find(spec.schema(), "where").type().kind());
        assertEquals(FieldType.Kind.STRING, FieldSpec.find(spec.schema(), "where.city").type().kind());
        assertEquals(new BigDecimal("100"), spec.rules().get(0).max());
        assertEquals(Duration.ofDays(7), spec.dedup().ttl());
        assertEquals(List.of("id"), spec.dedup().key());
        assertEquals("derive", spec.steps().get(0).function());
        assertEquals(32, spec.pii().get(0).salt().value().length);
        assertEquals("seen_at", spec.sink().versionColumn());
        assertEquals("numeric(10,2)", spec.sink().columns().get(1).sqlType());
        assertEquals("shop_dead_letters", spec.deadLetters().table());
    }

    @Test
    void theShippedPipelineFilesAreValid() {
        PipelineSpec customers = PipelineReader.read(Path.of("../pipelines/customers.yaml"), ENV::get, FUNCTIONS);
        assertEquals("customers", customers.name());
        assertEquals(3, customers.steps().size());
    }

    @Test
    void theExampleFromTheIssueReadsAsWritten() {
        List<String> problems = problems(VALID.replace("range: {min: 0, max: 100}", "range: {min: ten, max: 100}"));
        assertEquals(List.of("pipelines/shop.yaml:17:18: rule 'amount_range': 'min' must be a number, got 'ten';"
                + " write digits, e.g. 'min: 10' (no quotes)"), problems);
    }

    @Test
    void aFileThatCannotBeReadIsNamed() {
        List<String> problems = assertThrows(ConfigException.class,
                () -> PipelineReader.read(Path.of("no/such/pipeline.yaml"), ENV::get, FUNCTIONS)).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("no/such/pipeline.yaml:1:1: cannot read the file"), problems.get(0));
    }

    @Test
    void aJobNeedsAtLeastOnePipelineAndDistinctNames(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertEquals(List.of("no pipeline or transform file given; pass --pipeline <file> once per data set (or"
                + " --transform <file> once per transform)"), assertThrows(ConfigException.class,
                        () -> JobFiles.read(List.of(), List.of(), ENV::get)).problems());
        Path a = java.nio.file.Files.writeString(dir.resolve("a.yaml"), VALID);
        Path b = java.nio.file.Files.writeString(dir.resolve("b.yaml"), VALID);
        List<String> problems = assertThrows(ConfigException.class,
                () -> JobFiles.read(List.of(a, b), List.of(), ENV::get)).problems();
        assertEquals(List.of(b + ": pipeline 'shop' is given twice; every pipeline of a job needs its own name (it"
                + " prefixes the operator uids)"), problems);
    }

    @Test
    void reportsEveryProblemOfAFileAtOnce() {
        List<String> problems = problems(VALID.replace("ttl: 7d", "ttl: soon").replace("table: shop", "table: Shop"));
        assertEquals(2, problems.size(), problems.toString());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // unknown keys, with the nearest known key
                Arguments.of("misspelt section", VALID.replace("source:", "sourse:"), "2:1",
                        "sourse: unknown key; did you mean 'source'?"),
                Arguments.of("unknown top-level key", VALID + "extra: 1\n", "37:1", "extra: unknown key; expected one of"),
                Arguments.of("misspelt key", VALID.replace("max_length: 10", "maxlength: 10"), "5:38",
                        "schema.id.maxlength: unknown key; did you mean 'max_length'?"),
                Arguments.of("not yaml", "pipeline: [shop\n", "2:1", "not valid YAML"),
                Arguments.of("empty file", "", "1:1", "the file is empty"),
                Arguments.of("duplicate key", VALID + "pipeline: again\n", "37:1", "'pipeline' appears twice"),
                Arguments.of("bad pipeline name", VALID.replace("pipeline: shop", "pipeline: Shop!"), "1:11",
                        "'Shop!' is not a valid pipeline name"),
                Arguments.of("no source", VALID.replace("source:\n  topics: [ods.shop]\n", ""), "1:1",
                        "source: is missing"),
                Arguments.of("no topics", VALID.replace("topics: [ods.shop]", "topics: []"), "3:11",
                        "source.topics: is empty"),
                Arguments.of("bad format", VALID.replace("topics: [ods.shop]", "topics: [ods.shop]\n  format: avro"),
                        "4:11", "unknown format 'avro'; use one of json, debezium-json, canal-json, maxwell-json"),
                Arguments.of("unknown type", VALID.replace("type: 'decimal(10,2)'", "type: money"), "6:18",
                        "schema.amount.type: unknown type 'money'"),
                Arguments.of("unquoted decimal in a flow mapping", VALID.replace("'decimal(10,2)'", "decimal(10,2)"),
                        "6:18", "quote it"),
                Arguments.of("bad decimal", VALID.replace("decimal(10,2)", "decimal(2,5)"), "6:18",
                        "'decimal(2,5)' is not a valid decimal"),
                Arguments.of("object without fields", VALID.replace("    fields:\n      city: {type: string}\n", ""),
                        "10:5", "schema.where.fields: is missing"),
                Arguments.of("bad field name", VALID.replace("  note:", "  Note:"), "8:3",
                        "'Note' is not a valid field name"),
                Arguments.of("default of wrong type", VALID.replace("amount: {type: 'decimal(10,2)', required: true}",
                        "amount: {type: 'decimal(10,2)', default: lots}"), "6:44", "default 'lots' is not a decimal(10,2)"),
                Arguments.of("required with default", VALID.replace("{type: string, required: true, max_length: 10}",
                        "{type: string, required: true, max_length: 10, default: x}"), "5:63",
                        "a required field cannot have a default"),
                Arguments.of("max_length on a number", VALID.replace("{type: 'decimal(10,2)', required: true}",
                        "{type: 'decimal(10,2)', required: true, max_length: 3}"), "6:63", "only applies to strings"),
                Arguments.of("key not in schema", VALID.replace("key: [id]", "key: [idd]"), "13:7",
                        "key: 'idd' is not a field of the schema; did you mean 'id'?"),
                Arguments.of("optional key", VALID.replace("key: [id]", "key: [note]"), "13:7", "'note' is optional"),
                Arguments.of("rule without id", VALID.replace("  - id: amount_range\n    field", "  - field"), "15:5",
                        "rules[].id: is missing"),
                Arguments.of("duplicate step id", VALID.replace("- id: tag", "- id: amount_range"), "22:9",
                        "'amount_range' is used twice"),
                Arguments.of("rule on unknown field", VALID.replace("field: amount", "field: amout"), "16:12",
                        "'field' names 'amout', which is not in the schema; did you mean 'amount'?"),
                Arguments.of("rule with two checks", VALID.replace("range: {min: 0, max: 100}",
                        "range: {min: 0}\n    not_null: true"), "15:5", "has more than one check"),
                Arguments.of("rule with no check", VALID.replace("    range: {min: 0, max: 100}\n", ""), "15:5",
                        "has no check"),
                Arguments.of("min above max", VALID.replace("{min: 0, max: 100}", "{min: 5, max: 1}"), "17:12",
                        "'min' 5 is greater than 'max' 1"),
                Arguments.of("range on a string", VALID.replace("field: amount", "field: id"), "17:12",
                        "'range' needs a numeric field"),
                Arguments.of("bad regex", VALID.replace("range: {min: 0, max: 100}", "regex: '(['")
                        .replace("field: amount", "field: id"), "17:12", "'regex' does not compile"),
                Arguments.of("regex on a number", VALID.replace("range: {min: 0, max: 100}", "regex: '[0-9]+'"),
                        "17:12", "'regex' needs a string field"),
                Arguments.of("empty enum", VALID.replace("range: {min: 0, max: 100}", "enum: []")
                        .replace("field: amount", "field: id"), "17:11", "'enum' is empty"),
                Arguments.of("ignore_case outside enum", VALID.replace("range: {min: 0, max: 100}",
                        "range: {min: 0}\n    ignore_case: true"), "18:18", "'ignore_case' only applies to 'enum'"),
                Arguments.of("bad length", VALID.replace("range: {min: 0, max: 100}", "length: {max: 0}")
                        .replace("field: amount", "field: id"), "17:19", "must be greater than 0"),
                Arguments.of("bad expression", VALID.replace("    field: amount\n    range: {min: 0, max: 100}",
                        "    expression: \"amount > > 1\""), "16:27", "unexpected '>'"),
                Arguments.of("expression on unknown field", VALID.replace("    field: amount\n    range: {min: 0, max: 100}",
                        "    expression: \"amont > 1\""), "16:17", "the expression reads 'amont'"),
                Arguments.of("normalize a number", VALID.replace("dedup:", "normalize:\n  - {field: amount, ops: [trim]}\ndedup:"),
                        "19:13", "only string fields can be normalized"),
                Arguments.of("unknown normalize op", VALID.replace("dedup:", "normalize:\n  - {field: id, ops: [shout]}\ndedup:"),
                        "19:23", "unknown operation 'shout'"),
                Arguments.of("bad ttl", VALID.replace("ttl: 7d", "ttl: soon"), "20:8", "'soon' is not a positive duration"),
                Arguments.of("version not a timestamp", VALID.replace("version: seen_at", "version: id"), "19:12",
                        "'id' is string; the version must be a timestamp or a long"),
                Arguments.of("unknown function", VALID.replace("function: derive", "function: derivee"), "23:15",
                        "unknown function 'derivee'; did you mean 'derive'?"),
                Arguments.of("bad function parameter", VALID.replace("template: \"{id}-x\"", "tempate: \"{id}-x\""), "24:26",
                        "function 'derive': unknown parameter 'tempate'"),
                Arguments.of("function and map", VALID.replace("function: derive", "function: derive\n    map: {a: id}"),
                        "22:5", "has more than one of 'function', 'remote' and 'map'; give exactly one"),
                Arguments.of("unknown_fields mode", VALID.replace("  topics: [ods.shop]\n", "  topics: [ods.shop]\n  unknown_fields: drop\n"),
                        "4:19", "source.unknown_fields: unknown mode 'drop'; use ignore (the default), count"),
                Arguments.of("remote over plain http", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}", "    remote: {function: tagger, url: \"http://fn.example.com\"}"),
                        "23:37", "plain http to fn.example.com would send records unencrypted"),
                Arguments.of("remote token written inline", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}", "    remote: {function: tagger, url: \"https://fn.example.com\","
                                + " headers: {Authorization: \"Bearer abc123\"}}"),
                        "23:88", "secrets are never written into a pipeline file"),
                Arguments.of("remote sends PII", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}", "    remote: {function: tagger, url: \"https://fn.example.com\","
                                + " fields: [id, note]}"),
                        "23:71", "sends the PII fields [note] unmasked"),
                Arguments.of("remote batch size", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}", "    remote: {function: tagger, url: \"https://fn.example.com\","
                                + " batch: {max_bytes: lots}}"),
                        "23:82", "'lots' is not a size"),
                Arguments.of("remote unknown key", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}", "    remote: {function: tagger, url: \"https://fn.example.com\","
                                + " retries: 3}"),
                        "23:63", "unknown key; did you mean 'retry'?"),
                Arguments.of("remote params outside", VALID.replace("    function: derive\n", "    remote: {function: tagger, url: \"https://fn.example.com\"}\n"),
                        "24:13", "a remote step takes its options under 'remote'"),
                Arguments.of("bad map expression", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}",
                        "    map: {tag: \"concat(id\"}"), "23:26", "step 'tag'.map.tag: expected ')'"),
                Arguments.of("inline salt", VALID.replace("${env:MIDSTREAM_PII_SALT}", "my-secret-salt-value-123"), "27:18",
                        "secrets are never written into a pipeline file"),
                Arguments.of("unset salt variable", VALID.replace("MIDSTREAM_PII_SALT}", "NOPE}"), "27:18",
                        "environment variable NOPE is not set"),
                Arguments.of("missing salt file", VALID.replace("${env:MIDSTREAM_PII_SALT}", "${file:/nonexistent/salt}"),
                        "27:18", "cannot read /nonexistent/salt"),
                Arguments.of("two pii actions", VALID.replace("hash: {salt: \"${env:MIDSTREAM_PII_SALT}\"}",
                        "drop: true\n    mask: {keep_last: 2}"), "26:5", "has more than one of"),
                Arguments.of("bad table name", VALID.replace("table: shop", "table: \"shop; drop table x\""), "29:10",
                        "is not a plain SQL name"),
                Arguments.of("bad column name", VALID.replace("    id: id\n    amount", "    \"Id\": id\n    amount"), "33:5",
                        "is not a plain SQL name"),
                Arguments.of("primary key not a column", VALID.replace("primary_key: [id]", "primary_key: [key]"), "30:16",
                        "'key' is not one of the columns"),
                Arguments.of("derived column without type", VALID.replace("tag: {field: tag, type: text}", "tag: tag"),
                        "36:10", "'tag' is not in the schema, so its column type is unknown"),
                Arguments.of("unsupported column type", VALID.replace("type: text}", "type: blob}"), "36:29",
                        "unsupported column type 'blob'"),
                Arguments.of("newer without version", VALID.replace("  version: seen_at\n", ""), "30:11",
                        "'newer' needs a version"),
                Arguments.of("unknown upsert mode", VALID.replace("upsert: newer", "upsert: sometimes"), "31:11",
                        "unknown mode 'sometimes'"),
                Arguments.of("dead letters nowhere", VALID + "dead_letters: {}\n", "37:15",
                        "names neither a table nor a topic"),
                Arguments.of("array without items", VALID.replace("  note: {type: string, default: none}",
                        "  note: {type: array}"), "8:9", "schema.note.items: is missing"),
                Arguments.of("short-form object", VALID.replace("  note: {type: string, default: none}",
                        "  note: object"), "8:9", "an object needs its fields"),
                Arguments.of("short-form array", VALID.replace("  note: {type: string, default: none}",
                        "  note: array"), "8:9", "an array needs its item type"),
                Arguments.of("default for an object", VALID.replace("    type: object\n", "    type: object\n    default: x\n"),
                        "11:14", "objects and arrays cannot have defaults"),
                Arguments.of("empty schema", VALID.replace("schema:\n", "schema: {}\nold_schema:\n"), "4:9",
                        "declares no fields"),
                Arguments.of("a list where a value belongs", VALID.replace("pipeline: shop", "pipeline: [shop]"), "1:11",
                        "expected a single value, got a list"),
                Arguments.of("required not a boolean", VALID.replace("required: true, max_length: 10",
                        "required: yes, max_length: 10"), "5:32", "must be true or false, got 'yes'"),
                Arguments.of("max_length not a number", VALID.replace("max_length: 10", "max_length: ten"), "5:50",
                        "must be a whole number, got 'ten'"),
                Arguments.of("key field not a value", VALID.replace("key: [id]", "key: [where]").replace(
                        "    type: object\n", "    type: object\n    required: true\n"), "14:7", "a key field must be a single value"),
                Arguments.of("range without bounds", VALID.replace("range: {min: 0, max: 100}", "range: {}"), "17:12",
                        "'range' needs 'min', 'max' or both"),
                Arguments.of("length without bounds", VALID.replace("range: {min: 0, max: 100}", "length: {}")
                        .replace("field: amount", "field: id"), "17:13", "'length' needs 'min', 'max' or both"),
                Arguments.of("quoted number in a range", VALID.replace("{min: 0, max: 100}", "{min: '0', max: 100}"),
                        "17:18", "'min' must be a number, got '0'"),
                Arguments.of("not_null false", VALID.replace("range: {min: 0, max: 100}", "not_null: false"), "17:15",
                        "'not_null: false' checks nothing"),
                Arguments.of("rule without field", VALID.replace("    field: amount\n    range", "    range"), "15:5",
                        "'field' is missing"),
                Arguments.of("optional version", VALID.replace("seen_at: {type: timestamp, required: true}",
                        "seen_at: {type: timestamp}"), "19:12", "'seen_at' is optional"),
                Arguments.of("zero ttl", VALID.replace("ttl: 7d", "ttl: 0d"), "20:8", "'0d' is not a positive duration"),
                Arguments.of("params not a mapping", VALID.replace("params: {field: tag, template: \"{id}-x\"}",
                        "params: [tag]"), "24:13", "expected a mapping, got a list"),
                Arguments.of("params on a map step", VALID.replace("    function: derive\n", "    map: {tag: id}\n"),
                        "24:13", "'params' only applies to 'function' steps"),
                Arguments.of("keep_unmapped on a function", VALID.replace("    function: derive\n",
                        "    function: derive\n    keep_unmapped: true\n"), "24:20", "'keep_unmapped' only applies to 'map' steps"),
                Arguments.of("empty map", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}",
                        "    map: {}"), "23:10", "'map' is empty"),
                Arguments.of("bad map field name", VALID.replace("    function: derive\n    params: {field: tag, template: \"{id}-x\"}",
                        "    map: {Tag: id}"), "23:11", "'Tag' is not a valid field name"),
                Arguments.of("a function's parameter with the wrong type", VALID.replace("template: \"{id}-x\"",
                        "template: \"{id}-x\", missing: [x]"), "24:55", "'missing' must be a string, got a list"),
                Arguments.of("drop false", VALID.replace("hash: {salt: \"${env:MIDSTREAM_PII_SALT}\"}", "drop: false"),
                        "27:11", "'drop: false' does nothing"),
                Arguments.of("no pii action", VALID.replace("    hash: {salt: \"${env:MIDSTREAM_PII_SALT}\"}\n", ""),
                        "26:5", "says nothing to do"),
                Arguments.of("short salt", VALID.replace("${env:MIDSTREAM_PII_SALT}", "${env:SHORT_SALT}"), "27:18",
                        "is only 5 bytes"),
                Arguments.of("unknown source field", VALID.replace("tag: {field: tag, type: text}", "tag: $source_time"),
                        "36:10", "unknown source field '$source_time'"),
                Arguments.of("empty primary key", VALID.replace("primary_key: [id]", "primary_key: []"), "30:16",
                        "sink.primary_key: is empty"),
                Arguments.of("bad dead-letter table", VALID + "dead_letters: {table: \"Dead Letters\"}\n", "37:23",
                        "is not a plain SQL name"),
                Arguments.of("a key that is not a name", VALID + "? [a, b]\n: 1\n", "37:3", "a key must be a plain name"),
                Arguments.of("list where a mapping belongs", VALID.replace("source:\n  topics: [ods.shop]", "source: [ods.shop]"),
                        "2:9", "source: expected a mapping, got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void namesFileLineColumnFieldAndHint(String name, String yaml, String position, String expected) {
        List<String> problems = problems(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("pipelines/shop.yaml:" + position + ":")
                        && p.contains(expected)),
                () -> "expected a problem at " + position + " containing \"" + expected + "\", got " + problems);
    }
}
