package io.relata.admin;

import io.relata.admin.designer.EntityDesign;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entity designer: entities of all layers as the administrator's draft describes them; for the chosen one, its
 * labels and fields (labels de/en, required, unique, listed, searchable, indexed, order), new fields of every type,
 * removal of fields the site added; new entities. Every edit goes into the draft as site-layer YAML
 * ({@link EntityDesign}); what is wrong with it is said by the loader, at file, line and column.
 */
@Named
@ViewScoped
public class EntityDesignerView implements Serializable {

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
    private List<FieldRow> rows = new ArrayList<>();
    private String entityDe;
    private String entityEn;
    private String pluralDe;
    private String pluralEn;

    private String newName;
    private String newType = "text";
    private String newDe;
    private String newEn;
    private boolean newRequired;
    private boolean newListed;
    private String newOptions;
    private String newTarget;
    private String newReverseName;
    private String newReverseDe;
    private String newReverseEn;
    private Integer newPrecision;
    private Integer newScale;
    private Integer newMaxLength;

    private String changedField;
    private String changedName;
    private String changedType;

    private String entityName;
    private String entityNameDe;
    private String entityNameEn;
    private String entityPluralDe;
    private String entityPluralEn;

    /** One field as the table edits it. */
    public static final class FieldRow implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String type;
        private final String layer;
        private final boolean definedHere;
        private String labelDe;
        private String labelEn;
        private boolean required;
        private boolean unique;
        private boolean listed;
        private boolean searchable;
        private boolean indexed;

        FieldRow(FieldDefinition field, String layer, boolean definedHere) {
            this.name = field.name();
            this.type = field.type().yamlName();
            this.layer = layer;
            this.definedHere = definedHere;
            this.labelDe = field.label().values().getOrDefault("de", "");
            this.labelEn = field.label().values().getOrDefault("en", "");
            this.required = field.required();
            this.unique = field.unique();
            this.listed = field.listed();
            this.searchable = field.searchable();
            this.indexed = field.indexed();
        }

        public String getName() { return name; }
        public String getType() { return type; }
        public String getLayer() { return layer; }
        public boolean isDefinedHere() { return definedHere; }
        public String getLabelDe() { return labelDe; }
        public void setLabelDe(String labelDe) { this.labelDe = labelDe; }
        public String getLabelEn() { return labelEn; }
        public void setLabelEn(String labelEn) { this.labelEn = labelEn; }
        public boolean isRequired() { return required; }
        public void setRequired(boolean required) { this.required = required; }
        public boolean isUnique() { return unique; }
        public void setUnique(boolean unique) { this.unique = unique; }
        public boolean isListed() { return listed; }
        public void setListed(boolean listed) { this.listed = listed; }
        public boolean isSearchable() { return searchable; }
        public void setSearchable(boolean searchable) { this.searchable = searchable; }
        public boolean isIndexed() { return indexed; }
        public void setIndexed(boolean indexed) { this.indexed = indexed; }

