package io.relata.admin;

import io.relata.admin.designer.RoleDesign;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.security.AccessScope;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import io.relata.metadata.MetadataException;
import io.relata.runtime.AccessPreview;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The roles designer: the permission matrix of a role (entity × create, read, update, delete scope, export, and the
 * access to each field) as a grid, new roles of the site, and "what would this user see" under the draft, from the
 * same access policy every request uses.
 */
@Named
@ViewScoped
public class RoleDesignerView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    @Inject
    DesignerDraft draft;

    private String role;
    private List<GrantRow> rows = new ArrayList<>();
    private String fieldsOf;
    private List<FieldRow> fieldRows = new ArrayList<>();
    private String newName;
    private String newDe;
    private String newEn;
    private String user;
    private List<AccessPreview.EntityAccess> seen;

    /** One entity's grant as the grid edits it. */
    public static final class GrantRow implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String entity;
        private final String label;
        private boolean create;
        private String read;
        private String update;
        private String delete;
        private boolean export;
        private final RoleDesign.Grant original;

        GrantRow(String entity, String label, RoleDesign.Grant grant) {
            this.entity = entity;
            this.label = label;
            this.original = grant;
            this.create = grant.create();
            this.read = grant.read().yamlName();
            this.update = grant.update().yamlName();
            this.delete = grant.delete().yamlName();
            this.export = grant.export();
        }

        RoleDesign.Grant edited(Map<String, FieldAccess> fields) {
            return new RoleDesign.Grant(create, scope(read), scope(update), scope(delete), export,
                    original.fieldDefault(), fields, original.showDerived());
        }

        private static AccessScope scope(String yamlName) {
            return AccessScope.fromYamlName(yamlName).orElse(AccessScope.NONE);
        }

        public String getEntity() { return entity; }
        public String getLabel() { return label; }
        public boolean isCreate() { return create; }
        public void setCreate(boolean create) { this.create = create; }
        public String getRead() { return read; }
        public void setRead(String read) { this.read = read; }
        public String getUpdate() { return update; }
        public void setUpdate(String update) { this.update = update; }
        public String getDelete() { return delete; }
        public void setDelete(String delete) { this.delete = delete; }
        public boolean isExport() { return export; }
        public void setExport(boolean export) { this.export = export; }
        public int getFieldRules() { return original.fields().size(); }
    }

    /** One field's access in the chosen grant. */
    public static final class FieldRow implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String label;
        private String access;

        FieldRow(String field, String label, String access) {
            this.field = field;
            this.label = label;
            this.access = access;
        }

        public String getField() { return field; }
        public String getLabel() { return label; }
        public String getAccess() { return access; }
        public void setAccess(String access) { this.access = access; }
    }

    /** A role in the list. */
    public record RoleRow(String name, String label, String layer, boolean administrator, boolean changed)
            implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public List<String> getProblems() {
        return draft.problems();
    }

    public List<RoleRow> getRoles() {
        var changedFiles = draft.files();
        return draft.model().roles().values().stream()
                .map(r -> new RoleRow(r.name(), ui.text(r.label()), draft.layerOf(r.location()),
                        r.administrator(), changedFiles.containsKey("roles/" + r.name() + ".yaml")
                        || changedFiles.containsKey("role-extensions/" + r.name() + ".yaml")))
                .sorted(java.util.Comparator.comparing(RoleRow::label, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    public void select(String name) {
        role = name;
        fieldsOf = null;
        refresh();
    }

    private Optional<RoleDefinition> selected() {
        return role == null ? Optional.empty() : Optional.ofNullable(draft.model().roles().get(role));
    }

    private void refresh() {
        draft.changed();
        rows = new ArrayList<>();
        Optional<RoleDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            role = null;
            return;
        }
        for (EntityDefinition entity : draft.model().entities().values()) {
            rows.add(new GrantRow(entity.name(), ui.label(entity), RoleDesign.Grant.of(chosen.get().grant(entity.name()))));
        }
        rows.sort(java.util.Comparator.comparing(GrantRow::getLabel, String.CASE_INSENSITIVE_ORDER));
        if (fieldsOf != null) {
            editFields(fieldsOf);
        }
    }

    /** Opens the field access of one entity's grant. */
    public void editFields(String entity) {
        fieldsOf = entity;
        fieldRows = new ArrayList<>();
        Optional<EntityDefinition> definition = draft.model().entity(entity);
        Optional<RoleDefinition> chosen = selected();
        if (definition.isEmpty() || chosen.isEmpty()) {
            fieldsOf = null;
            return;
        }
        RoleDesign.Grant grant = RoleDesign.Grant.of(chosen.get().grant(entity));
        for (FieldDefinition field : definition.get().fields()) {
            FieldAccess access = grant.fields().getOrDefault(field.name(), grant.fieldDefault());
            fieldRows.add(new FieldRow(field.name(), ui.text(field.label()), access.yamlName()));
        }
    }

    private RoleDesign design(RoleDefinition definition) {
        boolean site = draft.ownedBySite(definition.location());
        String path = (site ? "roles/" : "role-extensions/") + definition.name() + ".yaml";
        try {
            return RoleDesign.of(definition, site, draft.content(path));
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes every changed grant (and the field access being edited) into the draft. */
    public void save() {
        Optional<RoleDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return;
        }
        if (chosen.get().administrator()) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("designer.roles.administrator"));
            return;
        }
        RoleDesign design = design(chosen.get());
        boolean any = false;
        for (GrantRow row : rows) {
            Map<String, FieldAccess> fields = row.original.fields();
            if (row.getEntity().equals(fieldsOf)) {
                fields = new LinkedHashMap<>();
                for (FieldRow field : fieldRows) {
                    FieldAccess access = FieldAccess.fromYamlName(field.getAccess()).orElse(FieldAccess.EDITABLE);
                    if (access != row.original.fieldDefault()) {
                        fields.put(field.getField(), access);
                    }
                }
            }
            RoleDesign.Grant edited = row.edited(fields);
            if (!edited.equals(row.original)) {
                design.grant(row.getEntity(), edited);
                any = true;
            }
        }
        if (!any) {
            add(FacesMessage.SEVERITY_INFO, ui.message("designer.noChange"));
            return;
        }
        draft.change(design.path(), design.yaml());
        refresh();
        if (getProblems().isEmpty()) {
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.savedToDraft"), design.path()));
        } else {
            add(FacesMessage.SEVERITY_WARN, MessageFormat.format(ui.message("designer.draftHasProblems"),
                    getProblems().size()));
        }
    }

    public void createRole() {
        String name = newName == null ? "" : newName.strip();
        if (draft.model().roles().containsKey(name)) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.roles.exists"), name));
            return;
        }
        try {
            draft.change("roles/" + name + ".yaml", RoleDesign.newRole(name, newDe, newEn));
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.badEntityName"), name));
            return;
        }
        newName = newDe = newEn = null;
        select(name);
        add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.roles.created"), name));
    }

    /** What the chosen user could do and see if the draft were in force. */
    public void showAccess() {
        Optional<List<AccessPreview.EntityAccess>> preview = platform.accessPreview(draft.model(), user == null ? "" : user.strip());
        if (preview.isEmpty()) {
            seen = null;
            add(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.roles.noUser"), user));
            return;
        }
        seen = preview.get().stream().filter(a -> a.read() != AccessScope.NONE || a.create()).toList();
    }

    public List<SelectItem> getScopes() {
        return Arrays.stream(AccessScope.values())
                .map(s -> new SelectItem(s.yamlName(), ui.message("designer.scope." + s.yamlName())))
                .toList();
    }

    public List<SelectItem> getAccesses() {
        return Arrays.stream(FieldAccess.values())
                .map(a -> new SelectItem(a.yamlName(), ui.message("designer.access." + a.yamlName())))
                .toList();
    }

    public List<SelectItem> getUsers() {
        return platform.users().users().stream()
                .filter(u -> u.isActive())
                .map(u -> new SelectItem(u.getUsername(), u.getUsername()))
                .toList();
    }

    public String scopeLabel(AccessScope scope) {
        return ui.message("designer.scope." + scope.yamlName());
    }

    public String layerLabel(String layer) {
        return ui.layer(layer);
    }

    /** Fields of an entity by their labels in the administrator's language, as a list to read. */
    public String fieldLabels(EntityDefinition entity, List<String> names) {
        return names.stream().map(name -> entity.field(name).map(f -> ui.text(f.label())).orElse(name))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public String label(EntityDefinition entity) {
        return ui.label(entity);
    }

    private static void add(FacesMessage.Severity severity, String text) {
        DesignerDraft.say(severity, text);
    }

    public String getRole() { return role; }
    public List<GrantRow> getRows() { return rows; }
    public String getFieldsOf() { return fieldsOf; }
    public List<FieldRow> getFieldRows() { return fieldRows; }
    public String getNewName() { return newName; }
    public void setNewName(String newName) { this.newName = newName; }
    public String getNewDe() { return newDe; }
    public void setNewDe(String newDe) { this.newDe = newDe; }
    public String getNewEn() { return newEn; }
    public void setNewEn(String newEn) { this.newEn = newEn; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public List<AccessPreview.EntityAccess> getSeen() { return seen; }
}
