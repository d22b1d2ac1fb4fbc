package dev.midstream.model;

import java.util.Locale;

/** The kind of database a job writes its tables to, told by the JDBC URL. */
public enum Database {
    POSTGRESQL("PostgreSQL"),
    /** MariaDB, and MySQL through MariaDB Connector/J ({@code jdbc:mariadb:} or {@code jdbc:mysql:}). */
    MARIADB("MariaDB/MySQL");

    private final String displayName;

    Database(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** @throws IllegalArgumentException naming the URL schemes that are understood */
    public static Database ofJdbcUrl(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
    }
}
