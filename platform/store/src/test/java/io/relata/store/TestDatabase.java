package io.relata.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, empty database for one test: an in-memory H2 database, or a new schema in the PostgreSQL
 * database named by {@code crm.test.pg.url} / {@code crm.test.pg.user} (dropped on close). If PostgreSQL
 * cannot be reached the test fails: CI starts it, and a silently skipped half of the suite hides bugs.
 */
final class TestDatabase implements AutoCloseable {

    /** The databases every store test runs against. */
    enum Kind {
        H2,
        POSTGRESQL;

        TestDatabase open() {
            return this == H2 ? openH2() : openPostgres();
        }
    }

    private final Kind kind;
    private final DataSource dataSource;
    private final Runnable cleanup;

    private TestDatabase(Kind kind, DataSource dataSource, Runnable cleanup) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.cleanup = cleanup;
    }

    Kind kind() {
        return kind;
    }

    DataSource dataSource() {
        return dataSource;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs one statement outside the store (to set up data the store would refuse). */
    void execute(String sql) {
        try (Connection c = connection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        cleanup.run();
    }

    /**
     * pg_trgm in {@code public}, never in a test's schema: dropping a schema that holds the extension drops every
     * trigram index in every schema with it, and deadlocked a test running in another JVM at the same time.
     */
    static final String TRIGRAMS_IN_PUBLIC = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')"
            + " THEN CREATE EXTENSION pg_trgm SCHEMA public; ELSIF (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
            + " ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm') <> 'public' THEN ALTER EXTENSION pg_trgm SET SCHEMA"
            + " public; END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$";

    private static String uniqueName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static TestDatabase openH2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        dataSource.setUser("sa");
        return new TestDatabase(Kind.H2, dataSource, () -> run(dataSource, "SHUTDOWN"));
    }

    private static TestDatabase openPostgres() {
        String url = System.getProperty("crm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("crm.test.pg.user", "postgres");
        String schema = uniqueName();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        admin.setUser(user);
        try (Connection c = admin.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(TRIGRAMS_IN_PUBLIC);
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + url + " as " + user + " (" + e.getMessage()
                    + "). The store tests need it: start PostgreSQL 15, or point -Dcrm.test.pg.url and "
                    + "-Dcrm.test.pg.user at one.", e);
        }
        PGSimpleDataSource schemaSource = new PGSimpleDataSource();
        schemaSource.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        schemaSource.setUser(user);
        // the tests check what is stored and seen, not that it survives a crash: commits need not wait for the disk
        schemaSource.setOptions("-c synchronous_commit=off");
        HikariDataSource pool = pooled(schemaSource, schema);
        return new TestDatabase(Kind.POSTGRESQL, pool, () -> {
            pool.close();
            run(admin, "DROP SCHEMA " + schema + " CASCADE");
        });
    }

    /**
     * Connections kept open as the platform's pool keeps them: unpooled, the eight writers of the gapless-number test
     * spent more on starting a server process per write than on writing (213 s of 8,000 creates in the suite's run).
     */
    static HikariDataSource pooled(DataSource dataSource, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setPoolName(name);
        config.setMaximumPoolSize(20); // more than the most threads a test writes with
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    private static void run(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
