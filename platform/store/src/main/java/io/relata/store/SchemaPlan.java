package io.relata.store;

import java.util.List;

/**
 * What it takes to bring a database in line with a metadata model: the {@link #changes()} to apply in
 * order (tables, columns, extensions, indexes, then foreign keys, so references work in any order) and the
 * {@link #warnings()}: differences the planner will not touch (it never drops or narrows anything).
 */
public record SchemaPlan(SqlDialect dialect, List<SchemaChange> changes, List<String> warnings, List<String> conflicts) {

    public SchemaPlan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        conflicts = List.copyOf(conflicts);
    }

    public SchemaPlan(SqlDialect dialect, List<SchemaChange> changes, List<String> warnings) {
        this(dialect, changes, warnings, List.of());
    }

    /**
     * Columns whose existing type cannot hold the metadata's values (a text column for an integer field, a
     * numeric column with fewer digits). A model with conflicts must not be put in force: reads and writes
     * of that entity would fail. They need a manual migration or a metadata change.
     */
    public boolean hasConflicts() {
        return !conflicts.isEmpty();
    }

    /** True if there is nothing to apply (there may still be warnings). */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Every statement of every change, in order. */
    public List<String> statements() {
        return changes.stream().flatMap(c -> c.sql().stream()).toList();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Schema plan for ").append(dialect).append(": ");
        if (changes.isEmpty()) {
            text.append("no changes");
        } else {
            text.append(changes.size()).append(changes.size() == 1 ? " change" : " changes");
        }
        for (String conflict : conflicts) {
            text.append("\n  ! ").append(conflict);
        }
        for (SchemaChange change : changes) {
            text.append("\n  - ").append(change.describe());
            for (String sql : change.sql()) {
                text.append("\n      ").append(sql).append(';');
            }
        }
        if (!warnings.isEmpty()) {
            text.append("\nWarnings (not changed):");
            for (String warning : warnings) {
                text.append("\n  ! ").append(warning);
            }
        }
        return text.toString();
    }
}
