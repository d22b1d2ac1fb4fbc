package dev.midstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * The model holds each field name as the JVM's interned text, also in the copy a task deserializes from the job
 * graph, so that records read back after the {@code keyBy} (whose names are interned too) find them by identity.
 * {@code new String} stands for a name parsed from a pipeline file; a literal is the interned instance.
 */
class InternedNamesTest {
    @Test
    void fieldNamesAreInternedAsBuiltAndAsDeserialized() throws Exception {
        FieldSpec field = new FieldSpec(new String("amount"), FieldType.of(FieldType.Kind.STRING),
                false, null, null, null);
        NormalizeSpec normalize = new NormalizeSpec(new String("email"), List.of(NormalizeSpec.Op.TRIM));
        PiiSpec pii = new PiiSpec(new String("phone"), PiiSpec.Kind.MASK, null, 4);
        RuleSpec rule = new RuleSpec("r1", RuleSpec.Kind.NOT_NULL, new String("status"), null, null, null, null,
                false, null, null, null, null, null);
        DedupSpec dedup = new DedupSpec(List.of(new String("id"), new String("region")), new String("updated_at"),
                Duration.ofHours(1), null);
        SinkSpec.Column column = new SinkSpec.Column("amount_col", new String("amount"), "numeric");

        for (int copy = 0; copy < 2; copy++) {
            assertSame("amount", field.name());
            assertSame("email", normalize.field());
            assertSame("phone", pii.field());
            assertSame("status", rule.field());
            assertSame("id", dedup.key().get(0));
            assertSame("region", dedup.key().get(1));
            assertSame("updated_at", dedup.version());
            assertSame("amount", column.field());

            field = InstantiationUtil.clone(field);
            normalize = InstantiationUtil.clone(normalize);
            pii = InstantiationUtil.clone(pii);
            rule = InstantiationUtil.clone(rule);
            dedup = InstantiationUtil.clone(dedup);
            column = InstantiationUtil.clone(column);
        }
        assertEquals(Duration.ofHours(1), dedup.ttl(), "the rest of the spec is unchanged");
    }

    @Test
    void absentNamesStayAbsent() {
        assertNull(new RuleSpec("r1", RuleSpec.Kind.EXPRESSION, null, null, null, null, null, false, null,
                null, null, null, null).field());
        assertNull(new DedupSpec(List.of("id"), null, Duration.ofHours(1), null).version());
        assertNull(new SinkSpec.Column("ingested_at", null, "timestamptz").field());
    }
}
