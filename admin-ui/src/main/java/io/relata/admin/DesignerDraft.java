package io.relata.admin;

import io.relata.api.model.MetadataModel;
import io.relata.runtime.MetadataPublisher;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The administrator's draft as the designer pages of one request see it: the model it describes (loaded once per
 * request, structure only), its problems, the files it changes. Every access checks that the user is still an
 * administrator: rights can be withdrawn while a page is open.
 */
@RequestScoped
public class DesignerDraft {

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    private MetadataRuntime.Trial preview;

    public MetadataPublisher publisher() {
        AdminGuard.require(platform, me);
        return platform.publisher();
    }

    public String admin() {
        return me.actor().username();
    }

    private MetadataRuntime.Trial preview() {
        if (preview == null) {
            preview = publisher().preview(admin());
        }
        return preview;
    }

    /** Call after changing the draft: the next question loads it again. */
    public void changed() {
        preview = null;
    }

    /** The model to edit: the draft's if it loads, else the one in force (the draft's problems are shown). */
    public MetadataModel model() {
        MetadataRuntime.Trial trial = preview();
        return trial.loads() ? trial.model() : platform.metadata().model();
    }

    public List<String> problems() {
        return MetadataPublisher.describe(preview().problems());
    }

    public Map<String, MetadataPublisher.DraftFile> files() {
        return publisher().draft(admin());
    }

    /** Puts a file into the draft. */
    public void change(String path, String content) {
        publisher().change(admin(), path, content);
        changed();
    }

    /** The file at {@code path} as the administrator sees it: the draft's, else the site's, else null. */
    public String content(String path) {
        return publisher().contentFor(admin(), path);
    }

    /** The layer an element comes from: {@code core}, {@code plugin:<id> <version>} or {@code site}. */
    public String layerOf(io.relata.api.model.SourceLocation location) {
        return platform.metadata().layerOf(location);
    }

    /** Whether the site layer defines the element at {@code location} (so that the designer edits its own file). */
    public boolean ownedBySite(io.relata.api.model.SourceLocation location) {
        return "site".equals(layerOf(location));
    }

    /** The draft's entities to choose from, by label, each as {@code Label (name)}. */
    public List<jakarta.faces.model.SelectItem> entityChoices(AdminTexts ui) {
        return model().entities().values().stream()
                .sorted(java.util.Comparator.comparing(ui::label, String.CASE_INSENSITIVE_ORDER))
                .map(e -> new jakarta.faces.model.SelectItem(e.name(), ui.label(e) + " (" + e.name() + ")"))
                .toList();
    }

    /** A message in the designer page's own message area (not the layout's growl: results must stay to be read). */
    static void say(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage("designerMessages", new FacesMessage(severity, text, null));
    }
}
