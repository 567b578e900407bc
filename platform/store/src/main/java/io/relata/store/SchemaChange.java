package io.relata.store;

import java.util.List;

/**
 * One step of a {@link SchemaPlan}: something the planner will add or widen, never drop. Each change says
 * in a sentence what it does ({@link #describe()}) and which statements do it ({@link #sql()}).
 */
public sealed interface SchemaChange {

    /** A sentence for the admin reviewing the plan. */
    String describe();

    /** The statements, in order, without trailing semicolons. */
    List<String> sql();

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
    }

    /** A text column made longer because the field's maxLength grew. */
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
    }

    /** A database extension the indexes need (pg_trgm on PostgreSQL). */
    record CreateExtension(String extension, String schema, String statement) implements SchemaChange {
        @Override
        public String describe() {
            return "Create extension " + extension + " in schema " + schema;
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
        }
    }

    /** An index: {@code kind} is {@code unique}, {@code plain} or {@code trigram}. */
    record CreateIndex(String name, String table, String column, String kind, String statement)
            implements SchemaChange {
        @Override
        public String describe() {
            return "Create " + kind + " index " + name + " on " + table + "." + column;
        }

        @Override
        public List<String> sql() {
            return List.of(statement);
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
    }
}
