package io.relata.bench.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Appends generated rows to one of the CRM's record tables through PostgreSQL's COPY, into the table, indexes and
 * foreign keys the CRM created from the metadata: the secondary indexes and the table's own foreign keys are
 * dropped for the load and created again from their own definitions afterwards (faster than maintaining them row
 * by row, and the foreign keys are checked once over the whole table when they are added again; the result is
 * the same), then {@code VACUUM ANALYZE}. A generator that fills {@code id} chooses the ids itself; the identity
 * sequence is then moved past the largest one, so that records the CRM creates later get free ids.
 */
final class CopyLoader {

    /** The values of generated rows, one row at a time. */
    interface Rows {
        /** The columns this generator fills; a NOT NULL column without a default that is not among them is refused. */
        Set<String> columns();

        /** Prepares row {@code row} (0-based); {@link #value} is then asked for each column of the COPY. */
        void next(int row);

        /** The value of {@code column} in the current row as COPY text (no tabs, newlines or backslashes), or null. */
        String value(String column);
    }

    private CopyLoader() {
    }

    /** Appends {@code rows} rows from {@code generator} to {@code table}; returns the seconds it took. */
    static double load(Connection connection, String table, int rows, Rows generator) throws SQLException, IOException {
        long started = System.nanoTime();
        List<String> columns = columns(connection, table, generator.columns());
        List<String[]> indexes = definitions(connection, "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                + "WHERE i.tablename = '" + table + "' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)");
        List<String[]> foreignKeys = definitions(connection, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = '" + table + "'::regclass AND contype = 'f'");
        try (Statement statement = connection.createStatement()) {
            for (String[] key : foreignKeys) {
                statement.execute("ALTER TABLE " + table + " DROP CONSTRAINT " + key[0]);
            }
            for (String[] index : indexes) {
                statement.execute("DROP INDEX " + index[0]);
            }
        }
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN");
        try {
            StringBuilder buffer = new StringBuilder(1 << 20);
            for (int row = 0; row < rows; row++) {
                generator.next(row);
                for (int i = 0; i < columns.size(); i++) {
                    String value = generator.value(columns.get(i));
                    buffer.append(i == 0 ? "" : "\t").append(value == null ? "\\N" : value);
                }
                buffer.append('\n');
                if (buffer.length() > (1 << 20) - 4096) {
                    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    buffer.setLength(0);
                }
            }
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET maintenance_work_mem = '256MB'");
            for (String[] index : indexes) {
                statement.execute(index[1]);
            }
            for (String[] key : foreignKeys) {
                statement.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + key[0] + " " + key[1]);
            }
            if (columns.contains("id")) {
                statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                        + "(SELECT coalesce(max(id), 0) + 1 FROM " + table + "), false)");
            }
            statement.execute("VACUUM ANALYZE " + table);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * The columns of the COPY: those of the table the generator fills (an identity column only if it fills it);
     * refuses a NOT NULL column without a default that it does not fill.
     */
    private static List<String> columns(Connection connection, String table, Set<String> known) throws SQLException {
        List<String> columns = new ArrayList<>();
        boolean exists = false;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT column_name, is_nullable, is_identity, column_default "
                     + "FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (result.next()) {
                exists = true;
                String name = result.getString(1);
                if (known.contains(name)) {
                    columns.add(name);
                } else if ("NO".equals(result.getString(2)) && !"YES".equals(result.getString(3)) && result.getString(4) == null) {
                    throw new IllegalStateException(table + "." + name + " is NOT NULL and the generator does not fill it");
                }
            }
        }
        if (!exists) {
            throw new IllegalStateException("No table " + table + ": the CRM has not created it from the metadata");
        }
        return columns;
    }

    /** Name and definition of each row of {@code sql}. */
    private static List<String[]> definitions(Connection connection, String sql) throws SQLException {
        List<String[]> definitions = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                definitions.add(new String[] {result.getString(1), result.getString(2)});
            }
        }
        return definitions;
    }
}
