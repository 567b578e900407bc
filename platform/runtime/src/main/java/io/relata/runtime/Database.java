package io.relata.runtime;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The one database of a running CRM: a connection pool on the configured URL, the platform's own tables
 * brought up to date by versioned migrations, and the Jakarta Persistence unit that maps them.
 * See docs/decisions/0001-own-connection-pool.md for why the pool is ours and not the container's.
 */
public final class Database implements io.relata.identity.PersistenceUnit, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final HikariDataSource dataSource;
    private final EntityManagerFactory entityManagerFactory;

    private final io.relata.store.SchemaGate schemaGate;

    private Database(HikariDataSource dataSource, EntityManagerFactory entityManagerFactory,
                     io.relata.store.SchemaGate schemaGate) {
        this.dataSource = dataSource;
        this.entityManagerFactory = entityManagerFactory;
        this.schemaGate = schemaGate;
    }

    public static Database open(CrmConfig config) {
        return open(config.dbUrl(), config.dbUser(), config.dbPassword());
    }

    /** Opens and migrates the database at {@code url}; module tests use this with an in-memory H2. */
    public static Database open(String url, String user, String password) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setPoolName("relata");
        pool.setMaximumPoolSize(16);
        pool.setAutoCommit(true);
        // Named explicitly: inside Payara, DriverManager does not see drivers packaged in WEB-INF/lib.
        if (url.startsWith("jdbc:postgresql:")) {
            pool.setDriverClassName("org.postgresql.Driver");
            pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        } else if (url.startsWith("jdbc:h2:")) {
            pool.setDriverClassName("org.h2.Driver");
        }
        HikariDataSource dataSource = new HikariDataSource(pool);
        try {
            var migration = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    // the process and plugin modules keep their own tables' migrations next to their code (V3…, V9)
                    .locations("classpath:io/relata/runtime/migration", "classpath:io/relata/identity/migration",
                            "classpath:io/relata/process/migration",
                            "classpath:io/relata/plugins/migration")
                    .table("crm_schema_history")
                    .load()
                    .migrate();
            // with nothing to migrate Flyway names no target version: the tables stay at the version they had
            String version = migration.targetSchemaVersion != null ? migration.targetSchemaVersion : migration.initialSchemaVersion;
            LOG.info(() -> "Platform tables at version " + version
                    + " (" + migration.migrationsExecuted + " migrations applied now)");
            EntityManagerFactory emf = Persistence.createEntityManagerFactory("relata", Map.of(
                    "eclipselink.persistencexml", "META-INF/relata-persistence.xml",
                    "jakarta.persistence.nonJtaDataSource", dataSource,
                    "eclipselink.logging.level", "WARNING"));
            return new Database(dataSource, emf, io.relata.store.SchemaGate.forUrl(url));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * Runs a plugin's own migrations ({@code V<n>__<what>.sql} in {@code scripts}) with a history table of its own,
     * {@code crm_plugin_<id>_history}, so that plugins number their migrations independently of the platform.
     *
     * @return how many migrations ran now
     */
    public int migratePlugin(String pluginId, java.nio.file.Path scripts) {
        var result = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("filesystem:" + scripts.toAbsolutePath())
                .table("crm_plugin_" + pluginId.replace('-', '_') + "_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one resource-local transaction of the platform persistence unit. */
    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = entityManagerFactory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /** Drops one entity from the shared cache, after plain JDBC changed its row: the next read loads it anew. */
    @Override
    public void evict(Class<?> entity, Object id) {
        entityManagerFactory.getCache().evict(entity, id);
    }

    /** What record transactions and schema changes pass, so that a schema change never meets a statement. */
    public io.relata.store.SchemaGate schemaGate() {
        return schemaGate;
    }

    public String productName() {
        try (var c = dataSource.getConnection()) {
            var meta = c.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        } catch (java.sql.SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (entityManagerFactory.isOpen()) {
            entityManagerFactory.close();
        }
        dataSource.close();
    }
}
