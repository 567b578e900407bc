package io.relata.web.ui;

import io.relata.metadata.MetadataException;
import io.relata.web.runtime.MetadataRevision;
import io.relata.web.runtime.MetadataRuntime;
import io.relata.web.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;

/** The admin page of the metadata: reload without restart, pending schema changes, load history. */
@Named
@RequestScoped
public class AdminView {

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String problems = "";

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public void reload() {
        AdminGuard.require(platform, me);
        try {
            MetadataRuntime.LoadReport report = platform.metadata().load(MetadataRevision.Trigger.RELOAD);
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("admin.reloaded"), report.revision()));
        } catch (MetadataException e) {
            problems = e.problems().stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse("");
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("admin.invalid"), e.problems().size()));
        } catch (io.relata.store.SchemaMigrationException | io.relata.web.runtime.SchemaConflictException e) {
            problems = e.getMessage();
            add(FacesMessage.SEVERITY_ERROR, e.getMessage());
        }
    }

    public String getProblems() {
        return problems;
    }

    public List<Path> getDirectories() {
        return platform.metadata().directories();
    }

    public List<String> getPendingChanges() {
        return platform.metadata().pendingPlan().changes().stream().map(c -> c.describe()).toList();
    }

    /** The warnings of the latest load (the revision in force), one per line: shown until the next reload. */
    public List<String> getWarnings() {
        List<MetadataRevision> latest = platform.metadata().revisions(1);
        if (latest.isEmpty() || latest.get(0).getWarnings() == null || latest.get(0).getWarnings().isBlank()) {
            return List.of();
        }
        return List.of(latest.get(0).getWarnings().split("\n"));
    }

    public List<MetadataRevision> getRevisions() {
        return platform.metadata().revisions(20);
    }

    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }
}
