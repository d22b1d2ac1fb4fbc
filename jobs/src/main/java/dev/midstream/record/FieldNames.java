package dev.midstream.record;

/**
 * One {@code String} instance per field name, the JVM's interned one, so that looking a field up in a record finds
 * its name by identity, without comparing texts. Records read back after the {@code keyBy} took their names as new
 * texts, each hashed again when put and compared char by char with the operators' names on every lookup; in the job's
 * profile those lookups were the largest single item after Jackson's.
 *
 * <p>The table is a fixed set of slots, each taken by the first name that lands in it and kept: a stream with
 * unbounded names (keys that are data) interns at most that many and then reads the rest as plain texts.
 */
public final class FieldNames {
    /** The table the serializers read names through: far more slots than a job has field names. */
    static final FieldNames SHARED = new FieldNames(1 << 12);
    private static final int PROBES = 8;

    private final String[] names;

    FieldNames(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.names = new String[slots];
    }

    /** The interned instance of {@code name} (null stays null). */
    public static String canonical(String name) {
        return name == null ? null : name.intern();
    }

    /**
     * The name held in {@code chars[0, length)} whose {@link String#hashCode()} is {@code hash}: the instance seen
     * before if there is one, else a new text, interned and kept if a slot near its hash is free.
     */
    String of(char[] chars, int length, int hash) {
        int mask = names.length - 1;
        int start = hash ^ hash >>> 16;
        for (int probe = 0; probe < PROBES; probe++) {
            int slot = (start + probe) & mask;
            // a racy read is safe: a String is immutable and its fields final; a lost write only costs a slot
            String seen = names[slot];
            if (seen == null) {
                String name = new String(chars, 0, length).intern();
                names[slot] = name;
                return name;
            }
            if (seen.hashCode() == hash && sameChars(seen, chars, length)) {
                return seen;
            }
        }
        return new String(chars, 0, length);
    }

    private static boolean sameChars(String seen, char[] chars, int length) {
        if (seen.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (seen.charAt(i) != chars[i]) {
                return false;
            }
        }
        return true;
    }
}
