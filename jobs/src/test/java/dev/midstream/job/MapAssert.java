package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Map equality that reports what differs (counts and a few examples), not two thousand-entry dumps. */
final class MapAssert {
    private MapAssert() {}

    static <K, V> void assertSameEntries(String what, Map<K, V> expected, Map<K, V> actual) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> different = new ArrayList<>();
        for (K key : new TreeSet<>(expected.keySet())) {
            if (!actual.containsKey(key)) {
                missing.add(key + "=" + expected.get(key));
            } else if (!Objects.equals(expected.get(key), actual.get(key))) {
                different.add(key + ": expected " + expected.get(key) + " but was " + actual.get(key));
            }
        }
        for (K key : new TreeSet<>(actual.keySet())) {
            if (!expected.containsKey(key)) {
                unexpected.add(key + "=" + actual.get(key));
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !different.isEmpty()) {
            fail(what + ": expected " + expected.size() + " entries, got " + actual.size() + "; "
                    + missing.size() + " missing " + head(missing) + ", "
                    + unexpected.size() + " unexpected " + head(unexpected) + ", "
                    + different.size() + " different " + head(different));
        }
    }

    private static List<String> head(List<String> list) {
        return list.subList(0, Math.min(5, list.size()));
    }
}
