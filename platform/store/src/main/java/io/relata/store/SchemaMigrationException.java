package io.relata.store;

import java.sql.SQLException;

/**
 * Applying a {@link SchemaPlan} failed. The message names the statement and the database's reason; the
 * transaction was rolled back (on H2, statements before the failing one stay applied, because H2 commits
 * DDL at once: planning again picks up where it stopped).
 */
public class SchemaMigrationException extends RuntimeException {

    private final String statement;
    private final int statementNumber;

    public SchemaMigrationException(String change, String statement, int statementNumber, int statementCount,
                                    SQLException cause) {
        super("Schema change failed at statement " + statementNumber + " of " + statementCount + " ("
                + change + "): " + statement + " -- database said: " + cause.getMessage()
                + (cause.getSQLState() == null ? "" : " [SQLState " + cause.getSQLState() + "]"), cause);
        this.statement = statement;
        this.statementNumber = statementNumber;
    }

    /** The statement that failed. */
    public String statement() {
        return statement;
    }

    /** 1-based position of the failing statement in {@link SchemaPlan#statements()}. */
    public int statementNumber() {
        return statementNumber;
    }
}
