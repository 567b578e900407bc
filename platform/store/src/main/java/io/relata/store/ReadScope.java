package io.relata.store;

import io.relata.api.security.AccessScope;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;

/**
 * What one actor may read of one entity — its read scope as SQL and the fields hidden from them — for queries
 * the platform writes over its own tables that point at records (process figures over the phase stamps, a
 * record's phase history). The same rule as {@link SecuredRecordStore}'s reads (docs/decisions/0003): rows
 * outside the scope are excluded in the SQL, never loaded and filtered in Java. Get it from
 * {@link SecuredRecordStore#readScope}; {@link #everything} is for platform work and tests.
 */
public final class ReadScope {

    private final String entity;
    private final RowScope rows;
    private final Set<String> hiddenFields;

    ReadScope(String entity, RowScope rows, Set<String> hiddenFields) {
        this.entity = Objects.requireNonNull(entity, "entity");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.hiddenFields = Set.copyOf(hiddenFields);
    }

    /** Every record and field of {@code entity}: platform work, never a user's request. */
    public static ReadScope everything(String entity) {
        return new ReadScope(entity, RowScope.ALL, Set.of());
    }

    public String entity() {
        return entity;
    }

    /** True if no record of the entity is out of scope: {@link #condition} adds nothing. */
    public boolean allRecords() {
        return rows.scope() == AccessScope.ALL;
    }

    /**
     * A condition for a WHERE that is true for the rows whose {@code idColumn} holds the id of a record of the
     * entity the actor may read: {@code <idColumn> IN (SELECT id FROM rec_<entity> WHERE <read scope>)}, or
     * {@code 1 = 1} if they may read every record. Its parameters are bound by {@link #bind}.
     *
     * @param idColumn a column of the caller's own query, e.g. {@code s.record_id}; SQL as written, never input
     */
    public String condition(String idColumn) {
        Sql condition = rows.condition();
        if (condition == null) {
            return "1 = 1";
        }
        return idColumn + " IN (SELECT " + Names.quote(Names.ID) + " FROM " + Names.quote(Names.table(entity))
                + " WHERE " + condition.text + ")";
    }

    /** Binds the parameters of {@link #condition} from index {@code first}; returns the next free index. */
    public int bind(PreparedStatement statement, int first) throws SQLException {
        Sql condition = rows.condition();
        return condition == null ? first : Sql.bindAll(statement, condition.params, first);
    }

    /** The fields of the entity the actor may not see. */
    public Set<String> hiddenFields() {
        return hiddenFields;
    }

    /**
     * True if the actor may see {@code field}. Null stands for a field the metadata no longer names (a reason
     * recorded while a phase still had a reason field): only an actor who sees every field sees it.
     */
    public boolean sees(String field) {
        return field == null ? hiddenFields.isEmpty() : !hiddenFields.contains(field);
    }
}
