package dev.midstream.sink;

import dev.midstream.model.JdbcLogin;
import dev.midstream.model.SinkSpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sink's table as the database holds it when a task opens, which is after every restart: a table changed under a
 * running job makes its first misfit fail the write, and the restarted task then checks against the table as it is
 * now. A column whose type changed is checked with its new type (a narrowed column's misfits become dead letters,
 * naming it); a table or column that is gone fails the task with what to do, and Flink's restart strategy retries
 * with its back-off until it is back, then writes from the last checkpoint on.
 */
public final class LiveTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveTable.class);

    private final RecordTable table;
    private final JdbcLogin login;

    public LiveTable(RecordTable table, JdbcLogin login) {
        this.table = table;
        this.login = login;
    }

    /** A table or column the sink writes is missing: the task cannot write, and must not drop what it holds. */
    public static final class TableChangedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TableChangedException(String message) {
            super(message);
        }
    }

    /**
     * {@code declared} with each column's type as the table has it now; the declared types when the catalog cannot be
     * read (the write fails then too, and the restart reads it again).
     */
    public List<SinkSpec.Column> columns(List<SinkSpec.Column> declared) {
        Map<String, String> existing;
        try (Connection connection = DriverManager.getConnection(login.url(), login.properties())) {
            existing = table.existingColumns(connection);
        } catch (SQLException e) {
            LOG.warn("Could not read the columns of table {} ({}); checking rows against the pipeline's column types",
                    table.sink().table(), e.getMessage());
            return declared;
        }
        String name = table.sink().table();
        if (existing.isEmpty()) {
            throw new TableChangedException("Table " + name + " does not exist (any more): renamed or dropped while the"
                    + " job ran? Create it again or rename it back; until then the job restarts with its restart"
                    + " strategy's back-off, and once the table is back it writes everything from its last checkpoint"
                    + " on, nothing lost.");
        }
        List<String> missing = table.sink().columns().stream().map(SinkSpec.Column::name)
                .filter(column -> !existing.containsKey(column)).toList();
        if (!missing.isEmpty()) {
            throw new TableChangedException("Table " + name + " has no column " + String.join(", ", missing)
                    + " (any more): dropped or renamed while the job ran? Add it back (e.g. " + addBack(missing.get(0))
                    + ") or deploy a pipeline file without it from a savepoint; until then the job restarts with its"
                    + " restart strategy's back-off, and nothing is lost.");
        }
        List<SinkSpec.Column> now = new ArrayList<>(declared.size());
        for (SinkSpec.Column column : declared) {
            String stored = TableMigration.canonical(existing.get(column.name()));
            if (stored.equals(TableMigration.canonical(table.ddlType(column)))) {
                now.add(column);
            } else {
                LOG.warn("Column {}.{} is {} in the table now, {} when the job set it up: rows whose {} does not fit"
                        + " it become dead letters (sink/column_overflow or sink/column_type)", name, column.name(),
                        stored, table.ddlType(column), column.field());
                now.add(new SinkSpec.Column(column.name(), column.field(), stored));
            }
        }
        return now;
    }

    private String addBack(String column) {
        return table.sink().columns().stream().filter(c -> c.name().equals(column)).findFirst()
                .map(table::addColumnSql).orElse("ALTER TABLE … ADD COLUMN " + column);
    }
}
