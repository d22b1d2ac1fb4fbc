package dev.midstream.options;

import dev.midstream.model.Database;

import java.io.Serializable;
import java.util.Properties;

/**
 * The database connection of every table, dead-letter table and lookup of the job. The password is read from the
 * environment variable {@code passwordEnv} when the job is submitted; it never appears in {@link #toString()}.
 */
public record JdbcOptions(String url, String username, String passwordEnv, String password) implements Serializable {
    /** The kind of database the URL names. */
    public Database database() {
        return Database.ofJdbcUrl(url);
    }

    /** The JDBC connection properties {@code user} and {@code password}, each only when configured. */
    public Properties credentials() {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    @Override
    public String toString() {
        return "JdbcOptions[url=" + url + ", username=" + username + ", password from $" + passwordEnv
                + (password == null ? " (unset)" : "") + "]";
    }
}
