package io.relata.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a {@link SchemaPlan}. Each change says in a sentence what it does ({@link #describe()}), which
 * statements do it ({@link #sql()}) and which statements take it back ({@link #undo()}). Changes only add, widen,
 * or drop what holds no data (a constraint, an index, a column without values); dropping data is never planned
 * (orphans are dropped by an administrator, one by one: {@link SchemaMigrator#dropOrphan}).
 */
public sealed interface SchemaChange {

    /** A sentence for the admin reviewing the plan; names tables and columns, never SQL. */
    String describe();

    /** The statements, in order, without trailing semicolons. */
    List<String> sql();

    /**
     * Statements that take this change back once it was applied, in order: run on a database that commits DDL
     * at once (H2) when a later statement of the same plan fails. Empty if there is nothing to take back.
     */
    List<String> undo();

    /** A new record table with its system columns and one column per field. */
    record CreateTable(String table, int columnCount, String statement) implements SchemaChange {
        @Override
        public String describe() {
            return "Create table " + table + " with " + columnCount + " columns";
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of("DROP TABLE " + Names.quote(table));
        }
    }

    /**
     * A new column on an existing table. {@code note} says what it means for existing rows (e.g. how many
     * lack a required value), or is null.
     */
    record AddColumn(String table, String column, String columnType, String note, String statement)
            implements SchemaChange {
        @Override
        public String describe() {
            return "Add column " + table + "." + column + " " + columnType + (note == null ? "" : " (" + note + ")");
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of(alterTable(table) + " DROP COLUMN " + Names.quote(column));
        }
    }

    /** A text column made longer (the field's maxLength grew), or a numeric one given more digits. */
    record WidenColumn(String table, String column, String fromType, String toType, String statement)
            implements SchemaChange {
        @Override
        public String describe() {
            return "Widen column " + table + "." + column + " from " + fromType + " to " + toType;
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of(alterTable(table) + " ALTER COLUMN " + Names.quote(column) + " SET DATA TYPE " + fromType);
        }
    }

    /**
     * A column whose field changed to a type of another kind (text to date, integer to decimal) while no record
     * holds a value in it: dropped with its indexes and foreign key and added again with the new type. The
     * planner checks it is empty first; with values it is a {@link SchemaConflict} instead.
     *
     * @param indexes     the column's own indexes, dropped with it (restored by {@link #undo()})
     * @param foreignKey  the column's foreign key, or null
     */
    record RecreateColumn(String table, String column, String fromType, String toType, List<ColumnIndex> indexes,
                          ColumnForeignKey foreignKey) implements SchemaChange {
        public RecreateColumn {
            indexes = List.copyOf(indexes);
        }

        @Override
        public String describe() {
            return "Recreate the empty column " + table + "." + column + " as " + toType + " (was " + fromType + ")";
        }

        @Override
        public List<String> sql() {
            List<String> sql = new ArrayList<>();
            if (foreignKey != null) {
                sql.add(foreignKey.dropStatement());
            }
            indexes.forEach(index -> sql.add(index.dropStatement()));
            sql.add(alterTable(table) + " DROP COLUMN " + Names.quote(column));
            sql.add(alterTable(table) + " ADD COLUMN " + Names.quote(column) + " " + toType);
            return sql;
        }

        @Override
        public List<String> undo() {
            List<String> undo = new ArrayList<>();
            undo.add(alterTable(table) + " DROP COLUMN " + Names.quote(column));
            undo.add(alterTable(table) + " ADD COLUMN " + Names.quote(column) + " " + fromType);
            indexes.forEach(index -> undo.add(index.createStatement()));
            if (foreignKey != null) {
                undo.add(foreignKey.addStatement());
            }
            return undo;
        }
    }

    /**
     * The sequence that numbers an {@code autoNumber} field. Dropped again if the plan fails: on H2 the DDL commits
     * on its own.
     */
    record CreateSequence(String name, String table, String column, String statement) implements SchemaChange {
        @Override
        public String describe() {
            return "Create sequence " + name + " for the numbers of " + table + "." + column;
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of("DROP SEQUENCE IF EXISTS " + Names.quote(name));
        }
    }

    /**
     * The table of the counters of gapless numbers ({@link NumberCounters}), created with the first field that counts
     * without gaps.
     */
    record CreateNumberCounters(String table, String statement) implements SchemaChange {
        @Override
        public String describe() {
            return "Create table " + table + " for numbers without gaps";
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of("DROP TABLE IF EXISTS " + Names.quote(table));
        }
    }

    /** A database extension the indexes need (pg_trgm on PostgreSQL, whose DDL is transactional: no undo). */
    record CreateExtension(String extension, String schema, String statement) implements SchemaChange {
        @Override
        public String describe() {
            return "Create extension " + extension + " in schema " + schema;
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of();
        }
    }

    /**
     * An index: {@code kind} is {@code unique}, {@code plain}, {@code trigram} or {@code composite} ({@code column}
     * then lists the keys, e.g. {@code status, received_at DESC, id DESC}).
     *
     * @param concurrently built with {@code CREATE INDEX CONCURRENTLY} (PostgreSQL, a table with rows: writes go on
     *                     while it is built): {@link SchemaMigrator} runs it after the rest of the plan is committed,
     *                     outside any transaction, and drops it again if the build fails
     */
    record CreateIndex(String name, String table, String column, String kind, String statement, boolean concurrently)
            implements SchemaChange {

        /** An index built inside the plan's transaction. */
        public CreateIndex(String name, String table, String column, String kind, String statement) {
            this(name, table, column, kind, statement, false);
        }

        @Override
        public String describe() {
            return "Create " + kind + " index " + name + " on " + table + (kind.equals("composite") ? " (" + column + ")"
                    : "." + column) + (concurrently ? ", concurrently after the other changes" : "");
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of("DROP INDEX " + Names.quote(name));
        }
    }

    /**
     * Statistics over the combinations of values of several columns (PostgreSQL's {@code CREATE STATISTICS … (mcv)}),
     * gathered at once by an {@code ANALYZE} of the table: without them the planner takes the columns as independent.
     */
    record CreateStatistics(String name, String table, List<String> columns, List<String> statements)
            implements SchemaChange {
        @Override
        public String describe() {
            return "Create statistics " + name + " on " + table + " (" + String.join(", ", columns)
                    + ": which values occur together)";
        }

        @Override
        public List<String> sql() {
            return statements;
        }

        @Override
        public List<String> undo() {
            return List.of("DROP STATISTICS IF EXISTS " + Names.quote(name));
        }
    }

    /** The unique index of a field that is no longer unique: the database would refuse values the metadata allows. */
    record DropIndex(ColumnIndex index) implements SchemaChange {
        @Override
        public String describe() {
            return "Drop " + (index.unique() ? "unique " : "") + "index " + index.name() + " on " + index.table() + "."
                    + index.column();
        }

        @Override
        public List<String> sql() {
            return List.of(index.dropStatement());
        }

        @Override
        public List<String> undo() {
            return List.of(index.createStatement());
        }
    }

    /** A foreign key from a reference column to the referenced table's id. */
    record AddForeignKey(String name, String table, String column, String referencedTable, String statement)
            implements SchemaChange {
        @Override
        public String describe() {
            return "Add foreign key " + name + " from " + table + "." + column + " to " + referencedTable + ".id";
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }

        @Override
        public List<String> undo() {
            return List.of(alterTable(table) + " DROP CONSTRAINT " + Names.quote(name));
        }
    }

    /**
     * A foreign key that no longer fits the metadata: the field references another entity now (and no record
     * holds a value), or is no longer a reference.
     */
    record DropForeignKey(ColumnForeignKey foreignKey) implements SchemaChange {
        @Override
        public String describe() {
            return "Drop foreign key " + foreignKey.name() + " from " + foreignKey.table() + "." + foreignKey.column()
                    + " to " + foreignKey.referencedTable() + ".id";
        }

        @Override
        public List<String> sql() {
            return List.of(foreignKey.dropStatement());
        }

        @Override
        public List<String> undo() {
            return List.of(foreignKey.addStatement());
        }
    }

    /**
     * An index on a column, as far as dropping and re-creating it goes: on the column alone, or (a composite index)
     * on {@code keys}, SQL index keys of which the column is one.
     */
    record ColumnIndex(String name, String table, String column, boolean unique, String keys) {

        ColumnIndex(String name, String table, String column, boolean unique) {
            this(name, table, column, unique, null);
        }

        String dropStatement() {
            return "DROP INDEX " + Names.quote(name);
        }

        String createStatement() {
            return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + Names.quote(name) + " ON " + Names.quote(table)
                    + " (" + (keys == null ? Names.quote(column) : keys) + ")";
        }
    }

    /** A foreign key on one column to a table's id. */
    record ColumnForeignKey(String name, String table, String column, String referencedTable) {
        String dropStatement() {
            return alterTable(table) + " DROP CONSTRAINT " + Names.quote(name);
        }

        String addStatement() {
            return alterTable(table) + " ADD CONSTRAINT " + Names.quote(name) + " FOREIGN KEY (" + Names.quote(column)
                    + ") REFERENCES " + Names.quote(referencedTable) + " (" + Names.quote(Names.ID) + ")";
        }
    }

    private static String alterTable(String table) {
        return "ALTER TABLE " + Names.quote(table);
    }
}
