package io.relata.store;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps record statements and schema changes apart on databases whose DDL is not safe against concurrent
 * statements: H2 adds a column by building a new table and renaming it, and an insert that runs meanwhile
 * fails with "table not found" (seen in PluginIT's upgrade under load). There, {@link JdbcTransactions} holds
 * the gate shared for each outermost transaction, and a schema change waits for those in flight, runs alone,
 * and lets the waiting ones go on. PostgreSQL locks tables for DDL itself and needs no gate ({@link #NONE}).
 */
public final class SchemaGate {

    /** No gate: the database orders DDL and statements itself. */
    public static final SchemaGate NONE = new SchemaGate(null);

    private final ReentrantReadWriteLock lock;

    private SchemaGate(ReentrantReadWriteLock lock) {
        this.lock = lock;
    }

    /** A gate that makes schema changes wait for record transactions and run alone. */
    public static SchemaGate exclusive() {
        return new SchemaGate(new ReentrantReadWriteLock());
    }

    /** The gate a database needs, by its JDBC URL: exclusive for H2, none otherwise. */
    public static SchemaGate forUrl(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:") ? exclusive() : NONE;
    }

    /**
     * Runs {@code change} once no record transaction is in flight, keeping new ones waiting until it is done.
     *
     * @throws IllegalStateException when called inside a record transaction of this thread (it would wait for
     *                               itself)
     */
    public <T> T changingSchema(Supplier<T> change) {
        if (lock == null) {
            return change.get();
        }
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException("A schema change cannot run inside a record transaction");
        }
        lock.writeLock().lock();
        try {
            return change.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Enters for one outermost transaction; every call is paired with {@link #leave} on the same thread. */
    void enter() {
        if (lock != null) {
            lock.readLock().lock();
        }
    }

    void leave() {
        if (lock != null) {
            lock.readLock().unlock();
        }
    }
}
