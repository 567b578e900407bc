package io.relata.runtime;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * An empty database for one test: an H2 in-memory database, or a PostgreSQL schema of its own (with pg_trgm in
 * public, as the platform expects), dropped again on close ({@code -Dcrm.test.pg.url}, default the local 'test').
 */
public final class TestDatabase implements AutoCloseable {

    private static final String PG_URL = System.getProperty("crm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");

    private final Database database;
    private final String schema;

    private TestDatabase(Database database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    /** @param kind "h2" or "postgresql" */
    public static TestDatabase open(String kind) throws SQLException {
        String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind.equals("h2")) {
            return new TestDatabase(Database.open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", ""), null);
        }
        try (Connection c = DriverManager.getConnection(PG_URL, "postgres", ""); Statement s = c.createStatement()) {
            // in public: dropping the test's schema must not take the extension with it
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
            s.execute("CREATE SCHEMA " + name);
        }
        // the tests check what is stored and seen, not that it survives a crash: commits need not wait for the disk
        return new TestDatabase(Database.open(PG_URL + "?currentSchema=" + name + "&options=-c%20synchronous_commit%3Doff",
                "postgres", ""), name);
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() throws SQLException {
        database.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_URL, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
