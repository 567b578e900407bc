package io.relata.store;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.IndexDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.store.DatabaseSchema.Column;
import io.relata.store.DatabaseSchema.Family;
import io.relata.store.SchemaChange.AddColumn;
import io.relata.store.SchemaChange.AddForeignKey;
import io.relata.store.SchemaChange.ColumnForeignKey;
import io.relata.store.SchemaChange.ColumnIndex;
import io.relata.store.SchemaChange.CreateExtension;
import io.relata.store.SchemaChange.CreateIndex;
import io.relata.store.SchemaChange.CreateTable;
import io.relata.store.SchemaChange.DropForeignKey;
import io.relata.store.SchemaChange.DropIndex;
import io.relata.store.SchemaChange.RecreateColumn;
import io.relata.store.SchemaChange.WidenColumn;
import io.relata.store.SchemaConflict.Kind;
import io.relata.store.SchemaPlan.Orphan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares a {@link MetadataModel} with the record tables the database has and plans what to change: tables,
 * columns, wider columns, indexes, foreign keys and (PostgreSQL) the pg_trgm extension. Planning only reads.
 *
 * <p><b>Stored data is checked before anything is planned that it could contradict</b>, so that the database
 * never refuses a statement halfway through a plan and no record is left that the new model cannot hold: a new
 * unique index (repeated values), a new foreign key (values that match no record), a field whose type changes to
 * another kind of value (a column with values; an empty one is recreated), a lower {@code maxLength},
 * {@code precision} or {@code scale} (longer or larger values; the column itself is never narrowed), a removed
 * option, a field that becomes email, phone or url (values in another format). Each contradiction is a
 * {@link SchemaConflict}; a plan with conflicts must not be applied.
 *
 * <p>To keep loads fast, values are read only for fields whose definition changed: against the model the tables
 * were last brought in line with (the running one, or at start-up the one the platform kept), else against what
 * the database's structure says (column type and size, foreign key target, unique index). Removed options and new
 * formats cannot be seen in the structure: without a model to compare with, they are not checked.
 *
 * <p>Tables and columns that no metadata names are never dropped: they are listed as {@link Orphan}s with their
 * number of values, summarised in one warning.
 *
 * <p>{@code required} is not a {@code NOT NULL} constraint (the record store checks it), so adding a
 * required field to a table with rows always works; the plan says how many rows lack the value.
 */
public final class SchemaPlanner {

    private static final String TRGM = "pg_trgm";
    private static final List<String> OWNER_COLUMNS = List.of(Names.OWNER_USER, Names.OWNER_TEAM);
    /** Owner columns hold user and team ids; no foreign key, the users and teams tables are not ours. */
    private static final String OWNER_TYPE = "BIGINT";
    /** How many orphans the summary warning names; the rest are counted. */
    static final int ORPHANS_NAMED = 10;

    /** Plans against the database's structure alone, as at start-up (no model in force). */
    public SchemaPlan plan(MetadataModel model, Connection connection) {
        return plan(model, null, connection);
    }

    /**
     * Plans the changes that bring the connection's current schema in line with {@code model}.
     *
     * @param inForce the model the database was last brought in line with (the running one), or null at
     *                start-up: fields that differ from it have their stored values checked
     */
    public SchemaPlan plan(MetadataModel model, MetadataModel inForce, Connection connection) {
        try {
            return new Run(model, inForce, connection).plan();
        } catch (SQLException e) {
            throw new StoreException(null, "plan schema", e);
        }
    }

    /** The state of one planning run. */
    private static final class Run {
        private final MetadataModel model;
        private final MetadataModel inForce;
        private final Connection connection;
        private final SqlDialect dialect;
        private final DatabaseSchema db;
        private final List<SchemaChange> drops = new ArrayList<>();
        private final List<SchemaChange> tables = new ArrayList<>();
        private final List<SchemaChange> columns = new ArrayList<>();
        private final List<SchemaChange> extensions = new ArrayList<>();
        private final List<SchemaChange> indexes = new ArrayList<>();
        private final List<SchemaChange> foreignKeys = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<SchemaConflict> conflicts = new ArrayList<>();
        /** Columns no field names, per table. */
        private final Map<String, List<String>> orphanColumns = new LinkedHashMap<>();
        /** {@code table.column} of columns recreated with a new type: their indexes and foreign key are gone. */
        private final Set<String> recreated = new HashSet<>();
        /** {@code table.column} of columns with a conflict: nothing more is planned or checked for them. */
        private final Set<String> refused = new HashSet<>();
        /** Schema holding pg_trgm's operator classes once known; null if trigram indexes are off. */
        private String trigramSchema;
        private boolean trigramChecked;
        /** Composite indexes a recreated column takes with it: planned again if still wanted. */
        private final Set<String> droppedIndexes = new HashSet<>();
        /** Whether a table has rows, per table, once asked ({@link #concurrently}). */
        private final Map<String, Boolean> hasRows = new HashMap<>();

