package io.relata.runtime.customer;

import io.relata.runtime.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The customer views on PostgreSQL, in a schema of its own ({@code -Dcrm.test.pg.url},
 * default the local database 'test').
 */
class CustomerViewsOnPostgresqlTest extends CustomerViewsTest {

    private final String url = System.getProperty("crm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String schema = "views_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    Database openDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            // in public: dropping our schema must not take the extension (and other schemas' indexes) with it
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
            statement.execute("CREATE SCHEMA " + schema);
        }
        return Database.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, "postgres", "");
    }

    @Override
    void dropDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
