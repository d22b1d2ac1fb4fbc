package dev.midstream.change;

/**
 * Log positions as (major, minor) pairs. A binlog position (MySQL, MariaDB, via Debezium or Maxwell) is (file
 * number, offset in the file × 2^21 + rank), where rank orders the rows of one event: 0 for a snapshot read, so a
 * snapshot row loses a tie against a streamed change at the same position, row + 1 for streamed rows, and the
 * largest rank for a Maxwell transaction's commit row. A PostgreSQL position is (LSN, 0 for a snapshot read, 1 for a
 * streamed change).
 */
final class LogPositions {
    static final int RANK_BITS = 21;
    static final long LAST_RANK = (1L << RANK_BITS) - 1;
    private static final long MAX_OFFSET = Long.MAX_VALUE >>> RANK_BITS;

    private LogPositions() {}

    /** The number of a binlog file name, {@code mariadb-bin.000003} → 3; -1 if it has none. */
    static long fileNumber(String file) {
        int dot = file == null ? -1 : file.lastIndexOf('.');
        if (dot < 0 || dot == file.length() - 1) {
            return -1;
        }
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The minor part of a binlog position; -1 if the offset or rank is out of range. */
    static long binlogMinor(long offset, long rank) {
        if (offset < 0 || offset > MAX_OFFSET || rank < 0 || rank > LAST_RANK) {
            return -1;
        }
        return (offset << RANK_BITS) | rank;
    }
}
