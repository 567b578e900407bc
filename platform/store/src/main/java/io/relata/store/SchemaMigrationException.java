package io.relata.store;

import java.sql.SQLException;

/**
 * Applying a {@link SchemaPlan} failed. {@link #getMessage()} names the statement and the database's reason, for
 * the log; {@link #change()} says in words which change failed, for an admin (no SQL, no database text). What this
 * attempt had applied was taken back (rolled back, or undone on H2) unless {@link #undone()} is false.
 */
public class SchemaMigrationException extends RuntimeException {

    private final String change;
    private final String statement;
    private final int statementNumber;
    private final boolean undone;

    public SchemaMigrationException(String change, String statement, int statementNumber, int statementCount,
                                    boolean undone, SQLException cause) {
        super("Schema change failed at statement " + statementNumber + " of " + statementCount + " ("
                + change + "): " + statement + " -- database said: " + cause.getMessage()
                + (cause.getSQLState() == null ? "" : " [SQLState " + cause.getSQLState() + "]")
                + (undone ? "" : " -- some changes of this attempt could not be taken back, see the log"), cause);
        this.change = change;
        this.statement = statement;
        this.statementNumber = statementNumber;
        this.undone = undone;
    }

    /** The change that failed, in words (e.g. "Create unique index ux_rec_account_phone on rec_account.phone"). */
    public String change() {
        return change;
    }

    /** The statement that failed. */
    public String statement() {
        return statement;
    }

    /** 1-based position of the failing statement in {@link SchemaPlan#statements()}. */
    public int statementNumber() {
        return statementNumber;
    }

    /** True if the schema is as before the attempt; false if some undo statement failed (they are logged). */
    public boolean undone() {
        return undone;
    }
}
