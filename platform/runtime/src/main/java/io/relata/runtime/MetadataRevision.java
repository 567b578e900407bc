package io.relata.runtime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One successful load of the metadata: which revision, from where, and what it changed in the schema. */
@Entity
@Table(name = "crm_metadata_revision")
public class MetadataRevision {

    public enum Trigger { STARTUP, RELOAD, PLUGIN, DESIGNER, ROLLBACK }

    // A sequence, not IDENTITY: EclipseLink reads identities with CALL IDENTITY(), which H2 2.x removed.
    @Id
    @SequenceGenerator(name = "crm_metadata_revision_seq", sequenceName = "crm_metadata_revision_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "crm_metadata_revision_seq")
    private Long id;

    @Column(nullable = false)
    private String revision;

    @Column(name = "loaded_at", nullable = false)
    private OffsetDateTime loadedAt;

    @Column(name = "trigger_kind", nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private Trigger trigger;

    @Column(name = "entity_count", nullable = false)
    private int entityCount;

    @Column(name = "file_count", nullable = false)
    private int fileCount;

    @Column(nullable = false)
    private String sources;

    @Column(name = "applied_changes", nullable = false)
    private String appliedChanges;

    @Column(nullable = false)
    private String warnings;

    protected MetadataRevision() {
    }

    public MetadataRevision(String revision, OffsetDateTime loadedAt, Trigger trigger, int entityCount,
                            int fileCount, String sources, String appliedChanges, String warnings) {
        this.revision = revision;
        this.loadedAt = loadedAt;
        this.trigger = trigger;
        this.entityCount = entityCount;
        this.fileCount = fileCount;
        this.sources = sources;
        this.appliedChanges = appliedChanges;
        this.warnings = warnings;
    }

    public Long getId() { return id; }
    public String getRevision() { return revision; }
    public OffsetDateTime getLoadedAt() { return loadedAt; }
    public Trigger getTrigger() { return trigger; }
    public int getEntityCount() { return entityCount; }
    public int getFileCount() { return fileCount; }
    public String getSources() { return sources; }
    public String getAppliedChanges() { return appliedChanges; }
    public String getWarnings() { return warnings; }
}
