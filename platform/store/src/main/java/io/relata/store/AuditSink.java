package io.relata.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where {@link SecuredRecordStore} reports each write: called once per created, changed or deleted record,
 * on the write's own connection and inside its transaction, so the entry commits or rolls back with the
 * record. If it throws, the write is rolled back and the exception reaches the caller (a SQLException as a
 * {@link StoreException}).
 */
@FunctionalInterface
public interface AuditSink {

    /** Records nothing: tests and tools. */
    AuditSink NONE = (connection, entry) -> {
    };

    /** Stores {@code entry}; must use {@code connection} (not a connection of its own) and not commit. */
    void record(Connection connection, AuditEntry entry) throws SQLException;
}
