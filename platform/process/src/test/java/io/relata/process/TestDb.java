package io.relata.process;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database for one test with the process tables migrated by Flyway: an in-memory H2 database, or a new
 * schema in the PostgreSQL database named by {@code crm.test.pg.url} / {@code crm.test.pg.user} (dropped on
 * close). If PostgreSQL cannot be reached the test fails: a silently skipped half of the suite hides bugs.
 * Shared by the tests of every package of this module (the store's TestDatabase is another module's test code).
 */
public final class TestDb implements AutoCloseable {

    /** The databases every process test runs against. */
    public enum Kind {
        H2,
        POSTGRESQL
    }

    private final Kind kind;
    private final DataSource dataSource;
    private final Runnable cleanup;

    private TestDb(Kind kind, DataSource dataSource, Runnable cleanup) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.cleanup = cleanup;
    }

    public static TestDb open(Kind kind) {
        return open(kind, null);
    }

    /**
     * @param postgresSessionZone on PostgreSQL, the session's time zone (e.g. one far from UTC, so figures are
     *                            shown not to depend on it); null for the server's default
     */
    public static TestDb open(Kind kind, String postgresSessionZone) {
        TestDb db = kind == Kind.H2 ? openH2() : openPostgres(postgresSessionZone);
        Flyway.configure().dataSource(db.dataSource).locations("classpath:io/relata/process/migration").load().migrate();
        return db;
    }

    public Kind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs one statement outside the store (to set up or inspect what the API does not show). */
    int execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            return statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs one statement with parameters (null binds SQL NULL). */
    public void execute(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == null) {
                    statement.setNull(i + 1, Types.VARCHAR);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The rows of a query, each as a list of column values. */
    List<List<Object>> rows(String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    long count(String sql) {
        return ((Number) rows(sql).get(0).get(0)).longValue();
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

    private static TestDb openH2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        dataSource.setUser("sa");
        return new TestDb(Kind.H2, dataSource, () -> run(dataSource, "SHUTDOWN"));
    }

    private static TestDb openPostgres(String sessionZone) {
        String url = System.getProperty("crm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("crm.test.pg.user", "postgres");
        if (url.isBlank() || url.startsWith("${")) {
            url = "jdbc:postgresql://127.0.0.1:5432/test";
        }
        if (user.isBlank() || user.startsWith("${")) {
            user = "postgres";
        }
        String schema = uniqueName();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        admin.setUser(user);
        try (Connection c = admin.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(TRIGRAMS_IN_PUBLIC);
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + url + " as " + user + " (" + e.getMessage()
                    + "). The process tests need it: start PostgreSQL 15, or point -Dcrm.test.pg.url and "
                    + "-Dcrm.test.pg.user at one.", e);
        }
        PGSimpleDataSource schemaSource = new PGSimpleDataSource();
        schemaSource.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        schemaSource.setUser(user);
        // the tests check what is stored and seen, not that it survives a crash: commits need not wait for the disk
        schemaSource.setOptions("-c synchronous_commit=off" + (sessionZone == null ? "" : " -c TimeZone=" + sessionZone));
        // pooled as the platform's connections are: a new server process per transaction cost more than the work
        HikariConfig config = new HikariConfig();
        config.setDataSource(schemaSource);
        config.setPoolName(schema);
        config.setMaximumPoolSize(20);
        config.setMinimumIdle(0);
        HikariDataSource pool = new HikariDataSource(config);
        return new TestDb(Kind.POSTGRESQL, pool, () -> {
            pool.close();
            run(admin, "DROP SCHEMA " + schema + " CASCADE");
        });
    }

    private static void run(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
