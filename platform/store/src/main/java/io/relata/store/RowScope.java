package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rows one call may reach, as a SQL condition on the owner columns: {@code own} is
 * {@code owner_user = <user>}, {@code team} adds {@code OR owner_team IN (<the user's teams>)}, {@code all}
 * adds nothing and {@code none} matches no row. The same rule in Java ({@link #includes}) decides about a
 * row already read.
 *
 * <p>Reading an entity whose access comes from a link ({@link EntityDefinition#readAccessFrom()}, decision
 * record 0003) adds a {@link Link}: a row whose link is set is readable by its owner and by whoever may read
 * the linked record — the linked entity's own read scope, as a sub-select; a row whose link is empty by the
 * scope alone. That part exists only in SQL: {@link #includes} is for update and delete scopes, which never
 * carry a link.
 */
record RowScope(AccessScope scope, long userId, List<Long> teamIds, Link link) {

    /** Every row: the system store and unrestricted actors. */
    static final RowScope ALL = new RowScope(AccessScope.ALL, 0, List.of(), null);

    /**
     * Read access through a link field.
     *
     * @param entity     the entity whose rows carry the link (its table is named to correlate with the linked rows)
     * @param field      the reference or record-link field
     * @param recordLink true for a record-link (entity and id columns), false for a reference
     * @param targets    the linked entities the actor may read, each with its own read scope
     */
    record Link(String entity, String field, boolean recordLink, Map<String, RowScope> targets) {
        Link {
            targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        }
    }

    RowScope {
        teamIds = List.copyOf(teamIds);
    }

    static RowScope of(AccessScope scope, Actor actor) {
        return scope == AccessScope.ALL ? ALL : new RowScope(scope, actor.userId(), actor.teamIds(), null);
    }

    /**
     * The rows of {@code entity} that {@code policy}'s actor reaches with {@code operation}: the role scopes, and
     * for reading an entity with {@code readAccessFrom} the {@link Link} to the records it is about.
     */
    static RowScope of(AccessPolicy policy, MetadataModel model, String entity, Operation operation) {
        AccessScope scope = policy.scope(entity, operation);
        if (operation != Operation.READ || scope == AccessScope.NONE || policy.unrestricted()) {
            return of(scope, policy.actor());
        }
        Set<String> path = new HashSet<>();
        path.add(entity);
        return readable(policy, model, entity, scope, path);
    }

    /** {@code path}: the entities whose link led here; a link back into it stops at the plain scope (cycles). */
    private static RowScope readable(AccessPolicy policy, MetadataModel model, String entity, AccessScope scope,
                                     Set<String> path) {
        Optional<FieldDefinition> field = model.entity(entity).flatMap(EntityDefinition::readAccessField)
                .filter(f -> f.type() == FieldType.RECORD_LINK || f.type() == FieldType.REFERENCE);
        if (field.isEmpty()) {
            return of(scope, policy.actor());
        }
        boolean recordLink = field.get().type() == FieldType.RECORD_LINK;
        List<String> candidates = recordLink ? new ArrayList<>(model.entities().keySet())
                : List.of(field.get().referenceEntity());
        Map<String, RowScope> targets = new LinkedHashMap<>();
        for (String target : candidates) {
            AccessScope targetScope = policy.scope(target, Operation.READ);
            if (targetScope == AccessScope.NONE) {
                continue;
            }
            if (path.add(target)) {
                targets.put(target, readable(policy, model, target, targetScope, path));
                path.remove(target);
            } else {
                targets.put(target, of(targetScope, policy.actor()));
            }
        }
        Actor actor = policy.actor();
        return new RowScope(scope, actor.userId(), actor.teamIds(), new Link(entity, field.get().name(), recordLink, targets));
    }

    /** The condition to AND into a WHERE over the entity's table (not aliased), or null if every row is in scope. */
    Sql condition() {
        return condition(null, 0);
    }

    /** The condition over the table named {@code qualifier} in the SQL (an alias), or null if every row is in scope. */
    Sql condition(String qualifier) {
        return condition(qualifier, 0);
    }

    /**
     * The condition over the rows of {@code qualifier} (the table's alias; null: the table by its name). A linked
     * record's scope is an {@code EXISTS} correlated on the link column, so the database probes the linked table by
     * its primary key for each row (an {@code IN (SELECT …)} inside the OR made it hash every linked row in scope
     * on each query: 14–23 ms per activity query of a rep at 1M records, 3 ms as EXISTS).
     */
    private Sql condition(String qualifier, int depth) {
        Sql plain = ownerCondition();
        if (link == null) {
            return plain;
        }
        String table = qualifier != null ? qualifier : Names.quote(Names.table(link.entity()));
        String linkColumn = table + "." + Names.quote(link.field());
        Sql sql = new Sql().append(Names.quote(Names.OWNER_USER) + " = ").param(FieldType.INTEGER, userId);
        if (scope != AccessScope.NONE) {
            sql.append(" OR (" + linkColumn + " IS NULL");
            appendAnd(sql, plain);
            sql.append(")");
        }
        List<String> everyRow = new ArrayList<>();
        String linked = Names.quote("l" + depth); // the linked table's alias: it may be this very table (activity → activity)
        for (Map.Entry<String, RowScope> target : link.targets().entrySet()) {
            Sql targetRows = target.getValue().condition(linked, depth + 1);
            if (targetRows == null) {
                everyRow.add(target.getKey());
                continue;
            }
            sql.append(" OR (");
            if (link.recordLink()) {
                sql.append(table + "." + Names.quote(Names.linkEntityColumn(link.field())) + " = ")
                        .param(FieldType.TEXT, target.getKey()).append(" AND ");
            }
            // the target's own owner columns are written unqualified: inside the EXISTS they are the linked row's
            sql.append("EXISTS (SELECT 1 FROM " + Names.quote(Names.table(target.getKey())) + " " + linked + " WHERE "
                    + linked + "." + Names.quote(Names.ID) + " = " + linkColumn + " AND (");
            sql.append(targetRows.text.toString());
            sql.params.addAll(targetRows.params);
            sql.append(")))");
        }
        if (!everyRow.isEmpty()) {
            if (link.recordLink()) {
                sql.append(" OR " + table + "." + Names.quote(Names.linkEntityColumn(link.field())) + " IN (");
                for (int i = 0; i < everyRow.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").param(FieldType.TEXT, everyRow.get(i));
                }
                sql.append(")");
            } else {
                sql.append(" OR " + linkColumn + " IS NOT NULL");
            }
        }
        return sql;
    }

    /**
     * {@link #condition()} as disjoint parts whose union is the same rows, each a condition one index in the list
     * order can serve: for a team scope, the user's own rows ({@code owner_user}) and one part per team
     * ({@code owner_team = t}, the user's own rows left out). An OR of them would make the database read and sort
     * every row in scope; as branches of a UNION ALL each is read in order and stops after a page. Other scopes
     * are one part: the condition itself, or null for every row.
     */
    List<Sql> parts() {
        if (link != null || scope != AccessScope.TEAM || teamIds.isEmpty()) {
            return java.util.Collections.singletonList(condition());
        }
        String user = Names.quote(Names.OWNER_USER);
        List<Sql> parts = new ArrayList<>();
        parts.add(new Sql().append(user + " = ").param(FieldType.INTEGER, userId));
        for (Long team : new java.util.LinkedHashSet<>(teamIds)) {
            parts.add(new Sql().append(Names.quote(Names.OWNER_TEAM) + " = ").param(FieldType.INTEGER, team)
                    .append(" AND (" + user + " IS NULL OR " + user + " <> ").param(FieldType.INTEGER, userId).append(")"));
        }
        return parts;
    }

    /**
     * {@link #condition()} as disjoint parts for an aggregate, whose union is the same rows: for a team scope, the
     * teams' rows ({@code owner_team IN (…)}) and the user's own rows outside these teams. A team's rows are most of
     * what a team scope reads, and a composite index that starts with {@code owner_team} and holds the aggregated
     * columns answers them without reading the table; the user's own rows outside their teams are usually none, and
     * the {@code (owner_user, owner_team)} index finds that out without reading a row, because "outside" is written
     * as ranges of {@code owner_team} (an index cannot seek a {@code NOT IN}). As one OR the database reads every row
     * of the team from the table: on a synthetic table of 1M opportunities a rep's funnel took 211-250 ms as an OR,
     * 36-41 ms as these parts (PostgreSQL 15, EXPLAIN ANALYZE; bench/README.md has the benchmark's). Other scopes are one part: the condition itself, or null for every row.
     */
    List<Sql> aggregateParts() {
        if (link != null || scope != AccessScope.TEAM || teamIds.isEmpty()) {
            return java.util.Collections.singletonList(condition());
        }
        // The ids are numbers of the actor, written as literals: a statement PostgreSQL has planned once for any
        // value of its parameters (after a few executions) cannot see that the user's own rows lie in their teams
        // and reads them all (won revenue per month of a rep at 1M opportunities: 31 ms with parameters, 17 ms with literals).
        List<String> teams = new java.util.TreeSet<>(teamIds).stream().map(String::valueOf).toList();
        String user = Names.quote(Names.OWNER_USER);
        String team = Names.quote(Names.OWNER_TEAM);
        Sql teamRows = new Sql().append(team + " IN (" + String.join(", ", teams) + ")");
        StringBuilder outside = new StringBuilder(team + " IS NULL OR " + team + " < " + teams.get(0));
        for (int i = 1; i < teams.size(); i++) {
            outside.append(" OR (" + team + " > " + teams.get(i - 1) + " AND " + team + " < " + teams.get(i) + ")");
        }
        outside.append(" OR " + team + " > " + teams.get(teams.size() - 1));
        Sql ownRows = new Sql().append(user + " = " + userId + " AND (" + outside + ")");
        return List.of(teamRows, ownRows);
    }

    /** The role scope alone, on the owner columns. */
    private Sql ownerCondition() {
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

    private static void appendAnd(Sql sql, Sql condition) {
        if (condition != null) {
            sql.append(" AND (").append(condition.text.toString()).append(")");
            sql.params.addAll(condition.params);
        }
    }

    /** Appends {@code " AND (<condition>)"} unless every row is in scope. */
    void andTo(Sql sql) {
        appendAnd(sql, condition());
    }

    /** The role scope in Java, for a row already read; not for scopes with a {@link Link} (SQL only). */
    boolean includes(Record record) {
        if (link != null) {
            throw new IllegalStateException("a read scope through links is decided in SQL only");
        }
        boolean own = record.ownerUser() != null && record.ownerUser() == userId;
        return switch (scope) {
            case ALL -> true;
            case NONE -> false;
            case OWN -> own;
            case TEAM -> own || (record.ownerTeam() != null && teamIds.contains(record.ownerTeam()));
        };
    }
}
