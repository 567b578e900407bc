package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.EntityForm;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.FormLayout;
import io.relata.api.model.FormSection;
import io.relata.api.model.FormTab;
import io.relata.api.model.LocalizedText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Record form layouts ({@code forms/<entity>.yaml}): pass 1 checks a file on its own (entity versus file name,
 * layout names, a field placed twice, a role with two layouts, two layouts for everyone) and builds its
 * {@link EntityForm}; pass 2 ({@link #resolve}) checks the entity, its fields and related lists and the roles
 * against the model. A later layer's file for an entity replaces an earlier one's.
 */
final class FormChecks {

    /** A form built in pass 1, with its document for positions. */
    record ParsedForm(YamlDocument document, EntityForm definition) {
    }

    private FormChecks() {
    }

    static void check(YamlDocument document, Problems problems) {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        JsonNode entity = root.path("entity");
        String expected = document.file().baseName();
        if (entity.isTextual() && !entity.asText().equals(expected)) {
            problems.add(document.fileName(), document.at(YamlDocument.pointer("entity")).value(),
                    ProblemCode.FORM_NAME_MISMATCH, "The file lays out the entity " + q(entity.asText())
                            + " but is named " + q(expected) + ".",
                    "set 'entity: " + expected + "' or rename the file to " + q(entity.asText() + ".yaml") + ".");
        }
        Set<String> names = new HashSet<>();
        Set<String> roles = new HashSet<>();
        boolean forEveryone = false;
        JsonNode layouts = root.path("layouts");
        for (int l = 0; l < layouts.size(); l++) {
            JsonNode layout = layouts.get(l);
            String name = layout.path("name").asText();
            if (!names.add(name)) {
                add(document, problems, YamlDocument.pointer("layouts", l, "name"), "The layout name " + q(name)
                        + " is used twice in this file.", "give each layout its own name.");
            }
            if (!layout.has("roles")) {
                if (forEveryone) {
                    add(document, problems, YamlDocument.pointer("layouts", l), "Two layouts are for everyone (neither "
                            + "names roles): only the first would ever be shown.", "give this layout 'roles: [...]', or remove it.");
                }
                forEveryone = true;
            }
            JsonNode layoutRoles = layout.path("roles");
            for (int r = 0; r < layoutRoles.size(); r++) {
                String role = layoutRoles.get(r).asText();
                if (!roles.add(role)) {
                    add(document, problems, YamlDocument.pointer("layouts", l, "roles", r), "The role " + q(role)
                            + " has a layout already in this file: a user gets the first one, so this one would not show.",
                            "name each role in one layout only.");
                }
            }
            Set<String> placed = new HashSet<>();
            JsonNode tabs = layout.path("tabs");
            for (int t = 0; t < tabs.size(); t++) {
                JsonNode sections = tabs.get(t).path("sections");
                for (int s = 0; s < sections.size(); s++) {
                    JsonNode fields = sections.get(s).path("fields");
                    for (int f = 0; f < fields.size(); f++) {
                        String field = fields.get(f).asText();
                        if (!placed.add(field)) {
                            add(document, problems, YamlDocument.pointer("layouts", l, "tabs", t, "sections", s, "fields", f),
                                    "The field " + q(field) + " is placed twice in the layout " + q(name) + ".",
                                    "place each field once per layout.");
                        }
                    }
                }
            }
        }
    }

    static EntityForm build(YamlDocument document) {
        JsonNode root = document.root();
        List<FormLayout> layouts = new ArrayList<>();
        JsonNode nodes = root.path("layouts");
        for (int l = 0; l < nodes.size(); l++) {
            JsonNode layout = nodes.get(l);
            List<FormTab> tabs = new ArrayList<>();
            for (JsonNode tab : layout.path("tabs")) {
                List<FormSection> sections = new ArrayList<>();
                for (JsonNode section : tab.path("sections")) {
                    List<String> fields = new ArrayList<>();
                    section.path("fields").forEach(f -> fields.add(f.asText()));
                    sections.add(new FormSection(text(section.path("label")), section.path("columns").asInt(2), fields));
                }
                tabs.add(new FormTab(text(tab.path("label")), sections));
            }
            layouts.add(new FormLayout(layout.path("name").asText(), texts(layout.path("roles")), tabs,
                    texts(layout.path("related")), EntityBuilder.location(document.fileName(),
                    document.at(YamlDocument.pointer("layouts", l)).value())));
        }
        return new EntityForm(root.path("entity").asText(), layouts,
                EntityBuilder.location(document.fileName(), document.at(YamlDocument.pointer("entity")).value()));
    }

    /**
     * The forms by entity, the last file of an entity winning; problems for entities, fields, roles and related lists
     * that do not exist (a broken entity or role file counts as existing, so that its typo is not reported again).
     */
    static Map<String, EntityForm> resolve(List<ParsedForm> forms, Map<String, EntityDefinition> entities,
                                           Set<String> brokenEntities, Set<String> knownRoles, Problems problems) {
        Map<String, EntityForm> result = new LinkedHashMap<>();
        for (ParsedForm parsed : forms) {
            YamlDocument document = parsed.document();
            EntityForm form = parsed.definition();
            EntityDefinition entity = entities.get(form.entity());
            if (entity == null) {
                if (!brokenEntities.contains(form.entity())) {
                    add(document, problems, YamlDocument.pointer("entity"), "There is no entity " + q(form.entity())
                            + " whose form this could lay out.", Suggestions.didYouMean(form.entity(), entities.keySet())
                            + "name an entity of any layer.");
                }
                continue;
            }
            List<String> fields = entity.fields().stream().map(FieldDefinition::name).toList();
            Set<String> related = relatedLists(entity.name(), entities);
            JsonNode layouts = document.root().path("layouts");
            for (int l = 0; l < layouts.size(); l++) {
                JsonNode layout = layouts.get(l);
                JsonNode roles = layout.path("roles");
                for (int r = 0; r < roles.size(); r++) {
                    String role = roles.get(r).asText();
                    if (!knownRoles.contains(role)) {
                        add(document, problems, YamlDocument.pointer("layouts", l, "roles", r), "There is no role "
                                + q(role) + ".", Suggestions.didYouMean(role, knownRoles) + "use one of: "
                                + String.join(", ", knownRoles) + ".");
                    }
                }
                JsonNode tabs = layout.path("tabs");
                for (int t = 0; t < tabs.size(); t++) {
                    JsonNode sections = tabs.get(t).path("sections");
                    for (int s = 0; s < sections.size(); s++) {
                        JsonNode placed = sections.get(s).path("fields");
                        for (int f = 0; f < placed.size(); f++) {
                            String field = placed.get(f).asText();
                            if (!fields.contains(field)) {
                                add(document, problems, YamlDocument.pointer("layouts", l, "tabs", t, "sections", s, "fields", f),
                                        "The entity " + q(entity.name()) + " has no field " + q(field) + ".",
                                        Suggestions.didYouMean(field, fields) + "use one of: " + String.join(", ", fields) + ".");
                            }
                        }
                    }
                }
                JsonNode lists = layout.path("related");
                for (int r = 0; r < lists.size(); r++) {
                    String list = lists.get(r).asText();
                    if (!related.contains(list)) {
                        add(document, problems, YamlDocument.pointer("layouts", l, "related", r), "The entity "
                                + q(entity.name()) + " has no related list " + q(list) + ".",
                                Suggestions.didYouMean(list, related) + (related.isEmpty() ? "remove 'related': no "
                                        + "reference points to this entity." : "use one of: " + String.join(", ", related) + "."));
                    }
                }
            }
            result.put(form.entity(), form);
        }
        return result;
    }

    /** The names of the related lists an entity's records show: the reverse lists of references to it. */
    static Set<String> relatedLists(String entity, Map<String, EntityDefinition> entities) {
        return io.relata.api.model.RelatedPath.listNames(entities.values(), entity);
    }

    private static void add(YamlDocument document, Problems problems, String pointer, String message, String fix) {
        YamlDocument.Located at = document.at(pointer);
        problems.add(document.fileName(), at.value() != null ? at.value() : at.entry(), ProblemCode.FORM_INVALID,
                message, fix);
    }

    private static List<String> texts(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static LocalizedText text(JsonNode node) {
        return node.isObject() ? EntityBuilder.text(node) : null;
    }
}
