package dev.midstream.record;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Texts a job knows when it is built (its data sets' field names and source topics), numbered so that
 * {@link FlowRecordWireSerializer} sends a number in place of each one: the names were most of the bytes across the
 * {@code keyBy}, each read back char by char and looked up again in {@link FieldNames}.
 */
public final class KnownTexts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] texts;
    private final int fingerprint;

    public KnownTexts(List<String> texts) {
        this.texts = new LinkedHashSet<>(texts).stream().map(FieldNames::canonical).toArray(String[]::new);
        this.fingerprint = Arrays.hashCode(this.texts);
    }

    /**
     * The code of {@code text}: 1 + its index if it is the known instance, else 0 (then it is sent as itself).
     * {@code hint} is the index to try first: a record's fields mostly come in the order of the schema.
     */
    int code(String text, int hint) {
        String[] known = texts;
        if (hint < known.length && known[hint] == text) {
            return hint + 1;
        }
        for (int i = 0; i < known.length; i++) {
            if (known[i] == text) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The text of a code {@link #code} gave, or null for a code no known text has. */
    String text(int code) {
        return code >= 1 && code <= texts.length ? texts[code - 1] : null;
    }

    /** The same for equal lists of texts, in the same order; different, almost surely, otherwise. */
    int fingerprint() {
        return fingerprint;
    }

    List<String> texts() {
        return List.of(texts);
    }

    // a task deserializes new String instances: back to the interned ones, which records find by identity
    private Object readResolve() {
        return new KnownTexts(Arrays.asList(texts));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KnownTexts that && Arrays.equals(texts, that.texts);
    }

    @Override
    public int hashCode() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return texts.length + " known texts";
    }
}
