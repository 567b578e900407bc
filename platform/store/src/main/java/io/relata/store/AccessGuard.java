package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * What one {@link JdbcRecordStore} call may reach and what happens after it writes. The system store runs
 * {@link #NONE}; {@link SecuredRecordStore} passes one built from the caller's
 * {@link io.relata.store.access.AccessPolicy}. The store applies it in SQL (row conditions), when
 * converting input (field access) and inside the write's transaction ({@link #written}).
 */
interface AccessGuard {

    /** No restriction, nothing after writes. */
    AccessGuard NONE = new AccessGuard() {
    };

    /**
     * The rows of {@code entity} the operation may reach. READ applies to find, query, count, titles, the
     * targets of reference values and the row a write starts from; UPDATE and DELETE to the row a write
     * changes (a readable row outside them is refused with an AccessDeniedException).
     */
    default RowScope rows(EntityDefinition entity, Operation operation) {
        return RowScope.ALL;
    }

    /** Whom rules run for: the actor the write is made for; {@link Actor#SYSTEM} for the unrestricted store. */
    default Actor actor() {
        return Actor.SYSTEM;
    }

    /** The caller's access to a field of {@code entity}: hidden fields are never returned, searched or written. */
    default FieldAccess fieldAccess(EntityDefinition entity, String field) {
        return FieldAccess.EDITABLE;
    }

    /**
     * Called after a create ({@code before} null), update or delete ({@code after} null) has been written,
     * on the write's connection and in its transaction; if it throws, the write is rolled back.
     */
    default void written(Connection connection, EntityDefinition entity, Record before, Record after, OffsetDateTime at)
            throws SQLException {
    }
}
