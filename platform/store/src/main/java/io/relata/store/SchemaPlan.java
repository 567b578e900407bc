package io.relata.store;

import java.util.List;

/**
 * What it takes to bring a database in line with a metadata model: the {@link #changes()} to apply in order
 * (dropped constraints, tables, columns, extensions, indexes, then foreign keys, so references work in any
 * order), the {@link #conflicts()} with stored data that forbid applying it, the {@link #orphans()} (tables and
 * columns no metadata names, kept with their data) and the {@link #warnings()} (what the admin should know).
 */
public record SchemaPlan(SqlDialect dialect, List<SchemaChange> changes, List<String> warnings,
                         List<SchemaConflict> conflicts, List<Orphan> orphans) {

    /**
     * A table (column null) or column that no metadata names any more: an entity or field that was removed or
     * renamed. Kept with its data until an administrator drops it ({@link SchemaMigrator#dropOrphan}).
     *
     * @param values the table's rows, or the column's non-empty values
     */
    public record Orphan(String table, String column, long values) {

        public boolean isTable() {
            return column == null;
        }

        /** E.g. {@code table rec_task (12 rows)} or {@code column rec_account.phone (3 values)}. */
        public String describe() {
            return isTable() ? "table " + table + " (" + values + (values == 1 ? " row)" : " rows)")
                    : "column " + table + "." + column + " (" + values + (values == 1 ? " value)" : " values)");
        }
    }

    public SchemaPlan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        conflicts = List.copyOf(conflicts);
        orphans = List.copyOf(orphans);
    }

    public SchemaPlan(SqlDialect dialect, List<SchemaChange> changes, List<String> warnings) {
        this(dialect, changes, warnings, List.of(), List.of());
    }

    /**
     * Stored data contradicts the model (duplicates for a new unique index, values of another type, options in
     * use …). A plan with conflicts must not be applied and its model must not be put in force.
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
        for (SchemaConflict conflict : conflicts) {
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
