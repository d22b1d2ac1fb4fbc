package dev.midstream.sink;

import dev.midstream.model.JdbcLogin;
import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * A table's sink writer for PostgreSQL by {@link PostgresBatchCopy}: each batch is written and committed before
 * {@code write} returns, so nothing is pending at a checkpoint's barrier. A failed batch is retried on a new
 * connection up to {@code midstream.sink.max-retries} times, 1 s, 2 s, … apart, then fails the task; the restored job writes it
 * again, which the upsert makes harmless.
 */
public final class PostgresCopyWriter implements FailoverSafeJdbcSink.TableWriter<List<FlowRecord>> {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopyWriter.class);

    private final LoginConnectionProvider connections;
    private final SinkSpec sink;
    private final int maxRetries;
    private PostgresBatchCopy copy;

    public PostgresCopyWriter(JdbcLogin login, SinkSpec sink, int maxRetries) {
        this.connections = new LoginConnectionProvider(login);
        this.sink = sink;
        this.maxRetries = maxRetries;
    }

    @Override
    public void write(List<FlowRecord> batch, Context context) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                open().write(batch);
                return;
            } catch (SQLException e) {
                closeConnection();
                if (attempt >= maxRetries) {
                    throw new IOException("Writing " + batch.size() + " rows to table " + sink.table() + " failed "
                            + (attempt + 1) + " times", e);
                }
                // Not the message: the driver's can name the rows' values.
                LOG.warn("Writing {} rows to table {} failed ({}, SQL state {}); retry {} of {}", batch.size(),
                        sink.table(), e.getClass().getSimpleName(), e.getSQLState(), attempt + 1, maxRetries);
                Thread.sleep(1000L * (attempt + 1));
            }
        }
    }

    private PostgresBatchCopy open() throws SQLException {
        if (copy == null) {
            try {
                copy = PostgresBatchCopy.open(connections.getOrEstablishConnection(), sink);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("The PostgreSQL driver is not on the classpath", e);
            }
        }
        return copy;
    }

    @Override
    public void flush(boolean endOfInput) {
        // Every batch is committed in write.
    }

    private void closeConnection() {
        if (copy != null) {
            try {
                copy.close();
            } catch (SQLException e) {
                LOG.debug("Closing the merge statement of {} failed", sink.table(), e);
            }
            copy = null;
        }
        connections.closeConnection();
    }

    @Override
    public void close() {
        closeConnection();
    }
}
