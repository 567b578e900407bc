package io.relata.store;

import io.relata.api.model.MetadataModel;
import java.sql.Connection;
import java.sql.SQLException;
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
