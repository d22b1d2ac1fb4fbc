package dev.midstream.model;

import java.util.regex.Pattern;

/**
 * A table or column name from configuration, checked and double-quoted before it enters SQL text.
 * Only lower-case letters, digits and underscores, optionally schema-qualified, are accepted.
 */
public final class SqlIdentifier implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern PART = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String quoted;

    private SqlIdentifier(String quoted) {
        this.quoted = quoted;
    }

    /** @throws IllegalArgumentException with a message that names the fix */
    public static SqlIdentifier of(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + name + "' has more than one '.'; use table or schema.table");
        }
        StringBuilder quoted = new StringBuilder();
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a plain SQL name; use lower-case letters,"
                        + " digits and '_' (at most 63), starting with a letter or '_'");
            }
            if (quoted.length() > 0) {
                quoted.append('.');
            }
            quoted.append('"').append(part).append('"');
        }
        return new SqlIdentifier(quoted.toString());
    }

    /** The identifier, quoted, ready for SQL text. */
    public String sql() {
        return quoted;
    }

    @Override
    public String toString() {
        return quoted;
    }
}
