package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.OrderTable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Creates the orders and dead-letter tables if they do not exist. Runs once, at job submission. */
public final class TableMigration {
    private static final Logger LOG = LoggerFactory.getLogger(TableMigration.class);

    private TableMigration() {}

    public static void run(CleanseConfig config) throws SQLException {
        try (Connection connection = connect(config)) {
            new OrderTable(config.table).create(connection);
            new DeadLetterTable(config.deadLetterTable).create(connection);
        }
        LOG.info("Tables {} and {} are in place", config.table, config.deadLetterTable);
    }

    /** A plain JDBC connection with the job's credentials, for creating tables at submission. */
    static Connection connect(CleanseConfig config) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl, config.jdbcCredentials());
    }
}
