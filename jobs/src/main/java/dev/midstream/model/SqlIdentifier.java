package dev.midstream.model;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A table or column name from configuration, checked and quoted before it enters SQL text.
 * Only lower-case letters, digits and underscores, optionally schema-qualified, are accepted.
 */
public final class SqlIdentifier implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern PART = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final List<String> parts;

    private SqlIdentifier(List<String> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException with a message that names the fix */
    public static SqlIdentifier of(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + name + "' has more than one '.'; use table or schema.table");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a plain SQL name; use lower-case letters,"
                        + " digits and '_' (at most 63), starting with a letter or '_'");
            }
        }
        return new SqlIdentifier(List.of(parts));
    }

    /** The identifier in double quotes (standard SQL, PostgreSQL), ready for SQL text. */
    public String sql() {
        return quoted('"');
    }

    /** The identifier in {@code quote} characters, e.g. MariaDB's backticks. Parts never hold a quote character. */
    public String quoted(char quote) {
        StringBuilder quoted = new StringBuilder();
        for (String part : parts) {
            if (quoted.length() > 0) {
                quoted.append('.');
            }
            quoted.append(quote).append(part).append(quote);
        }
        return quoted.toString();
    }

    /** The schema (PostgreSQL) or database (MariaDB) part, or null. */
    public String schema() {
        return parts.size() == 2 ? parts.get(0) : null;
    }

    /** The unqualified name. */
    public String name() {
        return parts.get(parts.size() - 1);
    }

    @Override
    public String toString() {
        return sql();
    }
}
