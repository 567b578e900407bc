package io.relata.store;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.store.DatabaseSchema.Column;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Questions the {@link SchemaPlanner} asks about the values stored in one record table before it plans a change
 * the data could contradict: how many records hold a value, repeat one, exceed a length or a number of digits,
 * hold a value that is no option or not in a format; each answer with a few examples ({@code #12 Acme}) an admin
 * can look up. Only reads; asked only for columns whose field changed, never for every column on every load.
 */
final class StoredValues {

    /** How many examples an answer names. */
    static final int EXAMPLES = 5;
    private static final int LONGEST_SHOWN_VALUE = 40;

    /** A number of records and a few of them. */
    record Sample(long count, List<String> examples) {
        static final Sample NONE = new Sample(0, List.of());

        boolean any() {
            return count > 0;
        }
    }

    /** The values of a column that repeat: how many distinct values, in how many records, examples per value. */
    record Duplicates(long values, long records, List<String> examples) {
    }

    /** Values that are not among a field's options: which, and in how many records. */
    record NotOptions(Set<String> values, Sample sample) {
    }

    private final Connection connection;
    private final String table;
    /** The quoted column that names a record in examples, or null (then only its id). */
    private final String titleColumn;

    StoredValues(Connection connection, EntityDefinition entity, String table, Map<String, Column> columns) {
        this.connection = connection;
        this.table = Names.quote(table);
        Column title = entity.titleField() == null ? null : columns.get(entity.titleField());
        this.titleColumn = title != null && title.family() == DatabaseSchema.Family.TEXT ? Names.quote(title.name()) : null;
    }

    /** Records with a value in {@code column}. */
    Sample nonNull(String column) throws SQLException {
        return sample(Names.quote(column) + " IS NOT NULL", List.of(), null, null);
    }

    /** Records whose text in {@code column} is longer than {@code limit} characters, and the longest length. */
    Sample longerThan(String column, int limit) throws SQLException {
        String length = "CHAR_LENGTH(" + Names.quote(column) + ")";
        return sample(length + " > ?", List.of(limit), length, " characters");
    }

    /** The length of the longest text in {@code column}. */
    int longest(String column) throws SQLException {
        return (int) single("SELECT MAX(CHAR_LENGTH(" + Names.quote(column) + ")) FROM " + table + " s", List.of());
    }

    /** Records whose number has more than {@code integerDigits} digits before the point. */
    Sample tooLarge(String column, int integerDigits) throws SQLException {
        String quoted = Names.quote(column);
        return sample("ABS(" + quoted + ") >= ?", List.of(BigDecimal.TEN.pow(integerDigits)), quoted, null);
    }

    /** Records whose number has more than {@code scale} digits after the point. */
    Sample tooManyDecimals(String column, int scale) throws SQLException {
        String quoted = Names.quote(column);
        return sample(quoted + " <> ROUND(" + quoted + ", " + scale + ")", List.of(), quoted, null);
    }

    /** Records whose reference in {@code column} matches no row of {@code referencedTable}. */
    Sample dangling(String column, String referencedTable) throws SQLException {
        String quoted = Names.quote(column);
        // the stored table is "s" in every query, so a reference to its own table is unambiguous
        return sample("s." + quoted + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + Names.quote(referencedTable)
                + " r WHERE r." + Names.quote(Names.ID) + " = s." + quoted + ")", List.of(), "s." + quoted, null);
    }

    /** Values that occur more than once in {@code column} (nulls never count), with the records of the first few. */
    Duplicates duplicates(String column) throws SQLException {
        String quoted = Names.quote(column);
        String repeated = "SELECT " + quoted + " v, COUNT(*) n FROM " + table + " s WHERE " + quoted
                + " IS NOT NULL GROUP BY " + quoted + " HAVING COUNT(*) > 1";
        long values = 0;
        long records = 0;
        List<Object> shown = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(repeated + " ORDER BY n DESC, v");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values++;
                records += rs.getLong(2);
                if (shown.size() < 3) {
                    shown.add(rs.getObject(1));
                }
            }
        }
        List<String> examples = new ArrayList<>();
        for (Object value : shown) {
            List<String> holders = examples(quoted + " = ?", List.of(value), null, null);
            examples.add(show(value) + " (" + String.join(", ", holders) + ")");
        }
        return new Duplicates(values, records, examples);
    }

    /**
     * Values of a choice or multi-choice {@code field}'s column that are none of its options (active or retired),
     * and the records that hold them. Reads the distinct stored values (a multi-choice is split).
     */
    NotOptions notOptions(FieldDefinition field) throws SQLException {
        String quoted = Names.quote(field.name());
        Set<String> options = new LinkedHashSet<>(field.options().stream().map(ChoiceOption::value).toList());
        Set<String> missing = new TreeSet<>();
        List<Object> storedWithMissing = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT " + quoted + " FROM " + table
                + " s WHERE " + quoted + " IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String stored = rs.getString(1);
                List<String> values = field.type() == FieldType.MULTI_CHOICE ? ValueConverter.fromStored(stored)
                        : List.of(stored);
                List<String> unknown = values.stream().filter(v -> !options.contains(v)).toList();
                if (!unknown.isEmpty()) {
                    missing.addAll(unknown);
                    storedWithMissing.add(stored);
                }
            }
        }
        if (missing.isEmpty()) {
            return new NotOptions(Set.of(), Sample.NONE);
        }
        // a few hundred distinct combinations at most in practice; in chunks to stay below parameter limits
        long count = 0;
        List<String> examples = new ArrayList<>();
        for (int from = 0; from < storedWithMissing.size(); from += 500) {
            List<Object> chunk = storedWithMissing.subList(from, Math.min(from + 500, storedWithMissing.size()));
            String in = quoted + " IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            Sample part = sample(in, chunk, quoted, null);
            count += part.count();
            part.examples().stream().limit(EXAMPLES - examples.size()).forEach(examples::add);
        }
        return new NotOptions(missing, new Sample(count, examples));
    }

    /**
     * Records whose text in {@code field}'s column does not have the field's format (email, phone, url) as the
     * record store checks it; the length is not judged here. Reads every value of the column.
     */
    Sample notInFormat(FieldDefinition field) throws SQLException {
        ValueConverter converter = new ValueConverter();
        // the format alone: a long value is judged by the maxLength check
        FieldDefinition formatOnly = new FieldDefinition(field.name(), field.label(), field.type(), false, false, false,
                false, false, Integer.MAX_VALUE, null, null, List.of(), null, null, null, field.location());
        String quoted = Names.quote(field.name());
        long count = 0;
        List<String> examples = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + Names.quote(Names.ID) + ", "
                + (titleColumn == null ? "NULL" : titleColumn) + ", " + quoted + " FROM " + table + " s WHERE " + quoted
                + " IS NOT NULL ORDER BY " + Names.quote(Names.ID));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    converter.convertWithoutLimits(formatOnly, rs.getString(3));
                } catch (InvalidValueException e) {
                    count++;
                    if (examples.size() < EXAMPLES) {
                        examples.add(record(rs.getLong(1), rs.getString(2)) + ": " + show(rs.getString(3)));
                    }
                }
            }
        }
        return new Sample(count, examples);
    }

    /**
     * Records matching {@code where} and a few of them, with the value of {@code shown} if not null: quoted, or
     * followed by {@code unit} ({@code #3 Acme (14 characters)}).
     */
    private Sample sample(String where, List<?> params, String shown, String unit) throws SQLException {
        long count = single("SELECT COUNT(*) FROM " + table + " s WHERE " + where, params);
        return count == 0 ? Sample.NONE : new Sample(count, examples(where, params, shown, unit));
    }

    private List<String> examples(String where, List<?> params, String shown, String unit) throws SQLException {
        List<String> examples = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + Names.quote(Names.ID) + ", "
                + (titleColumn == null ? "NULL" : titleColumn) + ", " + (shown == null ? "NULL" : shown) + " FROM "
                + table + " s WHERE " + where + " ORDER BY " + Names.quote(Names.ID) + " FETCH FIRST " + EXAMPLES
                + " ROWS ONLY")) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object value = rs.getObject(3);
                    String record = record(rs.getLong(1), rs.getString(2));
                    examples.add(value == null ? record : unit == null ? record + ": " + show(value)
                            : record + " (" + value + unit + ")");
                }
            }
        }
        return examples;
    }

    private long single(String sql, List<?> params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    /** {@code #12 Acme}, or {@code #12} without a title. */
    private static String record(long id, String title) {
        return "#" + id + (title == null || title.isBlank() ? "" : " " + abbreviate(title));
    }

    /** A stored value for a message: text quoted and shortened, numbers as they are. */
    private static String show(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return "'" + abbreviate(String.valueOf(value)) + "'";
    }

    private static String abbreviate(String text) {
        return text.length() <= LONGEST_SHOWN_VALUE ? text : text.substring(0, LONGEST_SHOWN_VALUE - 1) + "…";
    }
}
