package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.security.AccessScope;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Builds the {@link RoleDefinition} of a file that passed the schema and {@link RoleChecks}, filling in the
 * defaults of every grant: no create, scopes none, no export, fields editable, no {@code showDerived}. Which
 * fields are derived from hidden ones needs the entities and processes: {@link RoleDerivations} adds them.
 */
final class RoleBuilder {

    private final YamlDocument document;

    private RoleBuilder(YamlDocument document) {
        this.document = document;
    }

    static RoleDefinition build(YamlDocument document) {
        return new RoleBuilder(document).role();
    }

    /**
     * {@code base} changed by a role extension: its label and description where the extension gives them, and each
     * grant the extension gives in place of the base's grant on that entity.
     */
    static RoleDefinition extend(RoleDefinition base, YamlDocument extension) {
        RoleBuilder builder = new RoleBuilder(extension);
        JsonNode root = extension.root();
        Map<String, EntityGrant> grants = new LinkedHashMap<>(base.grants());
        grants.putAll(builder.grants());
        return new RoleDefinition(base.name(), root.has("label") ? text(root.path("label")) : base.label(),
                root.has("description") ? text(root.path("description")) : base.description(), base.administrator(),
                grants, base.location());
    }

    private Map<String, EntityGrant> grants() {
        Map<String, EntityGrant> grants = new LinkedHashMap<>();
        document.root().path("entities").fields().forEachRemaining(e -> grants.put(e.getKey(), grant(e.getKey(), e.getValue())));
        return grants;
    }

    private RoleDefinition role() {
        JsonNode root = document.root();
        Map<String, EntityGrant> grants = grants();
        return new RoleDefinition(root.path("name").asText(), text(root.path("label")),
                root.hasNonNull("description") ? text(root.path("description")) : null,
                root.path("administrator").asBoolean(false), grants,
                location(YamlDocument.pointer("name"), false));
    }

    private EntityGrant grant(String entity, JsonNode grant) {
        Map<String, FieldAccess> fields = new LinkedHashMap<>();
        grant.path("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), access(e.getValue().asText())));
        Set<String> showDerived = new LinkedHashSet<>();
        grant.path("showDerived").forEach(field -> showDerived.add(field.asText()));
        return new EntityGrant(entity, grant.path("create").asBoolean(false),
                scope(grant, "read"), scope(grant, "update"), scope(grant, "delete"),
                grant.path("export").asBoolean(false),
                grant.hasNonNull("fieldDefault") ? access(grant.path("fieldDefault").asText()) : FieldAccess.EDITABLE,
                fields, showDerived, Map.of(), location(YamlDocument.pointer("entities", entity), true));
    }

    private static AccessScope scope(JsonNode grant, String operation) {
        return grant.hasNonNull(operation) ? AccessScope.fromYamlName(grant.path(operation).asText()).orElseThrow()
                : AccessScope.NONE;
    }

    private static FieldAccess access(String yamlName) {
        return FieldAccess.fromYamlName(yamlName).orElseThrow();
    }

    private static LocalizedText text(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return new LocalizedText(values);
    }

    private SourceLocation location(String pointer, boolean atKey) {
        YamlDocument.Located located = document.at(pointer);
        Node node = atKey ? located.entry() : located.value();
        return node == null ? new SourceLocation(document.fileName(), 1, 1) : EntityBuilder.location(document.fileName(), node);
    }
}
