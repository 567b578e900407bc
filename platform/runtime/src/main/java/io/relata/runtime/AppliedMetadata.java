package io.relata.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataLoader;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The metadata files the record tables were last brought in line with, kept in the database. At start-up there
 * is no model in force to compare the new one with, and the database's structure does not show everything a
 * change can contradict (a removed option, a text field that became an email field): the model these files
 * describe takes its place, so that a start checks the stored values of exactly the fields that changed, as a
 * reload does.
 */
final class AppliedMetadata {

    private static final Logger LOG = Logger.getLogger(AppliedMetadata.class.getName());

    private final Database database;
    private final MetadataLoader loader;

    AppliedMetadata(Database database, MetadataLimits limits) {
        this.database = database;
        // structure only: the examples held when these files were applied
        this.loader = new MetadataLoader(null, limits);
    }

    /**
     * The model of the files last applied; empty before the first load, or if they no longer load (a newer
     * version of the platform checks more): then a start compares with the database's structure alone.
     */
    Optional<MetadataModel> model() {
        List<MetadataFile> files = database.inTransaction(em -> {
            List<?> rows = em.createNativeQuery("SELECT path, content FROM crm_applied_metadata ORDER BY path")
                    .getResultList();
            return rows.stream().map(Object[].class::cast)
                    .map(row -> new MetadataFile((String) row[0], (String) row[1]))
                    .toList();
        });
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(loader.load(files));
        } catch (MetadataException e) {
            LOG.warning(() -> "The metadata last applied no longer loads (" + e.problems().size() + " problem(s), the "
                    + "first: " + e.problems().get(0) + "); this start compares the metadata with the table structure only");
            return Optional.empty();
        }
    }

    /** Replaces the stored files with those just applied, in the caller's transaction. */
    void replace(EntityManager em, List<MetadataFile> files) {
        em.createNativeQuery("DELETE FROM crm_applied_metadata").executeUpdate();
        for (MetadataFile file : files) {
            em.createNativeQuery("INSERT INTO crm_applied_metadata (path, content) VALUES (?, ?)")
                    .setParameter(1, file.displayName())
                    .setParameter(2, file.content())
                    .executeUpdate();
        }
    }
}
