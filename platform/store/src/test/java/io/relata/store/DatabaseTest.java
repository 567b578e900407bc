package io.relata.store;

import io.relata.api.model.MetadataModel;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every test of a subclass on H2 and on PostgreSQL, each test on a fresh empty database (an H2
 * in-memory database or a new PostgreSQL schema).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
abstract class DatabaseTest {

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;

    @BeforeEach
    void openDatabase() {
        db = kind.open();
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    SchemaPlan plan(MetadataModel model) {
        try (Connection c = db.connection()) {
            return new SchemaPlanner().plan(model, c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plans {@code model} as a reload does, against the model in force. */
    SchemaPlan plan(MetadataModel model, MetadataModel inForce) {
        try (Connection c = db.connection()) {
            return new SchemaPlanner().plan(model, inForce, c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The record tables as the database describes them, one sorted line per table, column (with type and size),
     * index and foreign key: equal snapshots mean an equal schema (the primary key's index counts without its
     * made-up name).
     */
    List<String> schemaSnapshot() {
        List<String> lines = new ArrayList<>();
        try (Connection c = db.connection()) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, c.getSchema(), "rec%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                lines.add("table " + table);
                try (ResultSet rs = meta.getColumns(null, c.getSchema(), table, "%")) {
                    while (rs.next()) {
                        lines.add("column " + table + "." + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME")
                                + "(" + rs.getInt("COLUMN_SIZE") + "," + rs.getInt("DECIMAL_DIGITS") + ")");
                    }
                }
                try (ResultSet rs = meta.getIndexInfo(null, c.getSchema(), table, false, true)) {
                    while (rs.next()) {
                        String name = rs.getString("INDEX_NAME");
                        if (name != null) {
                            // the primary key's index has a name the database makes up (H2 renames it when it
                            // rebuilds a table): it is the same index
                            boolean primaryKey = name.startsWith("PRIMARY_KEY") || name.endsWith("_pkey");
                            lines.add("index " + table + "." + (primaryKey ? "(primary key)" : name) + " on "
                                    + rs.getString("COLUMN_NAME") + (rs.getBoolean("NON_UNIQUE") ? "" : " unique"));
                        }
                    }
                }
                try (ResultSet rs = meta.getImportedKeys(null, c.getSchema(), table)) {
                    while (rs.next()) {
                        lines.add("foreign key " + rs.getString("FK_NAME") + " " + table + "." + rs.getString("FKCOLUMN_NAME")
                                + " -> " + rs.getString("PKTABLE_NAME"));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Collections.sort(lines);
        return lines;
    }

    void apply(SchemaPlan plan) {
        try (Connection c = db.connection()) {
            new SchemaMigrator().apply(plan, c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the schema for {@code model} and returns a store on it. */
    JdbcRecordStore migratedStore(MetadataModel model) {
        new SchemaMigrator().migrate(model, db.dataSource());
        return new JdbcRecordStore(db.dataSource(), () -> model);
    }
}
