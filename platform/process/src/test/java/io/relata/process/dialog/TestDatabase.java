package io.relata.process.dialog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database for one test with the platform's process tables (the Flyway migrations of this module):
 * an in-memory H2 database, or a new schema in the PostgreSQL database named by {@code crm.test.pg.url} /
 * {@code crm.test.pg.user} (dropped on close). Like the store's tests, an unreachable PostgreSQL fails the
 * test instead of skipping it. (The store's TestDatabase is test code of another module, so not reusable.)
 */
final class TestDatabase implements AutoCloseable {

    /** The databases every dialog test runs against. */
    enum Kind {
        H2,
        POSTGRESQL;

        TestDatabase open() {
            TestDatabase db = this == H2 ? openH2() : openPostgres();
            Flyway.configure().dataSource(db.dataSource).locations("classpath:io/relata/process/migration")
                    .load().migrate();
            return db;
        }
    }

    private final DataSource dataSource;
    private final Runnable cleanup;

    private TestDatabase(DataSource dataSource, Runnable cleanup) {
        this.dataSource = dataSource;
        this.cleanup = cleanup;
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private static String uniqueName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static TestDatabase openH2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        dataSource.setUser("sa");
        return new TestDatabase(dataSource, () -> run(dataSource, "SHUTDOWN"));
    }

    private static TestDatabase openPostgres() {
        String url = System.getProperty("crm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("crm.test.pg.user", "postgres");
        String schema = uniqueName();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        admin.setUser(user);
        try (Connection c = admin.getConnection(); Statement statement = c.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + url + " as " + user + " (" + e.getMessage()
                    + "). The dialog tests need it: start PostgreSQL 15, or point -Dcrm.test.pg.url and "
                    + "-Dcrm.test.pg.user at one.", e);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        dataSource.setUser(user);
        return new TestDatabase(dataSource, () -> run(admin, "DROP SCHEMA " + schema + " CASCADE"));
    }

    private static void run(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
