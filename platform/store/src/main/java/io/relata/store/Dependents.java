package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which stored values depend on a record that was just written, from the {@code dependsOn} paths of computed and
 * score rules ({@link RuleDefinition#dependsOn()}, docs/metadata.md):
 * <ul>
 *   <li>{@code reference.field}: when {@code field} of a record changes, the records whose {@code reference} points
 *       to it;</li>
 *   <li>{@code entity.reference}: when a record of {@code entity} is created, changed or deleted, the records its
 *       {@code reference} pointed to before and points to after.</li>
 * </ul>
 * They are recomputed in the write's transaction with the platform's rights (decided by the store). Two bounds keep
 * a write finite and nothing stale: more than {@link #MAX_RECORDS} dependents of one change, or dependents whose
 * recomputation causes further recomputations more than {@link #MAX_DEPTH} times in a row (a circle), refuse the
 * write as a whole.
 */
final class Dependents {

    /** Most records one change may recompute. */
    static final int MAX_RECORDS = 1000;
    /** Most recomputations that may cause one another in a row. */
    static final int MAX_DEPTH = 8;
    static final String TOO_MANY = "too_many_dependents";

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Dependents() {
    }

    /** Work on the write's connection. */
    interface Work {
        void run() throws SQLException;
    }

    /**
     * The records to recompute after {@code changed} went from {@code before} (null: created) to {@code after}
     * (null: deleted), by entity.
     *
     * @throws ValidationException when one change has more than {@link #MAX_RECORDS} of them
     */
    static Map<EntityDefinition, Set<Long>> of(Connection c, MetadataModel model, EntityDefinition changed, Record before,
                                               Record after) throws SQLException {
        Map<EntityDefinition, Set<Long>> targets = new LinkedHashMap<>();
        for (EntityDefinition dependent : model.entities().values()) {
            for (RuleDefinition rule : dependent.rules()) {
                for (String path : rule.dependsOn()) {
                    int dot = path.indexOf('.');
                    if (dot < 0) {
                        continue;
                    }
                    String first = path.substring(0, dot);
                    String second = path.substring(dot + 1);
                    Optional<FieldDefinition> reference = dependent.field(first)
                            .filter(f -> f.type() == FieldType.REFERENCE && changed.name().equals(f.referenceEntity()));
                    if (reference.isPresent() && changed.field(second).isPresent()) {
                        if (before != null && after != null
                                && !JdbcRecordStore.sameValue(before.get(second), after.get(second))) {
                            add(targets, dependent, pointingTo(c, dependent, first, after.id(), rule, path));
                        }
                    } else if (first.equals(changed.name()) && changed.field(second)
                            .filter(f -> f.type() == FieldType.REFERENCE && dependent.name().equals(f.referenceEntity()))
                            .isPresent()) {
                        Set<Long> ids = new LinkedHashSet<>();
                        for (Record side : new Record[] {before, after}) {
                            if (side != null && side.get(second) instanceof Number id) {
                                ids.add(id.longValue());
                            }
                        }
                        add(targets, dependent, ids);
                    }
                }
            }
        }
        return targets;
    }

    private static void add(Map<EntityDefinition, Set<Long>> targets, EntityDefinition dependent, Set<Long> ids) {
        if (!ids.isEmpty()) {
            targets.computeIfAbsent(dependent, d -> new LinkedHashSet<>()).addAll(ids);
        }
    }

    /** The ids of the records of {@code dependent} whose {@code reference} holds {@code id}, at most the bound. */
    private static Set<Long> pointingTo(Connection c, EntityDefinition dependent, String reference, long id,
                                        RuleDefinition rule, String path) throws SQLException {
        Sql sql = new Sql().append("SELECT " + Names.quote(Names.ID) + " FROM " + JdbcRecordStore.table(dependent)
                + " WHERE " + Names.quote(reference) + " = ").param(FieldType.INTEGER, id)
                .append(" ORDER BY " + Names.quote(Names.ID) + " FETCH FIRST " + (MAX_RECORDS + 1) + " ROWS ONLY");
        Set<Long> ids = new LinkedHashSet<>();
        try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        if (ids.size() > MAX_RECORDS) {
            throw new ValidationException(java.util.List.of(new FieldError(null, TOO_MANY, LocalizedText.format(
                    "Diese Änderung würde mehr als {0} Datensätze von {1} neu berechnen (die Regel '{2}' hängt von {3}"
                    + " ab); nichts wurde gespeichert. Ein Administrator kann die Abhängigkeit entfernen, oder Sie ändern"
                    + " in kleineren Schritten", "This change would recompute more than {0} {1} records (the rule '{2}'"
                    + " depends on {3}); nothing was saved. An administrator can remove the dependency or make the change"
                    + " in smaller steps", MAX_RECORDS, dependent.label(), rule.name(), path))));
        }
        return ids;
    }

    /**
     * Runs a round of recomputations caused by a write of {@code entity}, refusing the write once rounds cause each
     * other more than {@link #MAX_DEPTH} times in a row.
     */
    static void nested(EntityDefinition entity, Work work) throws SQLException {
        int[] depth = DEPTH.get();
        if (depth[0] >= MAX_DEPTH) {
            throw new ValidationException(java.util.List.of(new FieldError(null, TOO_MANY, LocalizedText.format(
                    "Die Änderung dieses Datensatzes ({0}) berechnet Werte neu, die mehr als {1}-mal hintereinander weitere"
                    + " Werte neu berechnen (ihre dependsOn-Pfade bilden einen Kreis); nichts wurde gespeichert. Ein"
                    + " Administrator muss den Kreis auflösen", "Changing this {0} recomputes values that recompute"
                    + " further values more than {1} times in a row (their dependsOn paths form a circle); nothing was"
                    + " saved. An administrator must break the circle", entity.label(), MAX_DEPTH))));
        }
        depth[0]++;
        try {
            work.run();
        } finally {
            depth[0]--;
        }
    }

    /** Whether the rules, run on the stored record as the system, set any value other than the stored one. */
    static boolean stale(Connection c, MetadataModel model, EntityDefinition entity, Record current, RecordRules rules,
                         ValueConverter converter) {
        Map<String, Object> values = Collections.unmodifiableMap(current.values());
        RuleOutcome outcome = rules.evaluate(new RuleInput(entity, values, values, Actor.SYSTEM,
                new RuleLookup(c, model, AccessGuard.NONE), current.id()));
        if (outcome == null) {
            return false;
        }
        for (Map.Entry<String, Object> set : outcome.values().entrySet()) {
            Optional<FieldDefinition> field = entity.field(set.getKey());
            boolean derived = entity.rules().stream().anyMatch(r -> (r.kind() == RuleKind.COMPUTED || r.kind() == RuleKind.SCORE)
                    && (set.getKey().equals(r.field()) || set.getKey().equals(r.reasonsField())));
            if (field.isEmpty() || !derived) {
                continue;
            }
            try {
                Object value = converter.convertWithoutLimits(field.get(), RuleFields.prepare(field.get(), set.getValue()));
                if (!JdbcRecordStore.sameValue(value, current.get(set.getKey()))) {
                    return true;
                }
            } catch (InvalidValueException e) {
                return true; // the write reports it
            }
        }
        return false;
    }
}
