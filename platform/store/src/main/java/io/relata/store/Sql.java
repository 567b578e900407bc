package io.relata.store;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL text with its bind parameters, and how field values are bound and read. */
final class Sql {

    /** A bind parameter: the value and the field type that says how to bind it. */
    record Param(FieldType type, Object value) {
    }

    /** Stand-ins for the system columns, so filters and sorts treat them like fields. */
    static final Map<String, FieldDefinition> SYSTEM_COLUMNS = Map.of(
            Names.ID, system(Names.ID, FieldType.INTEGER),
            Names.VERSION, system(Names.VERSION, FieldType.INTEGER),
            Names.CREATED_AT, system(Names.CREATED_AT, FieldType.DATE_TIME),
            Names.UPDATED_AT, system(Names.UPDATED_AT, FieldType.DATE_TIME),
            Names.OWNER_USER, system(Names.OWNER_USER, FieldType.INTEGER),
            Names.OWNER_TEAM, system(Names.OWNER_TEAM, FieldType.INTEGER));

    final StringBuilder text = new StringBuilder();
    final List<Param> params = new ArrayList<>();

    Sql append(String sql) {
        text.append(sql);
        return this;
    }

    Sql param(FieldType type, Object value) {
        text.append('?');
        params.add(new Param(type, value));
        return this;
    }

    PreparedStatement prepare(java.sql.Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text.toString());
        try {
            bindAll(statement, params, 1);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    static int bindAll(PreparedStatement statement, List<Param> params, int first) throws SQLException {
        int index = first;
        for (Param param : params) {
            bind(statement, index++, param.type(), param.value());
        }
        return index;
    }

    static void bind(PreparedStatement statement, int index, FieldType type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType(type));
            return;
        }
        switch (type) {
            case INTEGER, REFERENCE, FILE -> statement.setLong(index, (Long) value);
            case DECIMAL, MONEY -> statement.setBigDecimal(index, (BigDecimal) value);
            case DATE -> statement.setObject(index, value, Types.DATE);
            case DATE_TIME -> statement.setObject(index, value, Types.TIMESTAMP_WITH_TIMEZONE);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case MULTI_CHOICE -> statement.setString(index, value instanceof List<?> list
                    ? ValueConverter.toStored(list.stream().map(String::valueOf).toList()) : value.toString());
            default -> statement.setString(index, value.toString());
        }
    }

    static int sqlType(FieldType type) {
        return switch (type) {
            case INTEGER, REFERENCE, FILE -> Types.BIGINT;
            case DECIMAL, MONEY -> Types.NUMERIC;
            case DATE -> Types.DATE;
            case DATE_TIME -> Types.TIMESTAMP_WITH_TIMEZONE;
            case BOOLEAN -> Types.BOOLEAN;
            default -> Types.VARCHAR;
        };
    }

    /** Reads a column as the field type's Java type; date-times in UTC, multi-choice as a list. */
    static Object read(ResultSet rs, int column, FieldType type) throws SQLException {
        return switch (type) {
            case INTEGER, REFERENCE, FILE -> {
                long value = rs.getLong(column);
                yield rs.wasNull() ? null : value;
            }
            case DECIMAL, MONEY -> rs.getBigDecimal(column);
            case DATE -> rs.getObject(column, LocalDate.class);
            case DATE_TIME -> {
                OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                yield value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
            }
            case BOOLEAN -> {
                boolean value = rs.getBoolean(column);
                yield rs.wasNull() ? null : value;
            }
            case MULTI_CHOICE -> ValueConverter.fromStored(rs.getString(column));
            default -> rs.getString(column);
        };
    }

    /**
     * True for the system columns that are {@code NOT NULL} in every record table (id, version, created_at,
     * updated_at). Required fields are not among them: their columns accept null (the store checks them).
     */
    static boolean isNeverNull(String column) {
        return column.equals(Names.ID) || column.equals(Names.VERSION) || column.equals(Names.CREATED_AT)
                || column.equals(Names.UPDATED_AT);
    }

    /** Escapes LIKE wildcards so user text matches literally (with {@code ESCAPE '\'}). */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static FieldDefinition system(String name, FieldType type) {
        return new FieldDefinition(name, new LocalizedText(Map.of("en", name)), type, false, false, true, false,
                false, null, null, null, List.of(), null, null, null, null);
    }
}
