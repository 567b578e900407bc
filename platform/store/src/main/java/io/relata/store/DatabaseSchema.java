package io.relata.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The record tables ({@code rec_*}) of the connection's current schema as {@link DatabaseMetaData} reports
 * them: one call for all tables, one for all columns, then indexes and foreign keys per table (JDBC offers
 * no call for those across tables).
 */
final class DatabaseSchema {

    /** The kind of value a column holds, independent of how each database names its types. */
    enum Family { TEXT, BIGINT, NUMERIC, DATE, TIMESTAMP_TZ, BOOLEAN, OTHER }

    record Column(String name, int dataType, String typeName, int size, int scale) {

        Family family() {
            String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
            if (type.equals("timestamptz") || type.equals("timestamp with time zone")
                    || dataType == Types.TIMESTAMP_WITH_TIMEZONE) {
                return Family.TIMESTAMP_TZ;
            }
            if (type.equals("bool") || type.equals("boolean") || dataType == Types.BOOLEAN) {
                return Family.BOOLEAN;
            }
            return switch (dataType) {
                case Types.VARCHAR, Types.NVARCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB,
                        Types.CHAR, Types.NCHAR -> Family.TEXT;
                case Types.BIGINT -> Family.BIGINT;
                case Types.NUMERIC, Types.DECIMAL -> Family.NUMERIC;
                case Types.DATE -> Family.DATE;
                default -> Family.OTHER;
            };
        }

        /** True for text columns without a length limit worth checking (PostgreSQL text, CLOB). */
        boolean unboundedText() {
            String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
            return type.equals("text") || type.contains("clob") || type.contains("large object")
                    || size <= 0 || size >= 1_000_000_000;
        }

        /** The type as the database reports it, for messages. */
        String display() {
            return switch (family()) {
                case TEXT -> unboundedText() ? typeName.toUpperCase(Locale.ROOT) : "VARCHAR(" + size + ")";
                case NUMERIC -> "NUMERIC(" + size + ", " + scale + ")";
                default -> typeName.toUpperCase(Locale.ROOT);
            };
        }
    }

    /** A foreign key on one column. */
    record ForeignKey(String name, String column, String referencedTable) {
    }

    final String schema;
    final Map<String, Map<String, Column>> tables = new TreeMap<>();
    /** The sequences of the schema (those of {@code autoNumber} fields and any other). */
    final Set<String> sequences = new HashSet<>();
    /** Whether the table of gapless number counters ({@link NumberCounters}) exists. */
    boolean hasNumberCounters;
    /** The extended statistics of the schema (PostgreSQL; none elsewhere). */
    final Set<String> statistics = new HashSet<>();
    private final Map<String, Set<String>> indexNames = new HashMap<>();
    private final Map<String, Map<String, ForeignKey>> foreignKeys = new HashMap<>();
    private final DatabaseMetaData metaData;

    private DatabaseSchema(String schema, DatabaseMetaData metaData) {
        this.schema = schema;
        this.metaData = metaData;
    }

    static DatabaseSchema read(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        DatabaseSchema result = new DatabaseSchema(connection.getSchema(), metaData);
        String schemaPattern = escapePattern(result.schema, metaData);
        try (ResultSet rs = metaData.getTables(null, schemaPattern, "rec%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME");
                if (table.startsWith(Names.TABLE_PREFIX)) {
                    result.tables.put(table, new LinkedHashMap<>());
                }
            }
        }
        try (ResultSet rs = metaData.getTables(null, schemaPattern, NumberCounters.TABLE, new String[] {"TABLE"})) {
            result.hasNumberCounters = rs.next();
        }
        try (ResultSet rs = metaData.getColumns(null, schemaPattern, "rec%", "%")) {
            while (rs.next()) {
                Map<String, Column> columns = result.tables.get(rs.getString("TABLE_NAME"));
                if (columns != null) {
                    String name = rs.getString("COLUMN_NAME");
                    columns.put(name, new Column(name, rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                            rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS")));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = ?")) {
            statement.setString(1, result.schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.sequences.add(rs.getString(1));
                }
            }
        }
        if (SqlDialect.detect(connection) == SqlDialect.POSTGRESQL) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT s.stxname FROM pg_statistic_ext s "
                    + "JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = ?")) {
                statement.setString(1, result.schema);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        result.statistics.add(rs.getString(1));
                    }
                }
            }
        }
        return result;
    }

    boolean hasTable(String table) {
        return tables.containsKey(table);
    }

    /** Index names on a table (read on first use). */
    Set<String> indexes(String table) throws SQLException {
        Set<String> names = indexNames.get(table);
        if (names == null) {
            names = new HashSet<>();
            if (hasTable(table)) {
                try (ResultSet rs = metaData.getIndexInfo(null, schema, table, false, true)) {
                    while (rs.next()) {
                        String name = rs.getString("INDEX_NAME");
                        if (name != null) {
                            names.add(name);
                        }
                    }
                }
            }
            indexNames.put(table, names);
        }
        return names;
    }

    /**
     * The keys of each composite index ({@code cx_…}) of a table, in order, as ORDER BY / index keys
     * ({@link QueryBuilder#orderKey}); read on each call.
     */
    Map<String, List<String>> compositeIndexKeys(String table) throws SQLException {
        Map<String, TreeMap<Integer, String>> keys = new TreeMap<>();
        if (hasTable(table)) {
            try (ResultSet rs = metaData.getIndexInfo(null, schema, table, false, true)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (name != null && column != null && name.startsWith("cx_")) {
                        String column1 = column.replace("\"", "");
                        keys.computeIfAbsent(name, n -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"),
                                QueryBuilder.orderKey(column1, "D".equals(rs.getString("ASC_OR_DESC"))));
                    }
                }
            }
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        keys.forEach((name, ordered) -> result.put(name, List.copyOf(ordered.values())));
        return result;
    }

    /** Foreign keys of a table by column (read on first use). */
    Map<String, ForeignKey> foreignKeys(String table) throws SQLException {
        Map<String, ForeignKey> keys = foreignKeys.get(table);
        if (keys == null) {
            keys = new HashMap<>();
            if (hasTable(table)) {
                try (ResultSet rs = metaData.getImportedKeys(null, schema, table)) {
                    while (rs.next()) {
                        String column = rs.getString("FKCOLUMN_NAME");
                        keys.put(column, new ForeignKey(rs.getString("FK_NAME"), column, rs.getString("PKTABLE_NAME")));
                    }
                }
            }
            foreignKeys.put(table, keys);
        }
        return keys;
    }

    private static String escapePattern(String name, DatabaseMetaData metaData) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = metaData.getSearchStringEscape();
        return escape == null ? name : name.replace(escape, escape + escape).replace("_", escape + "_")
                .replace("%", escape + "%");
    }
}
