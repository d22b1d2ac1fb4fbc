package dev.midstream.model;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * How operators log in to the job's database: the URL, the user, and the password as a {@link Secret}, so only its
 * reference travels in the job graph and each TaskManager reads the value when the operator opens.
 */
public record JdbcLogin(String url, String username, Secret password) implements Serializable {
    public Database database() {
        return Database.ofJdbcUrl(url);
    }

    /** The JDBC connection properties {@code user} and {@code password}, each only when configured. */
    public Properties properties() {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", new String(password.value(), StandardCharsets.UTF_8));
        }
        return properties;
    }

    @Override
    public String toString() {
        return "JdbcLogin[url=" + url + ", username=" + username + ", password=" + password + "]";
    }
}
