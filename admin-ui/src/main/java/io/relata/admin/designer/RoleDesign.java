package io.relata.admin.designer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.api.security.AccessScope;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;
import java.util.Map;

/**
 * The designer's edits of one role's permissions, as site-layer YAML: a role the site defines is edited in its own
 * file ({@code roles/<name>.yaml}); a role of the core or a plugin gets an overlay
 * ({@code role-extensions/<name>.yaml}) whose grants replace the earlier layer's per entity. The loader judges the
 * result (scopes within read, entities and fields that exist).
 */
public final class RoleDesign {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String ROLE_SCHEMA = "yaml-language-server: $schema=../schema/role.schema.json";
    static final String ROLE_EXTENSION_SCHEMA = "yaml-language-server: $schema=../schema/role-extension.schema.json";

    private final String role;
    private final boolean ownedBySite;
    private final ObjectNode tree;
    private final String comment;

    private RoleDesign(String role, boolean ownedBySite, ObjectNode tree, String comment) {
        this.role = role;
        this.ownedBySite = ownedBySite;
        this.tree = tree;
        this.comment = comment;
    }

    /**
     * @param role        the role as the draft describes it
     * @param ownedBySite whether the site layer defines it
     * @param text        what the file the designer edits holds now, null if none
     */
    public static RoleDesign of(RoleDefinition role, boolean ownedBySite, String text) throws MetadataException {
        String path = path(role.name(), ownedBySite);
        if (text != null) {
            return new RoleDesign(role.name(), ownedBySite, MetadataYaml.read(new MetadataFile(path, text)),
                    MetadataYaml.leadingComment(text));
        }
        ObjectNode tree = JSON.objectNode();
        tree.put("extends", role.name());
        return new RoleDesign(role.name(), false, tree, ROLE_EXTENSION_SCHEMA);
    }

    /** A new role of the site, without grants (its users see nothing until it grants something). */
    public static String newRole(String name, String de, String en) {
        ObjectNode tree = JSON.objectNode();
        tree.put("name", name);
        tree.set("label", EntityDesign.text(de, en));
        return MetadataYaml.write(tree, ROLE_SCHEMA);
    }

    static String path(String role, boolean ownedBySite) {
        return (ownedBySite ? "roles/" : "role-extensions/") + role + ".yaml";
    }

    public String path() {
        return path(role, ownedBySite);
    }

    public String yaml() {
        return MetadataYaml.write(tree, comment);
    }

    /** What a grant allows, as the grid edits it. */
    public record Grant(boolean create, AccessScope read, AccessScope update, AccessScope delete, boolean export,
                        FieldAccess fieldDefault, Map<String, FieldAccess> fields, java.util.Set<String> showDerived) {
        public Grant {
            fieldDefault = fieldDefault == null ? FieldAccess.EDITABLE : fieldDefault;
            fields = fields == null ? Map.of() : Map.copyOf(fields);
            showDerived = showDerived == null ? java.util.Set.of() : java.util.Set.copyOf(showDerived);
        }

        /** The grant as the model has it (none: allows nothing). */
        public static Grant of(java.util.Optional<io.relata.api.security.EntityGrant> grant) {
            return grant.map(g -> new Grant(g.create(), g.read(), g.update(), g.delete(), g.export(), g.fieldDefault(),
                    g.fields(), g.showDerived())).orElse(new Grant(false, AccessScope.NONE, AccessScope.NONE,
                    AccessScope.NONE, false, FieldAccess.EDITABLE, Map.of(), java.util.Set.of()));
        }

        boolean nothing() {
            return !create && read == AccessScope.NONE && fieldDefault == FieldAccess.EDITABLE && showDerived.isEmpty()
                    && update == AccessScope.NONE && delete == AccessScope.NONE
                    && !export && fields.isEmpty();
        }
    }

    /**
     * Writes the grant on {@code entity} out completely. A site role that allows nothing on an entity loses the entry;
     * an overlay keeps it (it must say "none" to take away what the earlier layer granted).
     */
    public void grant(String entity, Grant grant) {
        ObjectNode entities = tree.has("entities") ? (ObjectNode) tree.get("entities") : tree.putObject("entities");
        if (ownedBySite && grant.nothing()) {
            entities.remove(entity);
            if (entities.isEmpty()) {
                tree.remove("entities");
            }
            return;
        }
        ObjectNode written = JSON.objectNode();
        written.put("create", grant.create());
        written.put("read", grant.read().yamlName());
        written.put("update", grant.update().yamlName());
        written.put("delete", grant.delete().yamlName());
        written.put("export", grant.export());
        if (grant.fieldDefault() != FieldAccess.EDITABLE) {
            written.put("fieldDefault", grant.fieldDefault().yamlName());
        }
        if (!grant.fields().isEmpty()) {
            ObjectNode fields = written.putObject("fields");
            new java.util.TreeMap<>(grant.fields()).forEach((field, access) -> fields.put(field, access.yamlName()));
        }
        if (!grant.showDerived().isEmpty()) {
            grant.showDerived().stream().sorted().forEach(written.putArray("showDerived")::add);
        }
        entities.set(entity, written);
    }

    public void relabel(String de, String en) {
        tree.set("label", EntityDesign.text(de, en));
    }
}
