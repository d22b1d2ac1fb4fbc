package dev.midstream.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A database of its own for one test, on the shared PostgreSQL server. */
public record TestDatabase(String name, String jdbcUrl) {
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }
}
