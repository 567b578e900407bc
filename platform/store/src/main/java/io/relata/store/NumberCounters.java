package io.relata.store;

import io.relata.api.model.AutoNumber;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The counters of gapless numbers ({@link AutoNumber#gapless()}): one row per field and year in
 * {@value #TABLE}, counted up in the create's own transaction. The row stays locked until that transaction ends,
 * so a create that rolls back gives its number back, and parallel creates of the field (on any node: the lock is
 * the database's) wait in turn instead of skipping numbers. Fields counted without a year use period 0.
 */
final class NumberCounters {

    static final String TABLE = "crm_number_counter";

    static final String CREATE_TABLE = "CREATE TABLE " + Names.quote(TABLE) + " (counter_name VARCHAR(100) NOT NULL,"
            + " period INTEGER NOT NULL, last_value BIGINT NOT NULL,"
            + " CONSTRAINT " + Names.quote("pk_" + TABLE) + " PRIMARY KEY (counter_name, period))";

    private NumberCounters() {
    }

    /** The counter of a field: {@code rec_quote.number}. */
    static String name(String table, String column) {
        return table + "." + column;
    }

    /**
     * Counts {@code counter} of {@code period} up by one and returns the new value; the counter row stays locked
     * by {@code c}'s transaction.
     */
    static long next(Connection c, SqlDialect dialect, String counter, int period) throws SQLException {
        if (increment(c, counter, period)) {
            return current(c, counter, period);
        }
        // The first number of the counter (or of the year). Another create may insert the same row at this
        // moment: the insert then waits for it and inserts nothing, and the increment below counts on its row.
        if (insertFirst(c, dialect, counter, period)) {
            return 1;
        }
        if (!increment(c, counter, period)) {
            throw new SQLException("The number counter " + counter + " of " + period + " could neither be created nor"
                    + " counted up");
        }
        return current(c, counter, period);
    }

    private static boolean increment(Connection c, String counter, int period) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE " + Names.quote(TABLE)
                + " SET last_value = last_value + 1 WHERE counter_name = ? AND period = ?")) {
            update.setString(1, counter);
            update.setInt(2, period);
            return update.executeUpdate() == 1;
        }
    }

    private static long current(Connection c, String counter, int period) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT last_value FROM " + Names.quote(TABLE)
                + " WHERE counter_name = ? AND period = ?")) {
            select.setString(1, counter);
            select.setInt(2, period);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts the counter's row at 1; false if another transaction inserted it first. */
    private static boolean insertFirst(Connection c, SqlDialect dialect, String counter, int period) throws SQLException {
        String insert = "INSERT INTO " + Names.quote(TABLE) + " (counter_name, period, last_value) VALUES (?, ?, 1)";
        if (dialect == SqlDialect.POSTGRESQL) {
            // a failed statement would abort PostgreSQL's whole transaction: let the database skip the duplicate
            try (PreparedStatement statement = c.prepareStatement(insert + " ON CONFLICT DO NOTHING")) {
                statement.setString(1, counter);
                statement.setInt(2, period);
                return statement.executeUpdate() == 1;
            }
        }
        try (PreparedStatement statement = c.prepareStatement(insert)) {
            statement.setString(1, counter);
            statement.setInt(2, period);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false; // H2 undoes only the failed statement
            }
            throw e;
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e instanceof java.sql.SQLIntegrityConstraintViolationException;
    }
}
