package io.relata.runtime;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The metadata corpus on PostgreSQL, where DDL is transactional, in a schema of its own ({@code -Dcrm.test.pg.url},
 * default the local database 'test'): the cases that reach the database, those that load (their schema changes
 * are planned and applied) and the schema conflicts (refused by what is stored). The others are refused while the
 * files are read and checked, before any statement, so the H2 run covers them.
 */
class MetadataCorpusOnPostgresqlTest extends MetadataCorpusTest {

    private final String url = System.getProperty("crm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String schema = "corpus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

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
    boolean runs(MetadataMutations.Mutation mutation) {
        return mutation.expect().loads() || mutation.family().startsWith("schema-");
    }

    @Override
    void dropDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