        Run(MetadataModel model, MetadataModel inForce, Connection connection) throws SQLException {
            this.model = model;
            this.inForce = inForce;
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
                StoredValues stored = db.hasTable(table) ? new StoredValues(connection, entity, table, db.tables.get(table)) : null;
                if (stored != null) {
                    planExistingTable(entity, table, fields, stored);
                } else {
                    planNewTable(table, fields);
                }
                planOwnerColumns(table);
                planSequences(table, fields);
                for (FieldDefinition field : fields) {
                    if (refused.contains(table + "." + field.name())) {
                        continue;
                    }
                    planIndexes(entity, table, field, stored);
                    if (field.type() == FieldType.REFERENCE) {
                        planForeignKey(entity, table, field, stored);
                    } else {
                        dropForeignKey(table, field.name());
                    }
                }
                planCompositeIndexes(entity, table);
            }
            planNumberCounters();
            List<Orphan> orphans = orphans(modelTables);
            if (!orphans.isEmpty()) {
                warnings.add(summary(orphans));
            }
            List<SchemaChange> changes = new ArrayList<>();
            changes.addAll(drops);
            changes.addAll(tables);
            changes.addAll(columns);
            changes.addAll(extensions);
            changes.addAll(indexes);
            changes.addAll(foreignKeys);
            return new SchemaPlan(dialect, changes, warnings, conflicts, orphans);
        }

        /**
         * A sequence per {@code autoNumber} field counted with gaps that has none yet; never dropped (a field removed
         * keeps its count).
         */
        private void planSequences(String table, List<FieldDefinition> fields) {
            for (FieldDefinition field : fields) {
                if (field.autoNumber() == null || field.autoNumber().gapless()
                        || refused.contains(table + "." + field.name())) {
                    continue;
                }
                String name = Names.sequence(table, field.name());
                if (!db.sequences.contains(name)) {
                    columns.add(new SchemaChange.CreateSequence(name, table, field.name(),
                            "CREATE SEQUENCE " + Names.quote(name) + " START WITH 1"));
                }
            }
        }

        /** The table of gapless counters once a field counts without gaps; never dropped (it holds the counts). */
        private void planNumberCounters() {
            boolean wanted = model.allEntities().stream().flatMap(e -> e.fields().stream())
                    .anyMatch(f -> f.autoNumber() != null && f.autoNumber().gapless());
            if (wanted && !db.hasNumberCounters) {
                tables.add(new SchemaChange.CreateNumberCounters(NumberCounters.TABLE, NumberCounters.CREATE_TABLE));
            }
        }

        /** The field as the model in force defines it; null at start-up or if it is new there. */
        private FieldDefinition before(EntityDefinition entity, FieldDefinition field) {
            return inForce == null ? null : inForce.entity(entity.name()).flatMap(e -> e.field(field.name())).orElse(null);
        }

        private void conflict(EntityDefinition entity, String table, FieldDefinition field, Kind kind, String key,
                              StoredValues.Sample sample, String message, String fix) {
            refused.add(table + "." + field.name());
            conflicts.add(new SchemaConflict(entity.name(), field.name(), kind, key, sample.count(), sample.examples(),
                    message + examples(sample), fix));
        }

        /** {@code : #1 Acme, #2 Beta (and 10 more).} after a count; just a period without examples. */
        private static String examples(StoredValues.Sample sample) {
            if (sample.examples().isEmpty()) {
                return ".";
            }
            long more = sample.count() - sample.examples().size();
            return ": " + String.join(", ", sample.examples()) + (more > 0 ? " (and " + more + " more)." : ".");
        }

        private static String records(long count) {
            return count + (count == 1 ? " record" : " records");
        }

        /** {@code 1 record holds} or {@code 3 records hold}. */
        private static String hold(long count) {
            return count == 1 ? "1 record holds" : count + " records hold";
        }

