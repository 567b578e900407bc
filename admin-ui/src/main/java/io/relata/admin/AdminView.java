package io.relata.admin;

import io.relata.metadata.MetadataException;
import io.relata.store.SchemaMigrationException;
import io.relata.store.SchemaPlan;
import io.relata.runtime.NotAnOrphanException;
import io.relata.runtime.SchemaConflictException;
import io.relata.runtime.MetadataRevision;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin page of the metadata: reload without restart, pending schema changes, orphaned tables and columns (each
 * can be dropped, after confirmation), load history.
 */
@Named
@RequestScoped
public class AdminView {

    @Inject
    Platform platform;

    @Inject
    MetadataRuntime metadata;

    @Inject
    AdminTexts ui;

    @Inject
    RequestActor me;

    private static final Logger LOG = Logger.getLogger(AdminView.class.getName());

    private String problems = "";
    private List<SchemaPlan.Orphan> orphans;

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public void reload() {
        AdminGuard.require(platform, me);
        try {
            MetadataRuntime.LoadReport report = metadata.load(MetadataRevision.Trigger.RELOAD);
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("admin.reloaded"), report.revision()));
        } catch (MetadataException e) {
            problems = e.problems().stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse("");
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("admin.invalid"), e.problems().size()));
        } catch (SchemaConflictException e) {
            problems = e.problems().stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse("");
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("admin.conflict"), e.problems().size()));
        } catch (SchemaMigrationException e) {
            // the statement and the database's own text go to the log, not to the page
            LOG.log(Level.WARNING, "Schema change refused on reload: " + e.getMessage(), e);
            problems = "";
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message(e.undone() ? "admin.migrationFailed"
                    : "admin.migrationFailedPartly"), e.change()));
        }
    }

    /** Tables and columns no metadata names any more, with their number of values: each can be dropped here. */
    public List<SchemaPlan.Orphan> getOrphans() {
        if (orphans == null) {
            orphans = metadata.orphans();
        }
        return orphans;
    }

    /** Drops one orphan (after the page asked for confirmation); a name that is no orphan is refused. */
    public void dropOrphan(String table, String column) {
        AdminGuard.require(platform, me);
        try {
            SchemaPlan.Orphan dropped = metadata.dropOrphan(table, column == null || column.isEmpty() ? null
                    : column, me.actor().username());
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message(dropped.isTable() ? "admin.orphans.droppedTable"
                    : "admin.orphans.droppedColumn"), dropped.isTable() ? dropped.table()
                    : dropped.table() + "." + dropped.column(), dropped.values()));
        } catch (NotAnOrphanException e) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("admin.orphans.notAnOrphan"),
                    column == null || column.isEmpty() ? table : table + "." + column));
        }
        orphans = null;
    }

    public String getProblems() {
        return problems;
    }

    /** The revision of the metadata in force. */
    public String getRevision() {
        return metadata.model().revision();
    }

    public List<Path> getDirectories() {
        return metadata.directories();
    }

    public List<String> getPendingChanges() {
        return metadata.pendingPlan().changes().stream().map(c -> c.describe()).toList();
    }

    /** The warnings of the latest load (the revision in force), one per line: shown until the next reload. */
    public List<String> getWarnings() {
        List<MetadataRevision> latest = metadata.revisions(1);
        if (latest.isEmpty() || latest.get(0).getWarnings() == null || latest.get(0).getWarnings().isBlank()) {
            return List.of();
        }
        return List.of(latest.get(0).getWarnings().split("\n"));
    }

    /**
     * One metadata element (entity, process, dialog, role, mail template) with the layer that defines it and the
     * later layers that extend it (fields or options added by a plugin or the site).
     */
    public record LayeredElement(String kind, String name, String label, String layer, String extendedBy) {
    }

    /** What each layer contributes, in the order the model holds it. */
    public List<LayeredElement> getLayers() {
        io.relata.api.model.MetadataModel model = metadata.model();
        List<LayeredElement> rows = new java.util.ArrayList<>();
        for (io.relata.api.model.EntityDefinition entity : model.allEntities()) {
            String layer = metadata.layerOf(entity.location());
            String extendedBy = entity.fields().stream().map(f -> metadata.layerOf(f.location()))
                    .filter(l -> !l.equals(layer)).distinct().collect(java.util.stream.Collectors.joining(", "));
            rows.add(new LayeredElement(ui.message("admin.layers.entity"), entity.name(), ui.label(entity), layer, extendedBy));
        }
        model.processes().values().forEach(p -> rows.add(new LayeredElement(ui.message("admin.layers.process"), p.name(),
                p.label() == null ? p.name() : ui.text(p.label()), metadata.layerOf(p.source()), "")));
        model.dialogs().values().forEach(d -> rows.add(new LayeredElement(ui.message("admin.layers.dialog"), d.name(),
                d.label() == null ? d.name() : ui.text(d.label()), metadata.layerOf(d.source()), "")));
        model.roles().values().forEach(r -> rows.add(new LayeredElement(ui.message("admin.layers.role"), r.name(),
                r.label() == null ? r.name() : ui.text(r.label()), metadata.layerOf(r.location()), "")));
        model.templates().values().forEach(t -> rows.add(new LayeredElement(ui.message("admin.layers.template"), t.name(),
                ui.text(t.subject()), metadata.layerOf(t.source()), "")));
        return rows;
    }

    public List<MetadataRevision> getRevisions() {
        return metadata.revisions(20);
    }

    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }
}
