package dev.midstream.model;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Stream;

/**
 * One data set's pipeline, as declared in its pipeline file and checked by the pipeline reader:
 * source → schema validation and rules → normalize → dedup → steps ({@code transform:}) → PII → sink, with every
 * rejected record going to its dead letters. Operator uids derive from {@link #name} and step ids only.
 */
public record PipelineSpec(String name, String file, SourceSpec source, List<FieldSpec> schema, List<String> key,
        List<RuleSpec> rules, List<NormalizeSpec> normalize, DedupSpec dedup, List<StepSpec> steps,
        List<PiiSpec> pii, SinkSpec sink, DeadLetterSpec deadLetters, QualitySpec quality) implements Serializable {

    /** The names of the personal-data fields, as dead-letter payload redaction finds them (the last path part). */
    public List<String> piiFieldNames() {
        return pii.stream().map(f -> f.field().substring(f.field().lastIndexOf('.') + 1)).toList();
    }

    /** The texts every record of this data set is likely to carry: its top-level field names and its topics. */
    public List<String> declaredTexts() {
        return Stream.concat(schema.stream().map(FieldSpec::name), source.topics().stream()).toList();
    }

    /** The dedup version, when it is a timestamp: the record's event time (watermarks downstream, latency). */
    public String eventTimeField() {
        if (dedup == null || dedup.version() == null) {
            return null;
        }
        FieldSpec field = FieldSpec.find(schema, dedup.version());
        return field != null && field.type().kind() == FieldType.Kind.TIMESTAMP ? dedup.version() : null;
    }
}
