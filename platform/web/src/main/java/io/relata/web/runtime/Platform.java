package io.relata.web.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordStore;
import io.relata.metadata.MetadataException;
import io.relata.store.JdbcRecordStore;
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

    private CrmConfig config;
    private Database database;
    private MetadataRuntime metadata;
    private JdbcRecordStore records;

    /** Opens the database, loads the metadata, migrates the schema and seeds demo data on first start. */
    synchronized void start(Path bundledMetadata) throws MetadataException, java.io.IOException {
        config = CrmConfig.fromEnvironment();
        if (config.isH2File()) {
            config.ensureDataDir();
        }
        database = Database.open(config);
        Path base = config.metadataBase().orElse(bundledMetadata);
        metadata = new MetadataRuntime(database, base, config.metadataPath());
        metadata.load(MetadataRevision.Trigger.STARTUP);
        records = new JdbcRecordStore(database.dataSource(), metadata::model);
        if (config.demoData()) {
            new DemoData(database, records, base.resolve("demo")).seedOnce();
        }
        LOG.info(() -> "Database: " + database.productName() + " at " + config.dbUrl()
                + "; metadata from " + metadata.directories());
    }

    @PreDestroy
    synchronized void stop() {
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

    public RecordStore records() {
        return records;
    }

    public Database database() {
        return database;
    }

    public boolean isStarted() {
        return records != null;
    }
}
