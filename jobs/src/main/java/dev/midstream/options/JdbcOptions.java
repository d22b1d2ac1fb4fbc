package dev.midstream.options;

import dev.midstream.model.Database;
import dev.midstream.model.JdbcLogin;
import dev.midstream.model.Secret;

import java.io.Serializable;
import java.util.Properties;

/**
 * The database connection of every table, dead-letter table and lookup of the job. The password is the environment
 * variable {@code passwordEnv}: read at submission to check the connection, and again by each TaskManager when an
 * operator opens ({@link #login()}), so only its name is in the job graph; it never appears in {@link #toString()}.
 */
public record JdbcOptions(String url, String username, String passwordEnv, Secret password) implements Serializable {
    /** The kind of database the URL names. */
    public Database database() {
        return Database.ofJdbcUrl(url);
    }

    /** What operators get: the password as a reference, resolved where they run. */
    public JdbcLogin login() {
        return new JdbcLogin(url, username, password);
    }

    /** The JDBC connection properties {@code user} and {@code password}, each only when configured. */
    public Properties credentials() {
        return login().properties();
    }

    @Override
    public String toString() {
        return "JdbcOptions[url=" + url + ", username=" + username + ", password from $" + passwordEnv
                + (password == null ? " (unset)" : "") + "]";
    }
}
