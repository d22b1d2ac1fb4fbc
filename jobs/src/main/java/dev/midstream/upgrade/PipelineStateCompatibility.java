package dev.midstream.upgrade;

import dev.midstream.model.DedupSpec;
import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.PipelineSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a change from one version of a pipeline file to the next does to the state in a savepoint. Stateless
 * steps (rules, normalizers, transforms, masks, the sink) can change freely; the dedup state and the Kafka
 * source's offsets cannot always follow.
 */
public final class PipelineStateCompatibility {
    private PipelineStateCompatibility() {}

    /** Every state that restoring a savepoint of {@code before} into {@code after} would lose; empty if none. */
    public static List<String> losses(PipelineSpec before, PipelineSpec after) {
        List<String> losses = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            losses.add("pipeline renamed from '" + before.name() + "' to '" + after.name() + "': every operator uid"
                    + " changes, so ALL state (dedup, source offsets) is left behind; keep the old name");
            return losses;
        }
        String dedup = "'" + after.name() + "/dedup'";
        DedupSpec old = before.dedup();
        DedupSpec now = after.dedup();
        if (old != null && now == null) {
            losses.add("dedup removed: the state of " + dedup + " is dropped (restore needs --allowNonRestoredState)");
        } else if (old != null) {
            if (!old.key().equals(now.key())) {
                losses.add("dedup key changed from " + old.key() + " to " + now.key() + ": the state of " + dedup
                        + " is keyed by the old key and no longer matches; records seen before are not recognised"
                        + " as duplicates; deploy without the savepoint's dedup state or keep the key");
            }
            if (!Objects.equals(old.version(), now.version())) {
                losses.add("dedup version changed from " + describe(old.version()) + " to " + describe(now.version())
                        + ": versions stored in " + dedup + " are compared with values of another field, so newer"
                        + " records may be dropped as stale or old ones pass");
            } else if (old.version() != null) {
                FieldType oldType = FieldSpec.find(before.schema(), old.version()).type();
                FieldType newType = FieldSpec.find(after.schema(), now.version()).type();
                if (!oldType.equals(newType)) {
                    losses.add("dedup version '" + old.version() + "' changed type from " + oldType + " to " + newType
                            + ": stored versions in " + dedup + " are in the old unit");
                }
            }
            for (String field : now.key()) {
                FieldSpec oldField = FieldSpec.find(before.schema(), field);
                FieldSpec newField = FieldSpec.find(after.schema(), field);
                if (oldField != null && newField != null && !oldField.type().equals(newField.type())) {
                    losses.add("key field '" + field + "' changed type from " + oldField.type() + " to "
                            + newField.type() + ": keys in " + dedup + " may be written differently");
                }
            }
        }
        if (!before.source().topics().equals(after.source().topics())) {
            losses.add("source topics changed from " + before.source().topics() + " to " + after.source().topics()
                    + ": offsets of removed topics are dropped, added topics start from the configured starting"
                    + " offsets");
        }
        return losses;
    }

    private static String describe(String field) {
        return field == null ? "none" : "'" + field + "'";
    }
}
