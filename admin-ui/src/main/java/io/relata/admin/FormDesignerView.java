package io.relata.admin;

import io.relata.admin.designer.FormDesign;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.EntityForm;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FormLayout;
import io.relata.api.model.FormSection;
import io.relata.api.model.FormTab;
import io.relata.api.record.RecordQuery;
import io.relata.metadata.MetadataException;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The form designer: an entity's record form layouts per role (tabs, sections with a heading and 1 to 4 columns,
 * the fields in them, the related lists below), each edit written to the draft as {@code forms/<entity>.yaml}, and a
 * live preview of the chosen layout rendered by the record page itself on a record of the entity.
 */
@Named
@ViewScoped
public class FormDesignerView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    @Inject
    DesignerDraft draft;

    private String entity;
    private int layout;
    private String newLayout;
    private List<String> newRoles = new ArrayList<>();
    private List<String> roles = new ArrayList<>();
    private List<String> related = new ArrayList<>();
    private String tabDe;
    private String tabEn;
    private int sectionTab;
    private String sectionDe;
    private String sectionEn;
    private int sectionColumns = 2;
    private String target;

    /** A field placed in a section, with its label. */
    public record Placed(String name, String label) implements Serializable {
    }

    /** A section as the page shows it. */
    public record SectionRow(int tab, int index, String label, int columns, List<Placed> fields) implements Serializable {
    }

    /** A tab as the page shows it. */
    public record TabRow(int index, String label, List<SectionRow> sections) implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public List<SelectItem> getEntities() {
        return draft.entityChoices(ui);
    }

    public void chooseEntity() {
        layout = 0;
        refreshSelections();
    }

    private Optional<EntityDefinition> definition() {
        return entity == null ? Optional.empty() : draft.model().entity(entity);
    }

    private Optional<EntityForm> form() {
        return entity == null ? Optional.empty() : draft.model().form(entity);
    }

    /** The chosen layout as the draft's model has it. */
    public Optional<FormLayout> selectedLayout() {
        return form().filter(f -> layout < f.layouts().size()).map(f -> f.layouts().get(layout));
    }

    public List<SelectItem> getLayouts() {
        List<FormLayout> all = form().map(EntityForm::layouts).orElse(List.of());
        List<SelectItem> items = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            FormLayout l = all.get(i);
            items.add(new SelectItem(i, l.name() + (l.roles().isEmpty() ? " – " + ui.message("designer.forms.everyone")
                    : " – " + String.join(", ", l.roles()))));
        }
        return items;
    }

    public void chooseLayout() {
        refreshSelections();
    }

    private void refreshSelections() {
        roles = new ArrayList<>(selectedLayout().map(FormLayout::roles).orElse(List.of()));
        related = new ArrayList<>(selectedLayout().map(FormLayout::related).orElse(List.of()));
    }

    public List<TabRow> getTabs() {
        Optional<FormLayout> chosen = selectedLayout();
        Optional<EntityDefinition> definition = definition();
        if (chosen.isEmpty() || definition.isEmpty()) {
            return List.of();
        }
        List<TabRow> tabs = new ArrayList<>();
        for (int t = 0; t < chosen.get().tabs().size(); t++) {
            FormTab tab = chosen.get().tabs().get(t);
            List<SectionRow> sections = new ArrayList<>();
            for (int s = 0; s < tab.sections().size(); s++) {
                FormSection section = tab.sections().get(s);
                sections.add(new SectionRow(t, s, section.label() == null ? "" : ui.text(section.label()),
                        section.columns(), section.fields().stream().map(f -> placed(definition.get(), f)).toList()));
            }
            tabs.add(new TabRow(t, tab.label() == null ? "" : ui.text(tab.label()), sections));
        }
        return tabs;
    }

    /** The entity's fields the chosen layout does not place (the form shows them after its sections). */
    public List<Placed> getUnplaced() {
        Optional<FormLayout> chosen = selectedLayout();
        Optional<EntityDefinition> definition = definition();
        if (chosen.isEmpty() || definition.isEmpty()) {
            return List.of();
        }
        Set<String> placed = chosen.get().placedFields().collect(Collectors.toSet());
        return definition.get().fields().stream().filter(f -> !placed.contains(f.name()))
                .map(f -> new Placed(f.name(), ui.text(f.label()))).toList();
    }

    private Placed placed(EntityDefinition definition, String field) {
        return new Placed(field, definition.field(field).map(f -> ui.text(f.label())).orElse(field));
    }

    /** Where a field can go: every section of the chosen layout, as {@code tab:section}. */
    public List<SelectItem> getTargets() {
        List<SelectItem> items = new ArrayList<>();
        for (TabRow tab : getTabs()) {
            for (SectionRow section : tab.sections()) {
                String name = (tab.label().isEmpty() ? "" : tab.label() + " › ")
                        + (section.label().isEmpty() ? ui.message("designer.forms.section") + " " + (section.index() + 1)
                        : section.label());
                items.add(new SelectItem(tab.index() + ":" + section.index(), name));
            }
        }
        return items;
    }

    private void edit(Consumer<FormDesign> change, String doneKey) {
        if (entity == null) {
            return;
        }
        FormDesign design;
        try {
            design = FormDesign.of(entity, draft.content(FormDesign.path(entity)), form().orElse(null));
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + FormDesign.path(entity) + " cannot be read: "
                    + e.getMessage(), e);
        }
        change.accept(design);
        design.prune();
        draft.change(design.path(), design.yaml());
        if (draft.problems().isEmpty()) {
            DesignerDraft.say(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message(doneKey), design.path()));
        } else {
            DesignerDraft.say(FacesMessage.SEVERITY_WARN, MessageFormat.format(ui.message("designer.draftHasProblems"),
                    draft.problems().size()));
        }
    }

    public void createLayout() {
        String name = newLayout == null ? "" : newLayout.strip();
        List<String> fields = definition().map(d -> d.fields().stream().map(FieldDefinition::name).toList()).orElse(List.of());
        edit(design -> design.addLayout(name, newRoles, fields), "designer.savedToDraft");
        layout = Math.max(0, form().map(f -> f.layouts().size() - 1).orElse(0));
        newLayout = null;
        newRoles = new ArrayList<>();
        refreshSelections();
    }

    public void removeLayout() {
        edit(design -> design.removeLayout(layout), "designer.savedToDraft");
        layout = 0;
        refreshSelections();
    }

    public void saveRolesAndLists() {
        edit(design -> {
            design.setRoles(layout, roles);
            design.setRelated(layout, related);
        }, "designer.savedToDraft");
    }

    public void addTab() {
        String de = tabDe;
        String en = tabEn;
        // a new tab holds a section with the first field not placed yet, or stays out until it has one
        List<Placed> unplaced = getUnplaced();
        if (unplaced.isEmpty()) {
            DesignerDraft.say(FacesMessage.SEVERITY_WARN, ui.message("designer.forms.needsField"));
            return;
        }
        int tabs = getTabs().size();
        edit(design -> {
            design.addTab(layout, de, en);
            design.addSection(layout, tabs, null, null, 2);
            if (!unplaced.isEmpty()) {
                design.place(layout, unplaced.get(0).name(), tabs, 0, 0);
            }
        }, "designer.savedToDraft");
        tabDe = tabEn = null;
    }

    public void addSection() {
        int tab = sectionTab;
        String de = sectionDe;
        String en = sectionEn;
        int columns = sectionColumns;
        List<Placed> unplaced = getUnplaced();
        if (unplaced.isEmpty()) {
            DesignerDraft.say(FacesMessage.SEVERITY_WARN, ui.message("designer.forms.needsField"));
            return;
        }
        int index = getTabs().stream().filter(t -> t.index() == tab).findFirst().map(t -> t.sections().size()).orElse(0);
        edit(design -> {
            design.addSection(layout, tab, de, en, columns);
            if (!unplaced.isEmpty()) {
                design.place(layout, unplaced.get(0).name(), tab, index, 0);
            }
        }, "designer.savedToDraft");
        sectionDe = sectionEn = null;
    }

    public void setColumns(int tab, int section, int columns) {
        edit(design -> design.setColumns(layout, tab, section, columns), "designer.savedToDraft");
    }

    /** Puts a field into the section chosen in {@link #getTarget()} (at its end). */
    public void place(String field) {
        if (target == null || !target.contains(":")) {
            return;
        }
        int tab = Integer.parseInt(target.substring(0, target.indexOf(':')));
        int section = Integer.parseInt(target.substring(target.indexOf(':') + 1));
        edit(design -> design.place(layout, field, tab, section, Integer.MAX_VALUE), "designer.savedToDraft");
    }

    /**
     * A field dropped onto a section at {@code index} (or, with tab -1, onto the fields not placed), from the page's
     * drag and drop: request parameters field, tab, section, index.
     */
    public void placeDropped() {
        var parameters = jakarta.faces.context.FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap();
        String field = parameters.get("field");
        int tab = Integer.parseInt(parameters.getOrDefault("tab", "-1"));
        int section = Integer.parseInt(parameters.getOrDefault("section", "-1"));
        int index = Integer.parseInt(parameters.getOrDefault("index", "-1"));
        if (field == null || definition().flatMap(d -> d.field(field)).isEmpty()) {
            return;
        }
        if (tab < 0) {
            unplace(field);
        } else {
            edit(design -> design.place(layout, field, tab, section, index), "designer.savedToDraft");
        }
    }

    public void move(String field, int delta) {
        edit(design -> design.move(layout, field, delta), "designer.savedToDraft");
    }

    public void unplace(String field) {
        edit(design -> design.unplace(layout, field), "designer.savedToDraft");
    }

    /** The related lists the entity's records show, by name and label. */
    public List<SelectItem> getRelatedLists() {
        if (entity == null) {
            return List.of();
        }
        return draft.model().reverseReferences(entity).stream()
                .map(r -> new SelectItem(r.list().name(), ui.text(r.list().label())))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    public List<SelectItem> getRoleItems() {
        return draft.model().roles().values().stream().filter(r -> !r.administrator())
                .map(r -> new SelectItem(r.name(), ui.text(r.label()))).toList();
    }

    /** The record page rendering the chosen layout of the draft on a record of the entity (a new one if none exists). */
    public String getPreviewUrl() {
        Optional<FormLayout> chosen = selectedLayout();
        if (chosen.isEmpty() || platform.metadata().model().entity(entity).isEmpty()) {
            return null;
        }
        String url = "/record.xhtml?entity=" + entity + "&layout=" + chosen.get().name();
        try {
            var sample = platform.securedRecords().query(entity, new RecordQuery(List.of(), List.of(), null, 1, null)).records();
            return sample.isEmpty() ? url : url + "&id=" + sample.get(0).id();
        } catch (RuntimeException e) {
            return url;
        }
    }

    public String getEntity() { return entity; }
    public void setEntity(String entity) { this.entity = entity; }
    public int getLayout() { return layout; }
    public void setLayout(int layout) { this.layout = layout; }
    public String getNewLayout() { return newLayout; }
    public void setNewLayout(String newLayout) { this.newLayout = newLayout; }
    public List<String> getNewRoles() { return newRoles; }
    public void setNewRoles(List<String> newRoles) { this.newRoles = newRoles; }
    public List<String> getRoles() { return roles; }
    public void setRoles(List<String> roles) { this.roles = roles; }
    public List<String> getRelated() { return related; }
    public void setRelated(List<String> related) { this.related = related; }
    public String getTabDe() { return tabDe; }
    public void setTabDe(String tabDe) { this.tabDe = tabDe; }
    public String getTabEn() { return tabEn; }
    public void setTabEn(String tabEn) { this.tabEn = tabEn; }
    public int getSectionTab() { return sectionTab; }
    public void setSectionTab(int sectionTab) { this.sectionTab = sectionTab; }
    public String getSectionDe() { return sectionDe; }
    public void setSectionDe(String sectionDe) { this.sectionDe = sectionDe; }
    public String getSectionEn() { return sectionEn; }
    public void setSectionEn(String sectionEn) { this.sectionEn = sectionEn; }
    public int getSectionColumns() { return sectionColumns; }
    public void setSectionColumns(int sectionColumns) { this.sectionColumns = sectionColumns; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
}
