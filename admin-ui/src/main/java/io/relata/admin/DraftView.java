package io.relata.admin;

import io.relata.metadata.MetadataException;
import io.relata.runtime.DraftConflictException;
import io.relata.runtime.MetadataPublisher;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.NothingToApplyException;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import io.relata.store.SchemaMigrationException;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The administrator's draft of the site layer on every designer page: the files it changes, Check (the full load with
 * every rule example, the schema plan and a diff of each file), Publish with a comment, Discard, and the revisions
 * with Roll back.
 */
@Named
@ViewScoped
public class DraftView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(DraftView.class.getName());

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    private String comment;
    private CheckResult checked;

    /** What a Check found, in the form the page shows. */
    public record CheckResult(boolean publishable, List<String> problems, List<String> warnings,
                              List<String> schemaChanges, List<String> orphans, List<FileDiff> diffs,
                              List<String> conflicts) implements Serializable {
    }

    /** One changed file and its unified diff. */
    public record FileDiff(String path, String diff) implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    private MetadataPublisher publisher() {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        return platform.publisher();
    }

    private String admin() {
        return me.actor().username();
    }

    public List<MetadataPublisher.DraftFile> getFiles() {
        return new ArrayList<>(publisher().draft(admin()).values());
    }

    public void check() {
        MetadataPublisher.Check check = publisher().check(admin());
        MetadataRuntime.Trial trial = check.trial();
        List<String> conflicts = check.conflicts().stream()
                .map(c -> c.path() + ": " + String.join(", ", c.keys())).toList();
        checked = new CheckResult(check.publishable(),
                trial == null ? List.of() : MetadataPublisher.describe(trial.problems()),
                trial == null ? List.of() : trial.warnings(),
                trial == null || trial.plan() == null ? List.of()
                        : trial.plan().changes().stream().map(c -> c.describe()).toList(),
                trial == null || trial.plan() == null ? List.of()
                        : trial.plan().orphans().stream().filter(o -> o.values() > 0).map(o -> o.describe()).toList(),
                check.changes().stream().map(c -> new FileDiff(c.path(), c.diff())).toList(), conflicts);
        if (check.changes().isEmpty() && conflicts.isEmpty()) {
            add(FacesMessage.SEVERITY_INFO, ui.message("designer.nothingToPublish"));
        } else if (checked.publishable()) {
            add(FacesMessage.SEVERITY_INFO, ui.message("designer.checkPassed"));
        } else {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.checkFailed"),
                    checked.problems().size() + conflicts.size()));
        }
    }

    public void publish() {
        if (comment != null && comment.length() > MetadataPublisher.MAX_COMMENT_LENGTH) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.commentTooLong"),
                    MetadataPublisher.MAX_COMMENT_LENGTH, comment.length()));
            return;
        }
        try {
            MetadataPublisher.SiteRevision revision = publisher().publish(admin(), comment);
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.published"), revision.id()));
            comment = null;
            checked = null;
        } catch (MetadataException e) {
            checked = new CheckResult(false, MetadataPublisher.describe(e.problems()), List.of(), List.of(), List.of(),
                    List.of(), List.of());
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.checkFailed"), e.problems().size()));
        } catch (DraftConflictException e) {
            check();
            add(FacesMessage.SEVERITY_ERROR, ui.message("designer.conflict"));
        } catch (SchemaMigrationException e) {
            LOG.log(Level.WARNING, "Schema change refused on publish: " + e.getMessage(), e);
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("admin.migrationFailed"), e.change()));
        } catch (NothingToApplyException e) {
            add(FacesMessage.SEVERITY_WARN, ui.message("designer.nothingToPublish"));
        }
    }

    public void discard() {
        publisher().discard(admin());
        checked = null;
        add(FacesMessage.SEVERITY_INFO, ui.message("designer.discarded"));
    }

    public List<MetadataPublisher.SiteRevision> getRevisions() {
        return publisher().revisions(30);
    }

    public void rollBack(long revisionId) {
        try {
            MetadataPublisher.SiteRevision revision = publisher().rollBack(revisionId, admin(),
                    MessageFormat.format(ui.message("designer.rollBackComment"), revisionId));
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.rolledBack"), revisionId, revision.id()));
        } catch (MetadataException e) {
            checked = new CheckResult(false, MetadataPublisher.describe(e.problems()), List.of(), List.of(), List.of(),
                    List.of(), List.of());
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.checkFailed"), e.problems().size()));
        } catch (NothingToApplyException e) {
            add(FacesMessage.SEVERITY_WARN, MessageFormat.format(ui.message("designer.alreadyThere"), revisionId));
        }
    }

    public String when(MetadataPublisher.SiteRevision revision) {
        return ui.timestamp(revision.publishedAt());
    }

    public CheckResult getChecked() {
        return checked;
    }

    public String getComment() {
        return comment;
    }

    public void setComment(String comment) {
        this.comment = comment;
    }

    private static void add(FacesMessage.Severity severity, String text) {
        DesignerDraft.say(severity, text);
    }
}
