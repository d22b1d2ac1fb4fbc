package dev.midstream.engine;

import dev.midstream.model.ConfigException;
import dev.midstream.model.Database;
import dev.midstream.options.JdbcOptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Logs in to the job's database once at submission, so a wrong password, an untrusted server certificate or a
 * connection the server refuses unencrypted stops the job there with one line naming the connection and the fix,
 * not a stack trace from the first writer on a TaskManager.
 */
public final class DatabaseConnectionCheck {
    static final int TIMEOUT_SECONDS = 10;

    private DatabaseConnectionCheck() {}

    public static void check(JdbcOptions jdbc) {
        Properties properties = jdbc.credentials();
        if (jdbc.database() == Database.MARIADB) {
            properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS * 1000));
        } else {
            properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        }
        try (Connection connection = DriverManager.getConnection(jdbc.url(), properties)) {
            connection.isValid(TIMEOUT_SECONDS);
        } catch (SQLException e) {
            throw new ConfigException(List.of(describe(jdbc) + ": " + explain(e, jdbc)));
        }
    }

    /** The database, without the URL's parameters (they may hold paths, never shown values). */
    static String describe(JdbcOptions jdbc) {
        String url = jdbc.url();
        int query = url.indexOf('?');
        String where = (query < 0 ? url : url.substring(0, query)).replaceFirst("^jdbc:[a-z]+://", "");
        String sslMode = sslMode(jdbc);
        return jdbc.database().displayName() + " " + where + (jdbc.username() == null ? "" : " as " + jdbc.username())
                + (sslMode == null ? "" : " (" + sslModeParameter(jdbc.database()) + "=" + sslMode + ")");
    }

    /** pgjdbc's {@code sslmode}, MariaDB Connector/J's {@code sslMode}; both take {@code verify-full}. */
    private static String sslModeParameter(Database database) {
        return database == Database.MARIADB ? "sslMode" : "sslmode";
    }

    /** The URL's TLS mode, null when it sets none. */
    private static String sslMode(JdbcOptions jdbc) {
        return parameter(jdbc.url(), sslModeParameter(jdbc.database()));
    }

    private static String trustParameter(Database database) {
        return database == Database.MARIADB ? "serverSslCert" : "sslrootcert";
    }

    private static String parameter(String url, String name) {
        int query = url.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String explain(SQLException e, JdbcOptions jdbc) {
        Database database = jdbc.database();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Throwable root = RootCause.of(e);
        String text = (e.getMessage() + " " + root.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String sslMode = sslMode(jdbc);
        if (database == Database.MARIADB && text.contains("access denied")
                && (sslMode == null || sslMode.equals("disable"))) {
            // MariaDB (10.11) refuses an unencrypted client under require_secure_transport with the same "access
            // denied" as a wrong password, so both causes are named.
            return "the server refused the connection (" + e.getMessage() + "); a wrong password, or a server that"
                    + " requires TLS: add sslMode=verify-full and serverSslCert to midstream.jdbc.url, and check"
                    + " midstream.jdbc.username and the password in the variable midstream.jdbc.password-env names";
        }
        if (state.equals("28P01") || text.contains("password authentication failed") || text.contains("access denied")) {
            return "authentication failed (" + e.getMessage() + "); check midstream.jdbc.username and the password in"
                    + " the variable midstream.jdbc.password-env names";
        }
        if (text.contains("pkix") || text.contains("certificate") || text.contains("ssl")
                && (text.contains("handshake") || text.contains("hostname"))) {
            return "the TLS handshake failed: " + root.getMessage() + "; if the server's certificate is not trusted,"
                    + " point the URL's " + trustParameter(database) + " at its CA";
        }
        if (text.contains("no encryption") || text.contains("pg_hba.conf") || text.contains("insecure transport")) {
            return "the server refused the connection (" + e.getMessage() + "); it may require TLS: add "
                    + sslModeParameter(database) + "=verify-full and " + trustParameter(database)
                    + " to midstream.jdbc.url";
        }
        return (state.isEmpty() ? "" : "SQL state " + state + ": ") + e.getMessage();
    }
}
