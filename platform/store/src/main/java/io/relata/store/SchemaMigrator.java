package io.relata.store;

import io.relata.api.model.MetadataModel;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Applies a {@link SchemaPlan}: every statement in one transaction, rolled back as a whole if one fails.
 *
 * <p><b>H2 commits DDL implicitly</b>: each CREATE/ALTER is committed at once, so a failure there leaves the
 * statements before it applied. That is safe because the plan only adds things and planning is idempotent:
 * the next plan (e.g. on the next start) contains exactly what is still missing. On PostgreSQL, DDL is
 * transactional and a failed apply leaves nothing behind.
 */
public final class SchemaMigrator {

    /**
     * Runs the plan's statements in one transaction on {@code connection} (its auto-commit setting is
     * restored afterwards).
     *
     * @throws SchemaMigrationException naming the failing statement and the database's reason
     */
    public void apply(SchemaPlan plan, Connection connection) {
        if (plan.isEmpty()) {
            return;
        }
        int total = plan.statements().size();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                int number = 0;
                for (SchemaChange change : plan.changes()) {
                    for (String sql : change.sql()) {
                        number++;
                        try (Statement statement = connection.createStatement()) {
                            statement.execute(sql);
                        } catch (SQLException e) {
                            rollbackQuietly(connection, e);
                            throw new SchemaMigrationException(change.describe(), sql, number, total, e);
                        }
                    }
                }
                connection.commit();
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException(null, "apply schema plan", e);
        }
    }

    /** Plans and applies in one go on a connection of {@code dataSource}; returns the applied plan. */
    public SchemaPlan migrate(MetadataModel model, DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            SchemaPlan plan = new SchemaPlanner().plan(model, connection);
            apply(plan, connection);
            return plan;
        } catch (SQLException e) {
            throw new StoreException(null, "migrate schema", e);
        }
    }

    private static void rollbackQuietly(Connection connection, SQLException failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
