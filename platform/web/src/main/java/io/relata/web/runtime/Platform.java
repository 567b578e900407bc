package io.relata.web.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordStore;
import io.relata.metadata.MetadataException;
import io.relata.api.security.Actor;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import java.time.Clock;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import io.relata.web.security.AuditLog;
import io.relata.web.security.CurrentActor;
import io.relata.web.security.UserDirectory;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The running CRM: configuration, database, live metadata and the record store, created once at start-up
 * by {@link PlatformStartup} and shared by the REST API and the UI.
 */
@ApplicationScoped
public class Platform {

    private static final Logger LOG = Logger.getLogger(Platform.class.getName());

    /** The role that may do everything; shipped in metadata/roles/administrator.yaml. */
    public static final String ADMINISTRATOR_ROLE = "administrator";

    @Inject
    Pbkdf2PasswordHash passwordHash;

    private CrmConfig config;
    private Database database;
    private MetadataRuntime metadata;
    private RuleEngine rules;
    private JdbcRecordStore systemRecords;
    private SecuredRecordStore records;
    private UserDirectory users;
    private AuditLog audit;

    /** Opens the database, loads the metadata, migrates the schema and seeds demo data on first start. */
    synchronized void start(Path bundledMetadata) throws MetadataException, java.io.IOException {
        config = CrmConfig.fromEnvironment();
        if (config.isH2File()) {
            config.ensureDataDir();
        }
        database = Database.open(config);
        Path base = config.metadataBase().orElse(bundledMetadata);
        // The statement limit stops endless loops deterministically; the deadline is the backstop for what
        // statements do not count (regex backtracking, huge strings). It must allow a cold first run,
        // interpreted, on a busy machine: 200 ms did not.
        rules = new RuleEngine(new RuleLimits(RuleLimits.DEFAULT.statementLimit(), config.rulesTimeout()), Clock.systemDefaultZone());
        LOG.info(rules::mode);
        metadata = new MetadataRuntime(database, rules, base, config.metadataPath());
        metadata.load(MetadataRevision.Trigger.STARTUP);
        systemRecords = new JdbcRecordStore(database.dataSource(), metadata::model).withRules(rules);
        audit = new AuditLog(database.dataSource());
        records = new SecuredRecordStore(systemRecords, metadata::model, Platform::requestActor, audit);
        users = new UserDirectory(database, passwordHash);
        users.bootstrapAdministrator(config.adminPassword(), ADMINISTRATOR_ROLE).ifPresent(password -> LOG.warning(
                "Created the user 'admin' with the generated password " + password
                        + " (shown only now). Log in and change it under 'My account', or set CRM_ADMIN_PASSWORD before the first start."));
        if (config.demoData()) {
            new DemoData(database, systemRecords, base.resolve("demo")).seedOnce();
        }
        LOG.info(() -> "Database: " + database.productName() + " at " + config.dbUrl()
                + "; metadata from " + metadata.directories());
    }

    @PreDestroy
    synchronized void stop() {
        if (rules != null) {
            rules.close();
            rules = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    public CrmConfig config() {
        return config;
    }

    public MetadataRuntime metadata() {
        return metadata;
    }

    public MetadataModel model() {
        return metadata.model();
    }

    /** The record store as the logged-in user of the current request may use it. */
    public RecordStore records() {
        return records;
    }

    /** The same store with its form helpers (live rule evaluation). */
    public SecuredRecordStore securedRecords() {
        return records;
    }

    /** The unrestricted store for platform work (start-up, demo data); never for a user's request. */
    public JdbcRecordStore systemRecords() {
        return systemRecords;
    }

    public UserDirectory users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }

    /** What {@code actor} may do under the model in force. */
    public AccessPolicy access(Actor actor) {
        return new AccessPolicy(model(), actor);
    }

    /** The logged-in user of the current request. */
    public Actor currentActor() {
        return requestActor();
    }

    private static Actor requestActor() {
        return CDI.current().select(CurrentActor.class).get().actor();
    }

    public Database database() {
        return database;
    }

    public boolean isStarted() {
        return records != null;
    }
}
