package io.relata.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Transactions on a {@link DataSource}, bound to the current thread. {@link #inTransaction(Supplier)} opens
 * one connection and transaction; every {@link JdbcRecordStore} call (and every {@link #withConnection}) on
 * the same data source and thread joins it, so several writes (e.g. a record and its audit entry) commit or
 * roll back together. Without an active transaction, each store call runs in its own.
 *
 * <p>A joined call runs inside a savepoint: if it fails, only its own statements are undone and the outer
 * transaction stays usable (PostgreSQL would otherwise refuse every further statement); the exception
 * still reaches the caller, who decides whether the whole transaction fails.
 *
 * <p>Not for container-managed (JTA) transactions: it calls {@code commit} and {@code rollback} itself.
 */
public final class JdbcTransactions {

    /** Work that needs a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final ThreadLocal<Map<DataSource, Connection>> ACTIVE = ThreadLocal.withInitial(IdentityHashMap::new);
    /** What runs once the transaction on a data source has committed (nothing on rollback). */
    private static final ThreadLocal<Map<DataSource, List<Runnable>>> AFTER_COMMIT =
            ThreadLocal.withInitial(IdentityHashMap::new);
    private static final Logger LOG = Logger.getLogger(JdbcTransactions.class.getName());

    private final DataSource dataSource;
    private final SchemaGate gate;

    public JdbcTransactions(DataSource dataSource) {
        this(dataSource, SchemaGate.NONE);
    }

    /** Transactions that pass {@code gate}, so that schema changes through the same gate run alone. */
    public JdbcTransactions(DataSource dataSource, SchemaGate gate) {
        this.dataSource = dataSource;
        this.gate = gate;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** True if a transaction on this data source is active on the current thread. */
    public boolean isActive() {
        return ACTIVE.get().containsKey(dataSource);
    }

    /** The connection of the active transaction on this thread, if any. */
    public Optional<Connection> currentConnection() {
        return Optional.ofNullable(ACTIVE.get().get(dataSource));
    }

    /**
     * Runs {@code work} in a transaction and returns its result: commits if it returns, rolls back if it
     * throws (and rethrows). If a transaction is already active on this thread, {@code work} simply joins it.
     */
    /**
     * Runs {@code action} once the transaction this thread is in on this data source has committed; never if it
     * rolls back (nor if the savepoint of the write that asked for it is rolled back). What {@code action} throws
     * is logged: the commit stands.
     *
     * @throws IllegalStateException outside a transaction
     */
    public void afterCommit(Runnable action) {
        List<Runnable> pending = AFTER_COMMIT.get().get(dataSource);
        if (pending == null) {
            throw new IllegalStateException("afterCommit needs a transaction on this thread");
        }
        pending.add(action);
    }

    private static void runAfterCommit(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "An action after a commit failed; the commit stands", e);
            }
        }
    }

    public <T> T inTransaction(Supplier<T> work) {
        if (isActive()) {
            return work.get();
        }
        List<Runnable> after = new ArrayList<>();
        T result;
        gate.enter();
        try {
            result = inNewTransaction(work, after);
        } finally {
            gate.leave();
        }
        // outside the transaction (and the gate): what these write goes into transactions of its own
        runAfterCommit(after);
        return result;
    }

    private <T> T inNewTransaction(Supplier<T> work, List<Runnable> after) {
        Connection connection = open();
        ACTIVE.get().put(dataSource, connection);
        AFTER_COMMIT.get().put(dataSource, after);
        T result;
        try {
            result = work.get();
            connection.commit();
        } catch (RuntimeException | Error e) {
            rollback(connection, e);
            throw e;
        } catch (SQLException e) {
            rollback(connection, e);
            throw new StoreException(null, "commit transaction", e);
        } finally {
            ACTIVE.get().remove(dataSource);
            AFTER_COMMIT.get().remove(dataSource);
            close(connection);
        }
        return result;
    }

    /** {@link #inTransaction(Supplier)} for work without a result. */
    public void runInTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} on the active transaction's connection inside a savepoint, or, without one, on a new
     * connection in its own transaction. SQL errors are passed on as they are (the record store translates
     * them); the changes of a failed {@code work} are always undone.
     */
    public <T> T withConnection(SqlWork<T> work) throws SQLException {
        Connection active = ACTIVE.get().get(dataSource);
        if (active != null) {
            List<Runnable> after = AFTER_COMMIT.get().get(dataSource);
            int pendingBefore = after == null ? 0 : after.size();
            Savepoint savepoint = active.setSavepoint();
            try {
                T result = work.run(active);
                active.releaseSavepoint(savepoint);
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    active.rollback(savepoint);
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                if (after != null) {
                    after.subList(pendingBefore, after.size()).clear();
                }
                throw e;
            }
        }
        List<Runnable> after = new ArrayList<>();
        T result;
        gate.enter();
        try {
            result = withNewConnection(work, after);
        } finally {
            gate.leave();
        }
        // not on another transaction's connection: ACTIVE was never set for this one
        runAfterCommit(after);
        return result;
    }

    private <T> T withNewConnection(SqlWork<T> work, List<Runnable> after) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            AFTER_COMMIT.get().put(dataSource, after);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                AFTER_COMMIT.get().remove(dataSource);
            }
        }
    }

    private Connection open() {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw new StoreException(null, "begin transaction", e);
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException ignored) {
            // the transaction has ended already; a pool discards a broken connection itself
        }
    }
}
