package io.relata.store;

import io.relata.api.model.FieldType;
import io.relata.api.record.Record;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import java.util.List;

/**
 * The rows one call may reach, as a SQL condition on the owner columns: {@code own} is
 * {@code owner_user = <user>}, {@code team} adds {@code OR owner_team IN (<the user's teams>)}, {@code all}
 * adds nothing and {@code none} matches no row. The same rule in Java ({@link #includes}) decides about a
 * row already read.
 */
record RowScope(AccessScope scope, long userId, List<Long> teamIds) {

    /** Every row: the system store and unrestricted actors. */
    static final RowScope ALL = new RowScope(AccessScope.ALL, 0, List.of());

    RowScope {
        teamIds = List.copyOf(teamIds);
    }

    static RowScope of(AccessScope scope, Actor actor) {
        return scope == AccessScope.ALL ? ALL : new RowScope(scope, actor.userId(), actor.teamIds());
    }

    /** The condition to AND into a WHERE, or null if every row is in scope. */
    Sql condition() {
        String user = Names.quote(Names.OWNER_USER);
        return switch (scope) {
            case ALL -> null;
            case NONE -> new Sql().append("1 = 0");
            case OWN -> new Sql().append(user + " = ").param(FieldType.INTEGER, userId);
            case TEAM -> {
                Sql sql = new Sql().append(user + " = ").param(FieldType.INTEGER, userId);
                if (!teamIds.isEmpty()) {
                    sql.append(" OR " + Names.quote(Names.OWNER_TEAM) + " IN (");
                    for (int i = 0; i < teamIds.size(); i++) {
                        sql.append(i == 0 ? "" : ", ").param(FieldType.INTEGER, teamIds.get(i));
                    }
                    sql.append(")");
                }
                yield sql;
            }
        };
    }

    /** Appends {@code " AND (<condition>)"} unless every row is in scope. */
    void andTo(Sql sql) {
        Sql condition = condition();
        if (condition != null) {
            sql.append(" AND (").append(condition.text.toString()).append(")");
            sql.params.addAll(condition.params);
        }
    }

    boolean includes(Record record) {
        boolean own = record.ownerUser() != null && record.ownerUser() == userId;
        return switch (scope) {
            case ALL -> true;
            case NONE -> false;
            case OWN -> own;
            case TEAM -> own || (record.ownerTeam() != null && teamIds.contains(record.ownerTeam()));
        };
    }
}
