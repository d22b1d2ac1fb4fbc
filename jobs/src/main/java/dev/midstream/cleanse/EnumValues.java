package dev.midstream.cleanse;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An enum rule's values: whether a value, stripped (and lower-cased with {@code ignore_case}), is one of them. A few
 * ASCII values are compared in place, without the stripped and lower-cased copies or their hashes (the set's lookup
 * was 3.6 % of the source task); a value with a non-ASCII character goes the set's way, since lower-casing may change
 * its length or turn it into ASCII (the Kelvin sign becomes {@code k}).
 */
final class EnumValues {
    private static final int FEW = 16;

    private final boolean ignoreCase;
    private final Set<String> values = new HashSet<>();
    /** The values (lower-cased with ignore_case) when few and all ASCII, else null. */
    private final String[] few;

    EnumValues(List<String> allowed, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        for (String v : allowed) {
            values.add(ignoreCase ? v.toLowerCase(Locale.ROOT) : v);
        }
        boolean ascii = values.stream().allMatch(v -> v.chars().allMatch(c -> c < 0x80));
        this.few = values.size() <= FEW && ascii ? values.toArray(String[]::new) : null;
    }

    boolean contains(String value) {
        if (few == null) {
            return viaSet(value);
        }
        int from = 0;
        int to = value.length();
        // String.strip's whitespace: no supplementary code point or lone surrogate is whitespace, so chars will do.
        while (from < to && Character.isWhitespace(value.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
            to--;
        }
        if (ignoreCase) {
            for (int i = from; i < to; i++) {
                if (value.charAt(i) >= 0x80) {
                    return viaSet(value);
                }
            }
        }
        int length = to - from;
        for (String v : few) {
            if (v.length() == length && (ignoreCase ? sameIgnoringAsciiCase(v, value, from)
                    : value.regionMatches(from, v, 0, length))) {
                return true;
            }
        }
        return false;
    }

    /** {@code lower} (ASCII, lower case) equals the ASCII chars of {@code value} from {@code from}, lower-cased. */
    private static boolean sameIgnoringAsciiCase(String lower, String value, int from) {
        for (int i = 0; i < lower.length(); i++) {
            char c = value.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean viaSet(String value) {
        String text = value.strip();
        return values.contains(ignoreCase ? text.toLowerCase(Locale.ROOT) : text);
    }
}
