package io.relata.store;

import io.relata.api.model.MetadataModel;
import io.relata.store.SchemaChange.CreateIndex;
import io.relata.store.SchemaPlan.Orphan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Applies a {@link SchemaPlan}: every statement in one transaction, and nothing left behind if one fails.
 *
 * <p>The planner has checked the stored data against everything the database could refuse, so a failure here is
 * rare (data written between planning and applying, a lock, a full disk). On PostgreSQL DDL is transactional and
 * the rollback takes everything back. <b>H2 commits DDL at once</b>, so there each change applied before the
 * failing statement is taken back by its {@link SchemaChange#undo()} statements, newest first: the tables,
 * columns, indexes and foreign keys this attempt created are dropped, dropped keys and widened columns restored.
 *
 * <p><b>Indexes built concurrently</b> ({@link CreateIndex#concurrently()}: PostgreSQL, tables with rows) cannot run
 * in a transaction. They run after the rest of the plan is committed, one by one: writes to the table go on while
 * an index is built. A build that fails leaves an invalid index behind, which is dropped again; the failure is
 * logged and returned, the rest of the plan stays applied (an index only makes lists faster), and the next plan
 * contains the index again.
 */
public final class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    /**
     * Runs the plan's statements in one transaction on {@code connection} (its auto-commit setting is
     * restored afterwards).
     *
     * @return the concurrent index builds that failed, a sentence each (empty if all were built): the rest of the
     *         plan is applied
     * @throws IllegalArgumentException if the plan has conflicts: it must not be applied
     * @throws SchemaMigrationException naming the failing change (not a concurrent index build); the schema is as
     *                                  before unless {@link SchemaMigrationException#undone()} says otherwise
     */
    public List<String> apply(SchemaPlan plan, Connection connection) {
        if (plan.hasConflicts()) {
            throw new IllegalArgumentException("A schema plan with conflicts cannot be applied: " + plan.conflicts());
        }
        if (plan.isEmpty()) {
            return List.of();
        }
        List<CreateIndex> concurrent = plan.changes().stream().filter(SchemaMigrator::isConcurrent)
                .map(CreateIndex.class::cast).toList();
        int total = plan.statements().size();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                int number = 0;
                List<SchemaChange> applied = new ArrayList<>();
                for (SchemaChange change : plan.changes()) {
                    if (isConcurrent(change)) {
                        number += change.sql().size(); // after the commit
                        continue;
                    }
                    int ranOfChange = 0;
                    for (String sql : change.sql()) {
                        number++;
                        try (Statement statement = connection.createStatement()) {
                            statement.execute(sql);
                            ranOfChange++;
                        } catch (SQLException e) {
                            rollbackQuietly(connection, e);
                            if (ranOfChange > 0) {
                                applied.add(change); // half done: its undo takes back what ran, the rest fails harmlessly
                            }
                            boolean undone = plan.dialect() != SqlDialect.H2 || undo(applied, connection);
                            throw new SchemaMigrationException(change.describe(), sql, number, total, undone, e);
                        }
                    }
                    applied.add(change);
                }
                connection.commit();
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return concurrent.isEmpty() ? List.of() : buildConcurrently(concurrent, connection);
        } catch (SQLException e) {
            throw new StoreException(null, "apply schema plan", e);
        }
    }

    private static boolean isConcurrent(SchemaChange change) {
        return change instanceof CreateIndex index && index.concurrently();
    }

    /**
     * Builds each index with {@code CREATE INDEX CONCURRENTLY} in auto-commit mode. An invalid index of the same
     * name (left by a build that was interrupted before) is dropped first; one that this build leaves invalid is
     * dropped after.
     */
    private static List<String> buildConcurrently(List<CreateIndex> indexes, Connection connection) throws SQLException {
        List<String> failures = new ArrayList<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            for (CreateIndex index : indexes) {
                try (Statement statement = connection.createStatement()) {
                    dropIfInvalid(index, connection);
                    statement.execute(index.statement());
                } catch (SQLException e) {
                    String failure = index.describe() + " failed, the index is not there: " + e.getMessage()
                            + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]");
                    try {
                        dropIfInvalid(index, connection);
                    } catch (SQLException dropFailure) {
                        failure += "; dropping the invalid index failed too (drop it by hand: DROP INDEX "
                                + Names.quote(index.name()) + "): " + dropFailure.getMessage();
                    }
                    String message = failure;
                    LOG.warning(() -> "Schema: " + message);
                    failures.add(message);
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return failures;
    }

    /** Drops the index if PostgreSQL has it marked invalid (a failed or interrupted concurrent build). */
    private static void dropIfInvalid(CreateIndex index, Connection connection) throws SQLException {
        boolean invalid;
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_class c "
                + "ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ? "
                + "AND n.nspname = current_schema() AND NOT i.indisvalid")) {
            ps.setString(1, index.name());
            try (ResultSet rs = ps.executeQuery()) {
                invalid = rs.next();
            }
        }
        if (invalid) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + Names.quote(index.name()));
            }
        }
    }

    /**
     * Takes back the applied changes, newest first, each undo statement on its own (one that fails is logged and
     * the others still run: a half-applied change leaves some of its undo nothing to do).
     *
     * @return true if every undo statement ran
     */
    private static boolean undo(List<SchemaChange> applied, Connection connection) {
        boolean complete = true;
        for (int i = applied.size() - 1; i >= 0; i--) {
            SchemaChange change = applied.get(i);
            for (String sql : change.undo()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                    connection.commit();
                } catch (SQLException e) {
                    complete = false;
                    LOG.warning(() -> "Could not take back '" + change.describe() + "' after a failed schema change: "
                            + sql + " -- " + e.getMessage());
                    rollbackQuietly(connection, e);
                }
            }
        }
        return complete;
    }

    /**
     * Plans against the database's structure and applies in one go on a connection of {@code dataSource}; returns
     * the applied plan.
     *
     * @throws IllegalStateException if stored data contradicts the model (the plan's conflicts); nothing is changed
     */
    public SchemaPlan migrate(MetadataModel model, DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            SchemaPlan plan = new SchemaPlanner().plan(model, connection);
            if (plan.hasConflicts()) {
                throw new IllegalStateException("Stored data contradicts the metadata; nothing was changed:\n  "
                        + plan.conflicts().stream().map(SchemaConflict::toString).collect(Collectors.joining("\n  ")));
            }
            apply(plan, connection);
            return plan;
        } catch (SQLException e) {
            throw new StoreException(null, "migrate schema", e);
        }
    }

    /**
     * Drops one orphan (a table of no entity, or a column of no field) with its data. Only an administrator's
     * explicit request may call this; the planner never drops anything. The caller checks that {@code orphan} is
     * one of a fresh plan's {@link SchemaPlan#orphans()} for the model in force.
     */
    public void dropOrphan(Orphan orphan, Connection connection) {
        // CASCADE: foreign keys of other orphans that point to the table go with it (no field references it)
        String sql = orphan.isTable() ? "DROP TABLE " + Names.quote(orphan.table()) + " CASCADE"
                : "ALTER TABLE " + Names.quote(orphan.table()) + " DROP COLUMN " + Names.quote(orphan.column());
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new StoreException(null, "drop " + orphan.describe(), e);
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
