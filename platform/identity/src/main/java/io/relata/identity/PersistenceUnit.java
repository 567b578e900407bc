package io.relata.identity;

import jakarta.persistence.EntityManager;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The database the identity tables live in, as the runtime opened it: its pool and the persistence unit that maps
 * {@link UserAccount}, {@link Team}, {@link TeamMembership}, {@link ApiToken} and {@link LoginEvent}. The identity
 * module never opens a database itself, so that users share the pool, the migrations and the transactions of the
 * platform.
 */
public interface PersistenceUnit {

    DataSource dataSource();

    /** Runs {@code work} in one resource-local transaction of the unit and returns its result. */
    <T> T inTransaction(Function<EntityManager, T> work);

    default void inTransactionDo(Consumer<EntityManager> work) {
        inTransaction(em -> {
            work.accept(em);
            return null;
        });
    }

    /** Drops one entity from the unit's cache, after plain JDBC changed its row: the next read loads it anew. */
    void evict(Class<?> entity, Object id);
}