        private static String digits(int count) {
            return count + (count == 1 ? " digit" : " digits");
        }

        /** {@code this record} or {@code these 3 records}. */
        private static String these(long count) {
            return count == 1 ? "this record" : "these " + count + " records";
        }

        private static String q(String name) {
            return "'" + name + "'";
        }

        private static String fieldOf(EntityDefinition entity, FieldDefinition field) {
            return "Field " + q(field.name()) + " of " + q(entity.name());
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
                    indexes.add(index(name, table, owner, "plain", Names.quote(owner)));
                }
            }
            // Owners and teams go together (a user's records are mostly their team's). Without statistics of which
            // pairs occur, PostgreSQL takes the columns as independent and reads every own row to find the few
            // outside the user's teams (RowScope#aggregateParts): at 1M opportunities 67-108 ms for none, with
            // these statistics 0.1 ms through the (owner_user, owner_team) index.
            String statistics = Names.statistics(table, OWNER_COLUMNS);
            if (dialect == SqlDialect.POSTGRESQL && !db.statistics.contains(statistics)) {
                String columns = String.join(", ", OWNER_COLUMNS.stream().map(Names::quote).toList());
                indexes.add(new SchemaChange.CreateStatistics(statistics, table, OWNER_COLUMNS, List.of(
                        "CREATE STATISTICS " + Names.quote(statistics) + " (mcv) ON " + columns + " FROM "
                                + Names.quote(table),
                        "ANALYZE " + Names.quote(table))));
            }
        }

        private void planExistingTable(EntityDefinition entity, String table, List<FieldDefinition> fields,
                                       StoredValues stored) throws SQLException {
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
                    compareColumn(entity, table, field, column, type, stored);
                }
            }
            for (String column : existing.keySet()) {
                if (!Names.isSystemColumn(column) && !fieldNames.contains(column)) {
                    orphanColumns.computeIfAbsent(table, t -> new ArrayList<>()).add(column);
                }
            }
        }

        private void compareColumn(EntityDefinition entity, String table, FieldDefinition field, Column column,
                                   String type, StoredValues stored) throws SQLException {
            FieldDefinition before = before(entity, field);
            Family expected = expectedFamily(field.type());
            if (column.family() != expected) {
                changeFamily(entity, table, field, column, type, before, stored);
                return;
            }
            if (expected == Family.TEXT) {
                compareText(entity, table, field, column, type, before, stored);
                if (!refused.contains(table + "." + field.name())) {
                    checkOptions(entity, table, field, before, stored);
                }
                if (!refused.contains(table + "." + field.name())) {
                    checkFormat(entity, table, field, before, stored);
                }
            } else if (expected == Family.NUMERIC) {
                compareNumeric(entity, table, field, column, type, before, stored);
            }
        }

        /**
         * The field's type is another kind of value than its column holds: an empty column is recreated with the
         * new type, one with values is a conflict (no conversion is guessed).
         */
        private void changeFamily(EntityDefinition entity, String table, FieldDefinition field, Column column,
                                  String type, FieldDefinition before, StoredValues stored) throws SQLException {
            StoredValues.Sample held = stored.nonNull(column.name());
            String was = before != null ? before.type().yamlName() : column.display();
            if (held.any()) {
                conflict(entity, table, field, Kind.TYPE_CHANGE_WITH_DATA, "type", held, fieldOf(entity, field)
                        + " changes its type to " + field.type().yamlName() + ", but its column holds " + was
                        + " values, which the database cannot convert: " + hold(held.count()) + " a value",
                        "add a new field of type " + field.type().yamlName() + " and copy the values into it (by hand, "
                                + "or with a 'computed' rule on the new field), then remove this one; or keep the "
                                + (before != null ? "type " + was : "type that fits the column (" + was + ")") + ".");
                return;
            }
            List<ColumnIndex> dropped = new ArrayList<>();
            Set<String> existingIndexes = db.indexes(table);
            for (String name : List.of(Names.index(table, column.name()), Names.uniqueIndex(table, column.name()),
                    Names.trigramIndex(table, column.name()))) {
                if (existingIndexes.contains(name)) {
                    dropped.add(new ColumnIndex(name, table, column.name(), name.equals(Names.uniqueIndex(table, column.name()))));
                }
            }
            for (Map.Entry<String, List<String>> composite : db.compositeIndexKeys(table).entrySet()) {
                if (composite.getValue().stream().anyMatch(k -> k.startsWith(Names.quote(column.name()) + " "))) {
                    dropped.add(new ColumnIndex(composite.getKey(), table, column.name(), false,
                            String.join(", ", composite.getValue())));
                    droppedIndexes.add(composite.getKey());
                }
            }
            DatabaseSchema.ForeignKey key = db.foreignKeys(table).get(column.name());
            columns.add(new RecreateColumn(table, column.name(), column.display(), type, dropped,
                    key == null ? null : new ColumnForeignKey(key.name(), table, column.name(), key.referencedTable())));
            recreated.add(table + "." + column.name());
        }

        private void compareText(EntityDefinition entity, String table, FieldDefinition field, Column column,
                                 String type, FieldDefinition before, StoredValues stored) throws SQLException {
            int wanted = field.effectiveMaxLength();
            if (!column.unboundedText() && column.size() < wanted) {
                columns.add(new WidenColumn(table, column.name(), column.display(), type,
                        "ALTER TABLE " + Names.quote(table) + " ALTER COLUMN " + Names.quote(column.name())
                                + " SET DATA TYPE " + type));
            }
            boolean lowered = before != null ? before.effectiveMaxLength() > wanted
                    : !column.unboundedText() && column.size() > wanted;
            if (!lowered) {
                return;
            }
            StoredValues.Sample longer = stored.longerThan(column.name(), wanted);
            if (longer.any()) {
                conflict(entity, table, field, Kind.VALUES_TOO_LONG, field.maxLength() != null ? "maxLength" : "type",
                        longer, fieldOf(entity, field) + " now allows " + wanted + " characters, but "
                                + hold(longer.count()) + " longer values",
                        "shorten the values of " + these(longer.count()) + " first, or allow at least "
                                + stored.longest(column.name()) + " characters (maxLength).");
            } else if (before != null) {
                warnings.add("Column " + table + "." + column.name() + " keeps room for "
                        + (column.unboundedText() ? "longer texts" : column.size() + " characters") + ": the metadata now "
                        + "allows " + wanted + " and no stored value is longer; new values are checked against " + wanted);
            }
        }

        /**
         * A choice or multi-choice whose options lost values (or that was another type before) must not leave records
         * with values that are no option. Asked only if the model in force says what changed.
         */
        private void checkOptions(EntityDefinition entity, String table, FieldDefinition field, FieldDefinition before,
                                  StoredValues stored) throws SQLException {
            if ((field.type() != FieldType.CHOICE && field.type() != FieldType.MULTI_CHOICE) || before == null) {
                return;
            }
            Set<String> now = field.options().stream().map(ChoiceOption::value).collect(Collectors.toSet());
            List<String> removed = before.options().stream().map(ChoiceOption::value).filter(v -> !now.contains(v)).toList();
            if (before.type() == field.type() && removed.isEmpty()) {
                return;
            }
            StoredValues.NotOptions notOptions = stored.notOptions(field);
            if (!notOptions.sample().any()) {
                return;
            }
            String values = notOptions.values().stream().map(Run::q).collect(Collectors.joining(", "));
            long count = notOptions.sample().count();
            boolean optionsRemoved = before.type() == field.type();
            conflict(entity, table, field, Kind.OPTION_IN_USE, "options", notOptions.sample(), optionsRemoved
                    ? fieldOf(entity, field) + " no longer has the option" + (notOptions.values().size() == 1 ? " " : "s ")
                            + values + ", which " + hold(count)
                    : fieldOf(entity, field) + " becomes a " + field.type().yamlName() + ", but " + hold(count)
                            + " values that are none of its options (" + values + ")",
                    optionsRemoved
                            ? "keep the option" + (notOptions.values().size() == 1 ? "" : "s") + " and mark "
                                    + (notOptions.values().size() == 1 ? "it" : "them") + " 'active: false' (records keep "
                                    + "the value, nobody picks it anew), or change " + these(count) + " first."
                            : "add these values as options (with 'active: false' if nobody should pick them anew), or "
                                    + "change " + these(count) + " first.");
        }

        /** A field that becomes email, phone or url must not leave values in another format. Needs the model in force. */
        private void checkFormat(EntityDefinition entity, String table, FieldDefinition field, FieldDefinition before,
                                 StoredValues stored) throws SQLException {
            Kind kind = switch (field.type()) {
                case EMAIL -> Kind.VALUES_NOT_EMAIL;
                case PHONE -> Kind.VALUES_NOT_PHONE;
                case URL -> Kind.VALUES_NOT_URL;
                default -> null;
            };
            if (kind == null || before == null || before.type() == field.type()) {
                return;
            }
            StoredValues.Sample wrong = stored.notInFormat(field);
            if (wrong.any()) {
                String what = switch (field.type()) {
                    case EMAIL -> "email addresses";
                    case PHONE -> "phone numbers";
                    default -> "web addresses (http:// or https://)";
                };
                conflict(entity, table, field, kind, "type", wrong, fieldOf(entity, field) + " becomes "
                        + field.type().yamlName() + ", but " + hold(wrong.count()) + " values that are not " + what,
                        "correct " + these(wrong.count()) + " first, or keep the type " + before.type().yamlName() + ".");
            }
        }

        /**
         * A numeric column too small for the metadata is widened to hold both the stored values and the new ones; a
         * lower precision or scale than the values need is a conflict. The column is never narrowed.
         */
        private void compareNumeric(EntityDefinition entity, String table, FieldDefinition field, Column column,
                                    String type, FieldDefinition before, StoredValues stored) throws SQLException {
            int columnIntegers = column.size() - column.scale();
            int fieldIntegers = field.effectivePrecision() - field.effectiveScale();
            int fieldScale = field.effectiveScale();
            if (columnIntegers < fieldIntegers || column.scale() < fieldScale) {
                int scale = Math.max(column.scale(), fieldScale);
                String wider = "NUMERIC(" + (Math.max(columnIntegers, fieldIntegers) + scale) + ", " + scale + ")";
                columns.add(new WidenColumn(table, column.name(), column.display(), wider, "ALTER TABLE "
                        + Names.quote(table) + " ALTER COLUMN " + Names.quote(column.name()) + " SET DATA TYPE " + wider));
            }
            boolean integersLowered = before != null
                    ? before.effectivePrecision() - before.effectiveScale() > fieldIntegers : columnIntegers > fieldIntegers;
            boolean scaleLowered = before != null ? before.effectiveScale() > fieldScale : column.scale() > fieldScale;
            boolean fits = true;
            if (integersLowered) {
                StoredValues.Sample larger = stored.tooLarge(column.name(), fieldIntegers);
                if (larger.any()) {
                    fits = false;
                    conflict(entity, table, field, Kind.VALUES_TOO_PRECISE, "precision", larger, fieldOf(entity, field)
                            + " now allows " + digits(fieldIntegers) + " before the decimal point (precision "
                            + field.effectivePrecision() + ", scale " + fieldScale + "), but " + hold(larger.count())
                            + " larger values", "change " + these(larger.count()) + " first, or keep "
                            + "the precision at " + (before != null ? before.effectivePrecision() : column.size()) + ".");
                }
            }
            if (scaleLowered) {
                StoredValues.Sample finer = stored.tooManyDecimals(column.name(), fieldScale);
                if (finer.any()) {
                    fits = false;
                    conflict(entity, table, field, Kind.VALUES_TOO_PRECISE, "scale", finer, fieldOf(entity, field)
                            + " now allows " + digits(fieldScale) + " after the decimal point, but " + hold(finer.count())
                            + " more", "round " + these(finer.count()) + " first, or keep the scale at "
                            + (before != null ? before.effectiveScale() : column.scale()) + ".");
                }
            }
            if (fits && before != null && (integersLowered || scaleLowered)) {
                warnings.add("Column " + table + "." + column.name() + " keeps " + column.display() + ": the metadata now "
                        + "says " + type + " and no stored value exceeds it; new values are checked against the metadata");
            }
        }

        private static Family expectedFamily(FieldType type) {
            return switch (type) {
                case TEXT, LONG_TEXT, EMAIL, PHONE, URL, CHOICE, MULTI_CHOICE -> Family.TEXT;
                case INTEGER, REFERENCE, RECORD_LINK, FILE -> Family.BIGINT;
                case DECIMAL, MONEY -> Family.NUMERIC;
                case DATE -> Family.DATE;
                case DATE_TIME -> Family.TIMESTAMP_TZ;
                case BOOLEAN -> Family.BOOLEAN;
            };
        }

        /** True if the column exists with its old content (not new, not recreated in this plan). */
        private boolean columnHoldsData(String table, String column) {
            Map<String, Column> existing = db.tables.get(table);
            return existing != null && existing.containsKey(column) && !recreated.contains(table + "." + column);
        }

        private void planIndexes(EntityDefinition entity, String table, FieldDefinition field, StoredValues stored)
                throws SQLException {
            String column = field.name();
            Set<String> existing = recreated.contains(table + "." + column) ? Set.of() : db.indexes(table);
            String quotedTable = Names.quote(table);
            String quotedColumn = Names.quote(column);
            String unique = Names.uniqueIndex(table, column);
            if (!field.unique() && existing.contains(unique)) {
                // the database would refuse repeated values that the metadata now allows
                drops.add(new DropIndex(new ColumnIndex(unique, table, column, true)));
            }
            if (field.unique()) {
                if (!existing.contains(unique)) {
                    if (columnHoldsData(table, column)) {
                        StoredValues.Duplicates duplicates = stored.duplicates(column);
                        if (duplicates.values() > 0) {
                            refused.add(table + "." + column);
                            conflicts.add(new SchemaConflict(entity.name(), column, Kind.DUPLICATE_VALUES, "unique",
                                    duplicates.records(), duplicates.examples(), fieldOf(entity, field)
                                    + " cannot become unique: " + duplicates.values()
                                    + (duplicates.values() == 1 ? " value occurs" : " values occur") + " more than once, in "
                                    + records(duplicates.records()) + ": " + String.join("; ", duplicates.examples())
                                    + (duplicates.values() > duplicates.examples().size() ? "; …" : "") + ".",
                                    "clean " + these(duplicates.records()) + " first (give each its own value, "
                                            + "or empty it), or leave out 'unique: true'."));
                            return;
                        }
                    }
                    indexes.add(new CreateIndex(unique, table, column, "unique", "CREATE UNIQUE INDEX "
                            + Names.quote(unique) + " ON " + quotedTable + " (" + quotedColumn + ")"));
                }
            } else if (field.type() == FieldType.RECORD_LINK) {
                // related lists and the read scope of linked records look up (entity, id) pairs
                String name = Names.index(table, column);
                if (!existing.contains(name)) {
                    indexes.add(index(name, table, column, "plain", Names.quote(Names.linkEntityColumn(column)) + ", "
                            + quotedColumn));
                }
            } else if (field.indexed() || field.type() == FieldType.REFERENCE) {
                String name = Names.index(table, column);
                if (!existing.contains(name)) {
                    indexes.add(index(name, table, column, "plain", quotedColumn));
                }
            }
            if (field.searchable() && field.type().isTextual() && dialect.supportsTrigramIndexes()) {
                String name = Names.trigramIndex(table, column);
                if (!existing.contains(name) && trigramSchema() != null) {
                    boolean concurrently = concurrently(table);
                    indexes.add(new CreateIndex(name, table, column, "trigram", "CREATE INDEX "
                            + (concurrently ? "CONCURRENTLY " : "") + Names.quote(name) + " ON " + quotedTable
                            + " USING GIN (lower(" + quotedColumn + ") " + quoteSchema(trigramSchema) + ".gin_trgm_ops)",
                            concurrently));
                }
            }
        }

        /** A btree index on {@code keys} (SQL), built concurrently where {@link #concurrently} says so. */
        private CreateIndex index(String name, String table, String column, String kind, String keys) throws SQLException {
            boolean concurrently = concurrently(table);
            return new CreateIndex(name, table, column, kind, "CREATE INDEX " + (concurrently ? "CONCURRENTLY " : "")
                    + Names.quote(name) + " ON " + Names.quote(table) + " (" + keys + ")", concurrently);
        }

        /**
         * True if an index on {@code table} is built {@code CONCURRENTLY}: on PostgreSQL, for a table that has rows
         * (a build takes a while and would block every write to the table; on an empty table it is instant).
         */
        private boolean concurrently(String table) throws SQLException {
            if (dialect != SqlDialect.POSTGRESQL || !db.hasTable(table)) {
                return false;
            }
            Boolean rows = hasRows.get(table);
            if (rows == null) {
                try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                        "SELECT 1 FROM " + Names.quote(table) + " FETCH FIRST 1 ROWS ONLY")) {
                    rows = rs.next();
                }
                hasRows.put(table, rows);
            }
            return rows;
        }

        /**
         * The composite indexes that serve the lists (see {@link SchemaPlanner}): derived ones for the paths every
         * entity has, then those the entity declares. Each ends with id in the direction of its last key, as the
         * store's ORDER BY does ({@link QueryBuilder#keys}); each key has the null ordering of the ORDER BY
         * ({@link QueryBuilder#orderKey}), so the index serves it read forwards or (all keys reversed) backwards.
         */
        private void planCompositeIndexes(EntityDefinition entity, String table) throws SQLException {
            Map<String, List<IndexDefinition.Key>> wanted = new LinkedHashMap<>();
            List<IndexDefinition.Key> newest = List.of(new IndexDefinition.Key(Names.CREATED_AT, false));
            wanted.put(compositeName(table, newest), newest);
            List<List<String>> leading = new ArrayList<>();
            OWNER_COLUMNS.forEach(owner -> leading.add(List.of(owner)));
            for (FieldDefinition field : entity.fields()) {
                if (field.indexed() && field.type() == FieldType.CHOICE && !Names.isSystemColumn(field.name())) {
                    leading.add(List.of(field.name()));
                }
            }
            for (List<String> columns : leading) {
                List<IndexDefinition.Key> keys = List.of(new IndexDefinition.Key(columns.get(0), false),
                        new IndexDefinition.Key(Names.CREATED_AT, false));
                wanted.put(compositeName(table, keys), keys);
            }
            // the user's own rows outside their teams, which an aggregate over a team scope reads as ranges of
            // owner_team (RowScope#aggregateParts): usually none, found without reading the table
            List<IndexDefinition.Key> owners = List.of(new IndexDefinition.Key(Names.OWNER_USER, false),
                    new IndexDefinition.Key(Names.OWNER_TEAM, false));
            wanted.put(compositeName(table, owners), owners);
            for (IndexDefinition declared : entity.indexes()) {
                wanted.putIfAbsent(compositeName(table, declared.keys()), declared.keys());
            }
            Set<String> existing = db.indexes(table);
            for (Map.Entry<String, List<IndexDefinition.Key>> index : wanted.entrySet()) {
                List<IndexDefinition.Key> keys = index.getValue();
                boolean usable = keys.stream().allMatch(k -> Names.isSystemColumn(k.field())
                        || (entity.field(k.field()).isPresent() && !refused.contains(table + "." + k.field())));
                if (!usable || (existing.contains(index.getKey()) && !droppedIndexes.contains(index.getKey()))) {
                    continue;
                }
                List<String> sql = new ArrayList<>();
                List<String> shown = new ArrayList<>();
                for (IndexDefinition.Key key : keys) {
                    sql.add(QueryBuilder.orderKey(key.field(), key.descending()));
                    shown.add(key.field() + (key.descending() ? " DESC" : ""));
                }
                boolean last = keys.get(keys.size() - 1).descending();
                sql.add(QueryBuilder.orderKey(Names.ID, last));
                shown.add(Names.ID + (last ? " DESC" : ""));
                indexes.add(index(index.getKey(), table, String.join(", ", shown), "composite", String.join(", ", sql)));
            }
        }

        private static String compositeName(String table, List<IndexDefinition.Key> keys) {
            return Names.compositeIndex(table, keys.stream().map(k -> k.field() + (k.descending() ? "_desc" : "")).toList());
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

        /**
         * The foreign key of a reference field. Before one is added, the stored values must match records of the
         * referenced entity; a reference that now points to another entity must hold no values (they point to
         * records of the old one), else it is a conflict. An empty retargeted reference gets its key replaced.
         */
        private void planForeignKey(EntityDefinition entity, String table, FieldDefinition field, StoredValues stored)
                throws SQLException {
            String column = field.name();
            String referencedTable = Names.table(field.referenceEntity());
            DatabaseSchema.ForeignKey existing = recreated.contains(table + "." + column) ? null
                    : db.foreignKeys(table).get(column);
            if (existing != null && existing.referencedTable().equals(referencedTable)) {
                return;
            }
            if (columnHoldsData(table, column)) {
                FieldDefinition before = before(entity, field);
                String oldEntity = before != null && before.type() == FieldType.REFERENCE
                        && !before.referenceEntity().equals(field.referenceEntity()) ? before.referenceEntity() : null;
                if (oldEntity == null && existing != null) {
                    oldEntity = existing.referencedTable().startsWith(Names.TABLE_PREFIX)
                            ? existing.referencedTable().substring(Names.TABLE_PREFIX.length()) : existing.referencedTable();
                }
                if (oldEntity != null) {
                    StoredValues.Sample held = stored.nonNull(column);
                    if (held.any()) {
                        conflict(entity, table, field, Kind.REFERENCE_RETARGETED, "entity", held, fieldOf(entity, field)
                                + " now references " + q(field.referenceEntity()) + ", but " + records(held.count())
                                + (held.count() == 1 ? " points" : " point") + " to records of " + q(oldEntity),
                                "empty the field on " + these(held.count()) + " first (to keep the links, add a "
                                        + "new reference field to " + q(field.referenceEntity()) + " instead), or keep "
                                        + "'entity: " + oldEntity + "'.");
                        return;
                    }
                } else {
                    StoredValues.Sample dangling = db.hasTable(referencedTable) ? stored.dangling(column, referencedTable)
                            : stored.nonNull(column);
                    if (dangling.any()) {
                        conflict(entity, table, field, Kind.REFERENCE_VALUES_MISSING, "entity", dangling,
                                fieldOf(entity, field) + " references " + q(field.referenceEntity()) + ", but "
                                        + hold(dangling.count()) + " a value that matches no record of "
                                        + q(field.referenceEntity()),
                                "correct or empty the field on " + these(dangling.count()) + " first.");
                        return;
                    }
                }
            }
            if (existing != null) {
                drops.add(new DropForeignKey(new ColumnForeignKey(existing.name(), table, column, existing.referencedTable())));
            }
            String name = Names.foreignKey(table, column);
            foreignKeys.add(new AddForeignKey(name, table, column, referencedTable, "ALTER TABLE "
                    + Names.quote(table) + " ADD CONSTRAINT " + Names.quote(name) + " FOREIGN KEY ("
                    + Names.quote(column) + ") REFERENCES " + Names.quote(referencedTable) + " ("
                    + Names.quote(Names.ID) + ")"));
        }

        /** A foreign key on a field that is no longer a reference would refuse values the metadata allows. */
        private void dropForeignKey(String table, String column) throws SQLException {
            if (recreated.contains(table + "." + column)) {
                return;
            }
            DatabaseSchema.ForeignKey existing = db.foreignKeys(table).get(column);
            if (existing != null) {
                drops.add(new DropForeignKey(new ColumnForeignKey(existing.name(), table, column, existing.referencedTable())));
            }
        }

        /** Tables of no entity, then columns of no field, each with its number of values. */
        private List<Orphan> orphans(Set<String> modelTables) throws SQLException {
            List<Orphan> orphans = new ArrayList<>();
            for (String table : db.tables.keySet()) {
                if (!modelTables.contains(table)) {
                    orphans.add(new Orphan(table, null, count("SELECT COUNT(*) FROM " + Names.quote(table))));
                }
            }
            for (Map.Entry<String, List<String>> entry : orphanColumns.entrySet()) {
                // one pass over the table for all its orphan columns
                String counts = entry.getValue().stream().map(c -> "COUNT(" + Names.quote(c) + ")")
                        .collect(Collectors.joining(", "));
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT " + counts + " FROM " + Names.quote(entry.getKey()))) {
                    rs.next();
                    for (int i = 0; i < entry.getValue().size(); i++) {
                        orphans.add(new Orphan(entry.getKey(), entry.getValue().get(i), rs.getLong(i + 1)));
                    }
                }
            }
            return orphans;
        }

        /** One warning for all orphans, naming the first few: a removed model must not flood every reload. */
        private static String summary(List<Orphan> orphans) {
            long tableCount = orphans.stream().filter(Orphan::isTable).count();
            long columnCount = orphans.size() - tableCount;
            List<String> parts = new ArrayList<>();
            if (tableCount > 0) {
                parts.add(tableCount + (tableCount == 1 ? " table" : " tables"));
            }
            if (columnCount > 0) {
                parts.add(columnCount + (columnCount == 1 ? " column" : " columns"));
            }
            String named = orphans.stream().limit(ORPHANS_NAMED).map(Orphan::describe).collect(Collectors.joining(", "));
            int more = orphans.size() - Math.min(orphans.size(), ORPHANS_NAMED);
            return String.join(" and ", parts) + (orphans.size() == 1 ? " is" : " are") + " no longer in the metadata "
                    + "and kept with " + (orphans.size() == 1 ? "its" : "their") + " data: " + named
                    + (more > 0 ? " and " + more + " more" : "") + ". Nothing is dropped automatically; an administrator "
                    + "can drop each one (admin page, or the schema orphans API).";
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
