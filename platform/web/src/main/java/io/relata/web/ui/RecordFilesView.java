package io.relata.web.ui;

import io.relata.runtime.Platform;
import io.relata.runtime.files.RecordFiles;
import io.relata.runtime.files.RecordFiles.StoredFile;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import org.primefaces.event.FileUploadEvent;

/**
 * The files panel of a record page: the record's files with download links and image thumbnails, upload for who may
 * change the record, delete. Downloads go through the API ({@code /api/v1/files/{id}}), which checks the read right
 * again on every request.
 */
@Named
@ViewScoped
public class RecordFilesView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    private String entity;
    private Long id;
    private boolean changeable;
    /** The file field an upload goes to (its value), or null: the files panel. */
    private String target;
    private List<io.relata.api.model.FieldDefinition> fileFields = List.of();
    private transient List<StoredFile> files;

    @PostConstruct
    void init() {
        entity = Pages.requiredEntityParameter(platform);
        String idParameter = Pages.parameter("id");
        if (idParameter == null || idParameter.isBlank()) {
            return; // a new record has no files yet
        }
        try {
            id = Long.parseLong(idParameter);
        } catch (NumberFormatException e) {
            return; // the record page answers a bad id
        }
        if (platform.records().find(entity, id).isEmpty()) {
            id = null;
            return;
        }
        changeable = platform.securedRecords().explain(entity, id).canUpdate();
        io.relata.api.record.Record record = platform.records().find(entity, id).orElseThrow();
        var access = platform.access(me.actor());
        fileFields = platform.model().entity(entity).map(e -> e.fields().stream()
                .filter(f -> f.type() == io.relata.api.model.FieldType.FILE && record.values().containsKey(f.name())
                        && access.fieldAccess(entity, f.name()) == io.relata.api.security.FieldAccess.EDITABLE).toList())
                .orElse(List.of());
    }

    /** The file fields the user may fill by uploading, besides the files panel. */
    public List<io.relata.api.model.FieldDefinition> getFileFields() {
        return changeable ? fileFields : List.of();
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target == null || target.isBlank() ? null : target;
    }

    /** A file of this record by id (a file field's value), or null. */
    public StoredFile file(Long fileId) {
        return fileId == null ? null : getFiles().stream().filter(f -> f.id() == fileId).findFirst().orElse(null);
    }

    public boolean isShown() {
        return id != null;
    }

    public boolean isChangeable() {
        return changeable;
    }

    public List<StoredFile> getFiles() {
        if (files == null) {
            files = id == null ? List.of() : platform.recordFiles().of(platform.securedRecords(), entity, id);
        }
        return files;
    }

    public void upload(FileUploadEvent event) {
        try (InputStream content = event.getFile().getInputStream()) {
            if (target != null && fileFields.stream().anyMatch(f -> f.name().equals(target))) {
                platform.recordFiles().addAsValue(platform.securedRecords(), entity, id, target, event.getFile().getFileName(), content);
                // the record changed (its field and version): the page shows it anew, with its form
                FacesContext context = FacesContext.getCurrentInstance();
                context.getExternalContext().getFlash().setKeepMessages(true);
                message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("files.added"), event.getFile().getFileName()));
                context.getExternalContext().redirect(Pages.contextPath() + "/record.xhtml?entity=" + entity + "&id=" + id);
                return;
            }
            StoredFile stored = platform.recordFiles().add(platform.securedRecords(), entity, id, null,
                    event.getFile().getFileName(), content);
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("files.added"), stored.name()));
        } catch (io.relata.api.record.RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, e.message(me.language()));
        } catch (RecordFiles.RefusedException e) {
            message(FacesMessage.SEVERITY_ERROR, e.text().in(me.language()));
        } catch (IOException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("files.uploadFailed"));
        }
        files = null;
    }

    public void delete(long fileId) {
        try {
            platform.recordFiles().delete(platform.securedRecords(), fileId);
            message(FacesMessage.SEVERITY_INFO, ui.message("files.deleted"));
        } catch (RecordFiles.RefusedException e) {
            message(FacesMessage.SEVERITY_ERROR, e.text().in(me.language()));
        }
        files = null;
    }

    /** The download address of a file, relative to the page. */
    public String download(StoredFile file) {
        return file == null ? "" : Pages.contextPath() + "/api/v1/files/" + file.id();
    }

    public String thumbnail(StoredFile file) {
        return Pages.contextPath() + "/api/v1/files/" + file.id() + "/thumbnail";
    }

    /** A file's size as people read it: 820 B, 14 KB, 2.3 MB. */
    public String size(StoredFile file) {
        return size(file.size(), me.language());
    }

    static String size(long bytes, String language) {
        Locale locale = Locale.forLanguageTag(language);
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(locale, "%d KB", Math.round(bytes / 1024.0));
        }
        return String.format(locale, "%.1f MB", bytes / 1_048_576.0);
    }

    /** The largest upload, for the upload widget (the server checks again). */
    public long getMaxBytes() {
        return platform.recordFiles().settings().maxBytes();
    }

    /** The allowed types as the upload widget's pattern, e.g. /(\.)(pdf|png)$/i (the server checks again). */
    public String getAllowTypes() {
        return "/(\\.)(" + String.join("|", platform.recordFiles().settings().extensions().stream().sorted().toList()) + ")$/i";
    }

    public String getLimits() {
        return MessageFormat.format(ui.message("files.limits"), size(getMaxBytes(), me.language()),
                String.join(", ", platform.recordFiles().settings().extensions().stream().sorted().toList()));
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }
}