        boolean flag(EntityDesign.Flag flag) {
            return switch (flag) {
                case REQUIRED -> required;
                case UNIQUE -> unique;
                case LISTED -> listed;
                case SEARCHABLE -> searchable;
                case INDEXED -> indexed;
            };
        }
    }

    /** An entity in the list: where it is defined, and whether the draft changes it. */
    public record EntityRow(String name, String label, String layer, boolean changed) implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public List<String> getProblems() {
        return draft.problems();
    }

    public List<EntityRow> getEntities() {
        var changedFiles = draft.files();
        return draft.model().entities().values().stream()
                .map(e -> new EntityRow(e.name(), ui.label(e), layer(e),
                        changedFiles.containsKey("entities/" + e.name() + ".yaml") || changedFiles.containsKey("extensions/" + e.name() + ".yaml")))
                .sorted(java.util.Comparator.comparing(EntityRow::label, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    private String layer(EntityDefinition entity) {
        return draft.layerOf(entity.location());
    }

    public void select(String name) {
        entity = name;
        refresh();
    }

    private Optional<EntityDefinition> selected() {
        return entity == null ? Optional.empty() : draft.model().entity(entity);
    }

    /** Reads the chosen entity's labels and fields into the form. */
    private void refresh() {
        draft.changed();
        rows = new ArrayList<>();
        Optional<EntityDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            entity = null;
            return;
        }
        EntityDefinition definition = chosen.get();
        entityDe = definition.label().values().getOrDefault("de", "");
        entityEn = definition.label().values().getOrDefault("en", "");
        pluralDe = definition.pluralLabel().values().getOrDefault("de", "");
        pluralEn = definition.pluralLabel().values().getOrDefault("en", "");
        EntityDesign design = design(definition);
        for (FieldDefinition field : definition.fields()) {
            rows.add(new FieldRow(field, draft.layerOf(field.location()), design.defines(field.name())));
        }
    }

    private EntityDesign design(EntityDefinition definition) {
        boolean site = draft.ownedBySite(definition.location());
        String path = (site ? "entities/" : "extensions/") + definition.name() + ".yaml";
        try {
            return EntityDesign.of(definition, site, draft.content(path));
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void save(EntityDesign design, String doneKey) {
        draft.change(design.path(), design.yaml());
        refresh();
        if (getProblems().isEmpty()) {
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message(doneKey), design.path()));
        } else {
            add(FacesMessage.SEVERITY_WARN, MessageFormat.format(ui.message("designer.draftHasProblems"),
                    getProblems().size()));
        }
    }

    /** Writes the labels and flags changed in the table into the draft. */
    public void saveFields() {
        Optional<EntityDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return;
        }
        EntityDefinition definition = chosen.get();
        EntityDesign design = design(definition);
        boolean any = false;
        for (FieldRow row : rows) {
            Optional<FieldDefinition> field = definition.field(row.getName());
            if (field.isEmpty()) {
                continue;
            }
            FieldDefinition f = field.get();
            if (!Objects.equals(row.labelDe, f.label().values().getOrDefault("de", ""))
                    || !Objects.equals(row.labelEn, f.label().values().getOrDefault("en", ""))) {
                design.relabel(f.name(), row.labelDe, row.labelEn);
                any = true;
            }
            for (EntityDesign.Flag flag : EntityDesign.Flag.values()) {
                if (row.flag(flag) != flag.of(f)) {
                    design.set(f.name(), flag, row.flag(flag));
                    any = true;
                }
            }
        }
        if (!Objects.equals(entityDe, definition.label().values().getOrDefault("de", ""))
                || !Objects.equals(entityEn, definition.label().values().getOrDefault("en", ""))
                || !Objects.equals(pluralDe, definition.pluralLabel().values().getOrDefault("de", ""))
                || !Objects.equals(pluralEn, definition.pluralLabel().values().getOrDefault("en", ""))) {
            design.relabelEntity(entityDe, entityEn, pluralDe, pluralEn);
            any = true;
        }
        if (!any) {
            add(FacesMessage.SEVERITY_INFO, ui.message("designer.noChange"));
            return;
        }
        save(design, "designer.savedToDraft");
    }

    public void move(String field, int delta) {
        selected().ifPresent(definition -> {
            EntityDesign design = design(definition);
            design.move(field, delta);
            save(design, "designer.savedToDraft");
        });
    }

    public void removeField(String field) {
        selected().ifPresent(definition -> {
            EntityDesign design = design(definition);
            if (!design.defines(field)) {
                add(FacesMessage.SEVERITY_ERROR, ui.message("designer.notRemovable"));
                return;
            }
            design.removeField(field);
            save(design, "designer.fieldRemoved");
        });
    }

    /**
     * Renames and/or retypes a field the site defines. A field that holds values is refused: its values would stay
     * behind in the old column; the admin adds a new field instead.
     */
    public void changeField() {
        Optional<EntityDefinition> chosen = selected();
        if (chosen.isEmpty() || changedField == null) {
            return;
        }
        EntityDesign design = design(chosen.get());
        if (!design.defines(changedField)) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("designer.notRemovable"));
            return;
        }
        String to = changedName == null || changedName.isBlank() ? changedField : changedName.strip();
        FieldDefinition field = chosen.get().field(changedField).orElseThrow();
        boolean retype = changedType != null && !changedType.equals(field.type().yamlName());
        if (to.equals(changedField) && !retype) {
            add(FacesMessage.SEVERITY_INFO, ui.message("designer.noChange"));
            return;
        }
        long values = platform.metadata().storedValues(chosen.get().name(), changedField);
        if (values > 0) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.fieldHoldsValues"), changedField,
                    values));
            return;
        }
        if (retype) {
            design.retypeField(changedField, changedType);
        }
        if (!to.equals(changedField)) {
            design.renameField(changedField, to);
        }
        save(design, "designer.savedToDraft");
        changedField = changedName = changedType = null;
    }

    /** The fields the site defines, which it may rename or retype. */
    public List<SelectItem> getSiteFields() {
        return rows.stream().filter(FieldRow::isDefinedHere)
                .map(r -> new SelectItem(r.getName(), r.getName())).toList();
    }

    public void addField() {
        Optional<EntityDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return;
        }
        EntityDesign design = design(chosen.get());
        design.addField(newName == null ? "" : newName.strip(), EntityDesign.field(new EntityDesign.NewField(newType,
                newDe, newEn, newRequired, newListed, EntityDesign.options(newOptions), newTarget, newReverseName,
                newReverseDe, newReverseEn, newPrecision, newScale, newMaxLength)));
        save(design, "designer.fieldAdded");
        if (getProblems().isEmpty()) {
            newName = newDe = newEn = newOptions = newTarget = newReverseName = newReverseDe = newReverseEn = null;
            newRequired = newListed = false;
            newPrecision = newScale = newMaxLength = null;
        }
    }

    public void createEntity() {
        String name = entityName == null ? "" : entityName.strip();
        if (draft.model().entity(name).isPresent()) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.entityExists"), name));
            return;
        }
        try {
            draft.change("entities/" + name + ".yaml", EntityDesign.newEntity(name, entityNameDe,
                    entityNameEn, entityPluralDe, entityPluralEn, "Name", "Name"));
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.badEntityName"), name));
            return;
        }
        entity = name;
        refresh();
        entityName = entityNameDe = entityNameEn = entityPluralDe = entityPluralEn = null;
        add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.entityCreated"), name));
    }

    /** The field types the metadata knows, by their label in the administrator's language. */
    public List<SelectItem> getTypes() {
        return Arrays.stream(FieldType.values())
                .map(t -> new SelectItem(t.yamlName(), ui.message("designer.type." + t.yamlName())))
                .toList();
    }

    public String typeLabel(String yamlName) {
        return ui.message("designer.type." + yamlName);
    }

    public List<SelectItem> getTargets() {
        return draft.model().entities().values().stream()
                .map(e -> new SelectItem(e.name(), ui.label(e) + " (" + e.name() + ")"))
                .toList();
    }

    public String layerLabel(String layer) {
        return ui.layer(layer);
    }

    private static void add(FacesMessage.Severity severity, String text) {
        DesignerDraft.say(severity, text);
    }

    public String getEntity() { return entity; }
    public List<FieldRow> getRows() { return rows; }
    public String getEntityDe() { return entityDe; }
    public void setEntityDe(String entityDe) { this.entityDe = entityDe; }
    public String getEntityEn() { return entityEn; }
    public void setEntityEn(String entityEn) { this.entityEn = entityEn; }
    public String getPluralDe() { return pluralDe; }
    public void setPluralDe(String pluralDe) { this.pluralDe = pluralDe; }
    public String getPluralEn() { return pluralEn; }
    public void setPluralEn(String pluralEn) { this.pluralEn = pluralEn; }
    public String getNewName() { return newName; }
    public void setNewName(String newName) { this.newName = newName; }
    public String getNewType() { return newType; }
    public void setNewType(String newType) { this.newType = newType; }
    public String getNewDe() { return newDe; }
    public void setNewDe(String newDe) { this.newDe = newDe; }
    public String getNewEn() { return newEn; }
    public void setNewEn(String newEn) { this.newEn = newEn; }
    public boolean isNewRequired() { return newRequired; }
    public void setNewRequired(boolean newRequired) { this.newRequired = newRequired; }
    public boolean isNewListed() { return newListed; }
    public void setNewListed(boolean newListed) { this.newListed = newListed; }
    public String getNewOptions() { return newOptions; }
    public void setNewOptions(String newOptions) { this.newOptions = newOptions; }
    public String getNewTarget() { return newTarget; }
    public void setNewTarget(String newTarget) { this.newTarget = newTarget; }
    public String getNewReverseName() { return newReverseName; }
    public void setNewReverseName(String newReverseName) { this.newReverseName = newReverseName; }
    public String getNewReverseDe() { return newReverseDe; }
    public void setNewReverseDe(String newReverseDe) { this.newReverseDe = newReverseDe; }
    public String getNewReverseEn() { return newReverseEn; }
    public void setNewReverseEn(String newReverseEn) { this.newReverseEn = newReverseEn; }
    public Integer getNewPrecision() { return newPrecision; }
    public void setNewPrecision(Integer newPrecision) { this.newPrecision = newPrecision; }
    public Integer getNewScale() { return newScale; }
    public void setNewScale(Integer newScale) { this.newScale = newScale; }
    public Integer getNewMaxLength() { return newMaxLength; }
    public void setNewMaxLength(Integer newMaxLength) { this.newMaxLength = newMaxLength; }
    public String getChangedField() { return changedField; }
    public void setChangedField(String changedField) { this.changedField = changedField; }
    public String getChangedName() { return changedName; }
    public void setChangedName(String changedName) { this.changedName = changedName; }
    public String getChangedType() { return changedType; }
    public void setChangedType(String changedType) { this.changedType = changedType; }
    public String getEntityName() { return entityName; }
    public void setEntityName(String entityName) { this.entityName = entityName; }
    public String getEntityNameDe() { return entityNameDe; }
    public void setEntityNameDe(String entityNameDe) { this.entityNameDe = entityNameDe; }
    public String getEntityNameEn() { return entityNameEn; }
    public void setEntityNameEn(String entityNameEn) { this.entityNameEn = entityNameEn; }
    public String getEntityPluralDe() { return entityPluralDe; }
    public void setEntityPluralDe(String entityPluralDe) { this.entityPluralDe = entityPluralDe; }
    public String getEntityPluralEn() { return entityPluralEn; }
    public void setEntityPluralEn(String entityPluralEn) { this.entityPluralEn = entityPluralEn; }
}
