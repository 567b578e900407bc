package io.relata.api.model;

import java.time.Instant;
import io.relata.api.security.RoleDefinition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.ProcessDefinition;

/**
 * A complete, resolved and valid set of metadata: every reference points to an existing entity. The
 * running platform swaps the whole model atomically on reload; a model is never changed in place.
 *
 * @param roles     the roles of metadata/roles, by name
 * @param processes the processes of metadata/processes, by name, in load order (which decides which of
 *                  several processes of one entity a new record follows)
 * @param dialogs   the guided dialogs of metadata/dialogs, by name
 * @param templates the mail templates of metadata/templates, by name
 * @param revision a label that identifies this model (content hash), shown in the admin UI and logs
 * @param forms     the record form layouts of metadata/forms, by entity
 * @param views     the customer views of metadata/views, by entity
 * @param dashboards the dashboards of metadata/dashboards, by name, in load order
 */
public record MetadataModel(Map<String, EntityDefinition> entities, Map<String, RoleDefinition> roles,
                            Map<String, ProcessDefinition> processes, Map<String, DialogDefinition> dialogs,
                            Map<String, MailTemplate> templates, String revision, Instant loadedAt,
                            Map<String, EntityForm> forms, Map<String, CustomerView> views,
                            Map<String, io.relata.api.dashboard.DashboardDefinition> dashboards) {

    public MetadataModel {
        dashboards = dashboards == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dashboards));
        views = views == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(views));
        forms = forms == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(forms));
        entities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entities));
        roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        processes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(processes));
        dialogs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dialogs));
        templates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(templates));
    }

    /** A model without dashboards. */
    public MetadataModel(Map<String, EntityDefinition> entities, Map<String, RoleDefinition> roles,
                         Map<String, ProcessDefinition> processes, Map<String, DialogDefinition> dialogs,
                         Map<String, MailTemplate> templates, String revision, Instant loadedAt,
                         Map<String, EntityForm> forms, Map<String, CustomerView> views) {
        this(entities, roles, processes, dialogs, templates, revision, loadedAt, forms, views, Map.of());
    }

    /** A dashboard by name, if there is one. */
    public Optional<io.relata.api.dashboard.DashboardDefinition> dashboard(String name) {
        return Optional.ofNullable(dashboards.get(name));
    }

    /** A model without customer views. */
    public MetadataModel(Map<String, EntityDefinition> entities, Map<String, RoleDefinition> roles,
                         Map<String, ProcessDefinition> processes, Map<String, DialogDefinition> dialogs,
                         Map<String, MailTemplate> templates, String revision, Instant loadedAt,
                         Map<String, EntityForm> forms) {
        this(entities, roles, processes, dialogs, templates, revision, loadedAt, forms, Map.of());
    }

    /** The customer view of an entity, if it has one. */
    public Optional<CustomerView> view(String entity) {
        return Optional.ofNullable(views.get(entity));
    }

    /** A model without form layouts (the entities' fields in their order). */
    public MetadataModel(Map<String, EntityDefinition> entities, Map<String, RoleDefinition> roles,
                         Map<String, ProcessDefinition> processes, Map<String, DialogDefinition> dialogs,
                         Map<String, MailTemplate> templates, String revision, Instant loadedAt) {
        this(entities, roles, processes, dialogs, templates, revision, loadedAt, Map.of());
    }

    /** The form layouts of an entity, if it has any. */
    public Optional<EntityForm> form(String entity) {
        return Optional.ofNullable(forms.get(entity));
    }

    /** A model of entities and roles only. */
    public MetadataModel(Map<String, EntityDefinition> entities, Map<String, RoleDefinition> roles, String revision,
                         Instant loadedAt) {
        this(entities, roles, Map.of(), Map.of(), Map.of(), revision, loadedAt);
    }

    /** A model without roles (tests, tools). */
    public MetadataModel(Map<String, EntityDefinition> entities, String revision, Instant loadedAt) {
        this(entities, Map.of(), revision, loadedAt);
    }

    public Optional<RoleDefinition> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    public Optional<ProcessDefinition> process(String name) {
        return Optional.ofNullable(processes.get(name));
    }

    /** The processes of an entity, in load order. */
    public List<ProcessDefinition> processesOf(String entity) {
        return processes.values().stream().filter(p -> p.entity().equals(entity)).toList();
    }

    public Optional<DialogDefinition> dialog(String name) {
        return Optional.ofNullable(dialogs.get(name));
    }

    /** The dialogs that run on records of an entity. */
    public List<DialogDefinition> dialogsOf(String entity) {
        return dialogs.values().stream().filter(d -> d.entity().equals(entity)).toList();
    }

    public Optional<MailTemplate> template(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public Optional<EntityDefinition> entity(String name) {
        return Optional.ofNullable(entities.get(name));
    }

    public Collection<EntityDefinition> allEntities() {
        return entities.values();
    }

    /** Every record-link field of every entity: each can point to a record of any entity. */
    public List<ReverseReference> recordLinks() {
        return entities.values().stream()
                .flatMap(e -> e.fields().stream().filter(f -> f.type() == FieldType.RECORD_LINK)
                        .map(f -> new ReverseReference(e, f)))
                .toList();
    }

    /** The references from other entities (and this one) that point to {@code target}. */
    public List<ReverseReference> reverseReferences(String target) {
        return entities.values().stream()
                .flatMap(e -> e.fields().stream()
                        .filter(f -> f.type() == FieldType.REFERENCE && target.equals(f.referenceEntity()))
                        .map(f -> new ReverseReference(e, f)))
                .toList();
    }
}
