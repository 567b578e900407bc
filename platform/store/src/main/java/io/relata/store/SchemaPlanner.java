package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.store.DatabaseSchema.Column;
import io.relata.store.DatabaseSchema.Family;
import io.relata.store.SchemaChange.AddColumn;
import io.relata.store.SchemaChange.AddForeignKey;
import io.relata.store.SchemaChange.CreateExtension;
import io.relata.store.SchemaChange.CreateIndex;
import io.relata.store.SchemaChange.CreateTable;
import io.relata.store.SchemaChange.WidenColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a {@link MetadataModel} with the record tables the database has and plans what to add: tables,
 * columns, wider text columns, indexes, foreign keys and (PostgreSQL) the pg_trgm extension. It never plans
 * to drop or narrow anything; such differences become {@link SchemaPlan#warnings()}. Planning only reads.
 *
 * <p>{@code required} is not a {@code NOT NULL} constraint (the record store checks it), so adding a
 * required field to a table with rows always works; the plan says how many rows lack the value.
 */
public final class SchemaPlanner {

    private static final String TRGM = "pg_trgm";
    private static final List<String> OWNER_COLUMNS = List.of(Names.OWNER_USER, Names.OWNER_TEAM);
    /** Owner columns hold user and team ids; no foreign key, the users and teams tables are not ours. */
    private static final String OWNER_TYPE = "BIGINT";

    /** Plans the changes that bring the connection's current schema in line with {@code model}. */
    public SchemaPlan plan(MetadataModel model, Connection connection) {
        try {
            return new Run(model, connection).plan();
        } catch (SQLException e) {
            throw new StoreException(null, "plan schema", e);
        }
    }

    /** The state of one planning run. */
    private static final class Run {
        private final MetadataModel model;
        private final Connection connection;
        private final SqlDialect dialect;
        private final DatabaseSchema db;
        private final List<SchemaChange> tables = new ArrayList<>();
        private final List<SchemaChange> columns = new ArrayList<>();
        private final List<SchemaChange> extensions = new ArrayList<>();
        private final List<SchemaChange> indexes = new ArrayList<>();
        private final List<SchemaChange> foreignKeys = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<String> conflicts = new ArrayList<>();
        /** Schema holding pg_trgm's operator classes once known; null if trigram indexes are off. */
        private String trigramSchema;
        private boolean trigramChecked;

        Run(MetadataModel model, Connection connection) throws SQLException {
            this.model = model;
            this.connection = connection;
            this.dialect = SqlDialect.detect(connection);
            this.db = DatabaseSchema.read(connection);
        }

        SchemaPlan plan() throws SQLException {
            Set<String> modelTables = new HashSet<>();
            for (EntityDefinition entity : model.allEntities()) {
                String table = Names.table(entity.name());
                modelTables.add(table);
                List<FieldDefinition> fields = usableFields(entity);
                if (db.hasTable(table)) {
                    planExistingTable(entity, table, fields);
                } else {
                    planNewTable(table, fields);
                }
                planOwnerColumns(table);
                for (FieldDefinition field : fields) {
                    planIndexes(table, field);
                    if (field.type() == FieldType.REFERENCE) {
                        planForeignKey(table, field);
                    }
                }
            }
            for (String table : db.tables.keySet()) {
                if (!modelTables.contains(table)) {
                    warnings.add("Table " + table + " has no entity in the metadata (entity removed?); kept with its data");
                }
            }
            List<SchemaChange> changes = new ArrayList<>();
            changes.addAll(tables);
            changes.addAll(columns);
            changes.addAll(extensions);
            changes.addAll(indexes);
            changes.addAll(foreignKeys);
            return new SchemaPlan(dialect, changes, warnings, conflicts);
        }

        /** One column per field; a record-link has two: its id (the field's name) and its entity. */
        private List<FieldDefinition> usableFields(EntityDefinition entity) {
            List<FieldDefinition> fields = new ArrayList<>();
            for (FieldDefinition field : entity.fields()) {
                if (Names.isSystemColumn(field.name())) {
                    warnings.add("Field " + entity.name() + "." + field.name()
                            + " has the name of a system column; no column is made for it (rename the field)");
                } else {
                    fields.add(field);
                    if (field.type() == FieldType.RECORD_LINK) {
                        fields.add(linkEntityColumn(field));
                    }
                }
            }
            return fields;
        }

        /** The entity column of a record-link, as a text field of entity-name length. */
        private static FieldDefinition linkEntityColumn(FieldDefinition link) {
            return new FieldDefinition(Names.linkEntityColumn(link.name()), link.label(), FieldType.TEXT, false, false,
                    false, false, false, 40, null, null, List.of(), null, null, null, link.location());
        }

        private void planNewTable(String table, List<FieldDefinition> fields) {
            StringBuilder sql = new StringBuilder("CREATE TABLE ").append(Names.quote(table)).append(" (")
                    .append(Names.quote(Names.ID)).append(" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, ")
                    .append(Names.quote(Names.VERSION)).append(" BIGINT NOT NULL, ")
                    .append(Names.quote(Names.CREATED_AT)).append(" TIMESTAMP WITH TIME ZONE NOT NULL, ")
                    .append(Names.quote(Names.UPDATED_AT)).append(" TIMESTAMP WITH TIME ZONE NOT NULL");
            for (String owner : OWNER_COLUMNS) {
                sql.append(", ").append(Names.quote(owner)).append(' ').append(OWNER_TYPE);
            }
            for (FieldDefinition field : fields) {
                sql.append(", ").append(Names.quote(field.name())).append(' ').append(dialect.columnType(field));
            }
            sql.append(')');
            tables.add(new CreateTable(table, fields.size() + Names.SYSTEM_COLUMNS.size(), sql.toString()));
        }

        /**
         * The owner columns (record-level access) on an existing table: added if missing (tables made before
         * access control), always indexed, since every restricted query filters on them.
         */
        private void planOwnerColumns(String table) throws SQLException {
            Map<String, Column> existing = db.tables.get(table);
            for (String owner : OWNER_COLUMNS) {
                if (existing != null && !existing.containsKey(owner)) {
                    columns.add(new AddColumn(table, owner, OWNER_TYPE, "existing rows get no owner: only roles "
                            + "that see all records reach them", "ALTER TABLE " + Names.quote(table)
                            + " ADD COLUMN " + Names.quote(owner) + " " + OWNER_TYPE));
                }
                String name = Names.index(table, owner);
                if (!db.indexes(table).contains(name)) {
                    indexes.add(new CreateIndex(name, table, owner, "plain", "CREATE INDEX " + Names.quote(name)
                            + " ON " + Names.quote(table) + " (" + Names.quote(owner) + ")"));
                }
            }
        }

        private void planExistingTable(EntityDefinition entity, String table, List<FieldDefinition> fields)
                throws SQLException {
            Map<String, Column> existing = db.tables.get(table);
            for (String system : List.of(Names.ID, Names.VERSION, Names.CREATED_AT, Names.UPDATED_AT)) {
                if (!existing.containsKey(system)) {
                    warnings.add("Table " + table + " lacks the system column " + system
                            + "; records of " + entity.name() + " cannot be stored until it is added by hand");
                }
            }
            Long rowCount = null;
            Set<String> fieldNames = new HashSet<>();
            for (FieldDefinition field : fields) {
                fieldNames.add(field.name());
                Column column = existing.get(field.name());
                String type = dialect.columnType(field);
                if (column == null) {
                    String note = null;
                    if (field.required()) {
                        if (rowCount == null) {
                            rowCount = count("SELECT COUNT(*) FROM " + Names.quote(table));
                        }
                        if (rowCount > 0) {
                            note = rowCount + " existing " + (rowCount == 1 ? "row has" : "rows have")
                                    + " no value yet; they must be filled in on their next edit";
                        }
                    }
                    columns.add(new AddColumn(table, field.name(), type, note, "ALTER TABLE " + Names.quote(table)
                            + " ADD COLUMN " + Names.quote(field.name()) + " " + type));
                } else {
                    compareColumn(table, field, column, type);
                }
            }
            for (String column : existing.keySet()) {
                if (!Names.isSystemColumn(column) && !fieldNames.contains(column)) {
                    warnings.add("Column " + table + "." + column
                            + " is not in the metadata (field removed?); kept with its data");
                }
            }
        }

        private void compareColumn(String table, FieldDefinition field, Column column, String type) {
            Family expected = expectedFamily(field.type());
            String where = "Column " + table + "." + column.name();
            if (column.family() != expected) {
                conflicts.add(where + " is " + column.display() + " in the database but the metadata says "
                        + field.type().yamlName() + " (" + type + "); left unchanged: convert or rename it by hand");
                return;
            }
            if (expected == Family.TEXT && !column.unboundedText()) {
                int wanted = field.effectiveMaxLength();
                if (column.size() < wanted) {
                    columns.add(new WidenColumn(table, column.name(), column.display(), type,
                            "ALTER TABLE " + Names.quote(table) + " ALTER COLUMN " + Names.quote(column.name())
                                    + " SET DATA TYPE " + type));
                } else if (column.size() > wanted) {
                    warnings.add(where + " is " + column.display() + " but the metadata allows " + wanted
                            + " characters; the column is kept wider (never narrowed), new values are checked against "
                            + wanted);
                }
            }
            if (expected == Family.NUMERIC
                    && (column.size() != field.effectivePrecision() || column.scale() != field.effectiveScale())) {
                int columnIntegerDigits = column.size() - column.scale();
                int fieldIntegerDigits = field.effectivePrecision() - field.effectiveScale();
                if (columnIntegerDigits < fieldIntegerDigits || column.scale() < field.effectiveScale()) {
                    conflicts.add(where + " is " + column.display() + " but the metadata says " + type
                            + ": values the metadata allows would not fit; widen the column by hand or keep the old "
                            + "precision/scale in the metadata");
                } else {
                    warnings.add(where + " is " + column.display() + " but the metadata says " + type
                            + "; kept wider, new values are checked against the metadata");
                }
            }
        }

        private static Family expectedFamily(FieldType type) {
            return switch (type) {
                case TEXT, LONG_TEXT, EMAIL, PHONE, URL, CHOICE, MULTI_CHOICE -> Family.TEXT;
                case INTEGER, REFERENCE, RECORD_LINK -> Family.BIGINT;
                case DECIMAL, MONEY -> Family.NUMERIC;
                case DATE -> Family.DATE;
                case DATE_TIME -> Family.TIMESTAMP_TZ;
                case BOOLEAN -> Family.BOOLEAN;
            };
        }

        private boolean columnExists(String table, String column) {
            Map<String, Column> existing = db.tables.get(table);
            return existing != null && existing.containsKey(column);
        }

        private void planIndexes(String table, FieldDefinition field) throws SQLException {
            Set<String> existing = db.indexes(table);
            String column = field.name();
            String quotedTable = Names.quote(table);
            String quotedColumn = Names.quote(column);
            if (field.unique()) {
                String name = Names.uniqueIndex(table, column);
                if (!existing.contains(name)) {
                    if (columnExists(table, column)) {
                        long duplicates = count("SELECT COUNT(*) FROM (SELECT " + quotedColumn + " FROM " + quotedTable
                                + " WHERE " + quotedColumn + " IS NOT NULL GROUP BY " + quotedColumn
                                + " HAVING COUNT(*) > 1) d");
                        if (duplicates > 0) {
                            warnings.add(duplicates + (duplicates == 1 ? " value" : " values") + " of " + table + "."
                                    + column + (duplicates == 1 ? " occurs" : " occur") + " more than once: creating the unique index " + name
                                    + " will fail until the duplicates are changed");
                        }
                    }
                    indexes.add(new CreateIndex(name, table, column, "unique", "CREATE UNIQUE INDEX "
                            + Names.quote(name) + " ON " + quotedTable + " (" + quotedColumn + ")"));
                }
            } else if (field.type() == FieldType.RECORD_LINK) {
                // related lists and the read scope of linked records look up (entity, id) pairs
                String name = Names.index(table, column);
                if (!existing.contains(name)) {
                    indexes.add(new CreateIndex(name, table, column, "plain", "CREATE INDEX " + Names.quote(name)
                            + " ON " + quotedTable + " (" + Names.quote(Names.linkEntityColumn(column)) + ", "
                            + quotedColumn + ")"));
                }
            } else if (field.indexed() || field.type() == FieldType.REFERENCE) {
                String name = Names.index(table, column);
                if (!existing.contains(name)) {
                    indexes.add(new CreateIndex(name, table, column, "plain", "CREATE INDEX " + Names.quote(name)
                            + " ON " + quotedTable + " (" + quotedColumn + ")"));
                }
            } else if (existing.contains(Names.uniqueIndex(table, column))) {
                warnings.add("Field " + table + "." + column + " is no longer unique but its unique index "
                        + Names.uniqueIndex(table, column) + " is kept: values stay unique until it is dropped by hand");
            }
            if (field.searchable() && field.type().isTextual() && dialect.supportsTrigramIndexes()) {
                String name = Names.trigramIndex(table, column);
                if (!existing.contains(name) && trigramSchema() != null) {
                    indexes.add(new CreateIndex(name, table, column, "trigram", "CREATE INDEX " + Names.quote(name)
                            + " ON " + quotedTable + " USING GIN (lower(" + quotedColumn + ") "
                            + quoteSchema(trigramSchema) + ".gin_trgm_ops)"));
                }
            }
        }

        /**
         * Where pg_trgm lives, planning its creation if it is available and allowed; null (with a warning) if
         * trigram indexes cannot be made. Asked once per plan.
         */
        private String trigramSchema() throws SQLException {
            if (trigramChecked) {
                return trigramSchema;
            }
            trigramChecked = true;
            try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname FROM pg_extension e "
                    + "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = ?")) {
                ps.setString(1, TRGM);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        trigramSchema = rs.getString(1);
                        return trigramSchema;
                    }
                }
            }
            boolean available;
            boolean allowed = false;
            try (PreparedStatement ps = connection.prepareStatement("SELECT (SELECT rolsuper FROM pg_roles "
                    + "WHERE rolname = current_user) OR (v.trusted AND has_database_privilege(current_database(), "
                    + "'CREATE')) FROM pg_available_extensions a JOIN pg_available_extension_versions v "
                    + "ON v.name = a.name AND v.version = a.default_version WHERE a.name = ?")) {
                ps.setString(1, TRGM);
                try (ResultSet rs = ps.executeQuery()) {
                    available = rs.next();
                    if (available) {
                        allowed = rs.getBoolean(1);
                    }
                }
            }
            if (!available) {
                warnings.add("The PostgreSQL extension pg_trgm is not installed on the server: searches work "
                        + "without trigram indexes, but slowly on large tables");
                return null;
            }
            if (!allowed) {
                warnings.add("The PostgreSQL extension pg_trgm is available but this database user may not create "
                        + "it: trigram indexes are skipped (searches work, but slowly on large tables); ask a "
                        + "database administrator to run CREATE EXTENSION pg_trgm");
                return null;
            }
            trigramSchema = db.schema;
            extensions.add(new CreateExtension(TRGM, trigramSchema,
                    "CREATE EXTENSION IF NOT EXISTS " + TRGM + " SCHEMA " + quoteSchema(trigramSchema)));
            return trigramSchema;
        }

        private void planForeignKey(String table, FieldDefinition field) throws SQLException {
            String referencedTable = Names.table(field.referenceEntity());
            DatabaseSchema.ForeignKey existing = db.foreignKeys(table).get(field.name());
            if (existing != null) {
                if (!existing.referencedTable().equals(referencedTable)) {
                    warnings.add("Column " + table + "." + field.name() + " has the foreign key " + existing.name()
                            + " to " + existing.referencedTable() + " but the metadata references " + referencedTable
                            + "; left unchanged: fix it by hand");
                }
                return;
            }
            if (columnExists(table, field.name()) && db.hasTable(referencedTable)) {
                String column = Names.quote(field.name());
                long orphans = count("SELECT COUNT(*) FROM " + Names.quote(table) + " s WHERE s." + column
                        + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + Names.quote(referencedTable) + " r WHERE r."
                        + Names.quote(Names.ID) + " = s." + column + ")");
                if (orphans > 0) {
                    warnings.add(orphans + " rows of " + table + " have a " + field.name() + " that matches no "
                            + referencedTable + ": adding the foreign key will fail until they are fixed");
                }
            }
            String name = Names.foreignKey(table, field.name());
            foreignKeys.add(new AddForeignKey(name, table, field.name(), referencedTable, "ALTER TABLE "
                    + Names.quote(table) + " ADD CONSTRAINT " + Names.quote(name) + " FOREIGN KEY ("
                    + Names.quote(field.name()) + ") REFERENCES " + Names.quote(referencedTable) + " ("
                    + Names.quote(Names.ID) + ")"));
        }

        private long count(String sql) throws SQLException {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private static String quoteSchema(String schema) {
            return '"' + schema.replace("\"", "\"\"") + '"';
        }
    }
}
