package dev.midstream.upgrade;

import dev.midstream.model.EnrichSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.WindowSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a change from one version of a transform file to the next does to the state in a savepoint: the sources'
 * offsets, the enrichment's dimension rows and waiting facts, and each window's accumulators. Lookups, the wide
 * table's columns and the dead-letter table can change freely.
 */
public final class LayerStateCompatibility {
    private LayerStateCompatibility() {}

    /** Every state that restoring a savepoint of {@code before} into {@code after} would lose or misread. */
    public static List<String> losses(LayerSpec before, LayerSpec after) {
        List<String> losses = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            losses.add("transform renamed from '" + before.name() + "' to '" + after.name() + "': every operator uid"
                    + " changes, so ALL state (offsets, enrichment, windows) is left behind; keep the old name");
            return losses;
        }
        String p = after.name();
        if (!before.facts().topic().equals(after.facts().topic())) {
            losses.add("facts.topic changed from '" + before.facts().topic() + "' to '" + after.facts().topic() + "': '"
                    + p + "/facts-source' restores the old topic's partitions and offsets; deploy without its state");
        }
        enrichment(before, after, p, losses);
        Map<String, WindowSpec> oldWindows = windows(before);
        Map<String, WindowSpec> newWindows = windows(after);
        for (WindowSpec old : oldWindows.values()) {
            WindowSpec now = newWindows.get(old.id());
            String uid = "'" + p + "/window/" + old.id() + "'";
            if (now == null) {
                losses.add("window '" + old.id() + "' removed: the open windows in " + uid + " are dropped (restore"
                        + " needs --allowNonRestoredState)");
            } else if (!old.size().equals(now.size()) || !old.slide().equals(now.slide())) {
                losses.add("window '" + old.id() + "' changed from " + old.size() + " every " + old.slide() + " to "
                        + now.size() + " every " + now.slide() + ": " + uid + " holds windows of the old size; give"
                        + " the new one another id");
            } else if (!old.groupBy().equals(now.groupBy())) {
                losses.add("window '" + old.id() + "' group_by changed from " + old.groupBy() + " to " + now.groupBy()
                        + ": " + uid + " is keyed by the old groups; give the new one another id");
            } else if (!Objects.equals(old.sumField(), now.sumField())
                    || !Objects.equals(old.distinctField(), now.distinctField())) {
                losses.add("window '" + old.id() + "' aggregates other fields: the open windows in " + uid
                        + " mix old and new values; give the new one another id");
            }
        }
        return losses;
    }

    private static void enrichment(LayerSpec before, LayerSpec after, String p, List<String> losses) {
        EnrichSpec old = before.enrich();
        EnrichSpec now = after.enrich();
        if (old == null) {
            return;
        }
        String uid = "'" + p + "/enrich/" + old.id() + "'";
        if (now == null || !now.id().equals(old.id())) {
            losses.add("enrichment '" + old.id() + "' " + (now == null ? "removed" : "renamed to '" + now.id() + "'")
                    + ": the dimension rows and waiting facts in " + uid + " are dropped; keep the id");
            return;
        }
        if (!old.factKey().equals(now.factKey()) || !old.dimensionKey().equals(now.dimensionKey())) {
            losses.add("enrichment '" + old.id() + "' key changed: " + uid + " is keyed by the old key, so stored"
                    + " dimension rows no longer meet their facts; give it another id");
        }
        if (!before.dimension().topic().equals(after.dimension().topic())) {
            losses.add("dimension.topic changed from '" + before.dimension().topic() + "' to '"
                    + after.dimension().topic() + "': '" + p + "/dimension-source' restores the old topic's offsets");
        }
    }

    private static Map<String, WindowSpec> windows(LayerSpec spec) {
        return spec.aggregates().stream().map(LayerSpec.Aggregate::window)
                .collect(Collectors.toMap(WindowSpec::id, Function.identity()));
    }
}
