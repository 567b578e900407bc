package io.relata.admin.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.api.model.EntityForm;
import io.relata.api.model.FormLayout;
import io.relata.api.model.FormSection;
import io.relata.api.model.FormTab;
import io.relata.api.model.LocalizedText;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;
import java.util.List;

/**
 * The designer's edits of an entity's record form layouts, as the site layer's {@code forms/<entity>.yaml}: layouts
 * per role, their tabs, sections (label, columns) and the fields in them, and the related lists shown. The site's
 * file replaces a form file of the core or a plugin; it starts as a copy of that one, so that nothing changes until
 * the admin changes it. The loader judges the result.
 */
public final class FormDesign {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String FORM_SCHEMA = "yaml-language-server: $schema=../schema/form.schema.json";

    private final String entity;
    private final ObjectNode tree;
    private final String comment;

    private FormDesign(String entity, ObjectNode tree, String comment) {
        this.entity = entity;
        this.tree = tree;
        this.comment = comment;
    }

    /**
     * @param entity the entity whose form is laid out
     * @param text   the site's file as the draft has it, null if none
     * @param inForce the form the draft's model has from any layer (the copy a new site file starts from), or null
     */
    public static FormDesign of(String entity, String text, EntityForm inForce) throws MetadataException {
        if (text != null) {
            return new FormDesign(entity, MetadataYaml.read(new MetadataFile(path(entity), text)),
                    MetadataYaml.leadingComment(text));
        }
        ObjectNode tree = JSON.objectNode();
        tree.put("entity", entity);
        ArrayNode layouts = tree.putArray("layouts");
        if (inForce != null) {
            inForce.layouts().forEach(layout -> layouts.add(written(layout)));
        }
        return new FormDesign(entity, tree, FORM_SCHEMA);
    }

    public static String path(String entity) {
        return "forms/" + entity + ".yaml";
    }

    public String path() {
        return path(entity);
    }

    /** The file's text; null when no layout is left (the file is then deleted: the form shows all fields again). */
    public String yaml() {
        return layouts().isEmpty() ? null : MetadataYaml.write(tree, comment);
    }

    private ArrayNode layouts() {
        return (ArrayNode) tree.withArray("layouts");
    }

    private ObjectNode layout(int layout) {
        return (ObjectNode) layouts().get(layout);
    }

    private ArrayNode tabs(int layout) {
        return layout(layout).withArray("tabs");
    }

    private ObjectNode section(int layout, int tab, int section) {
        return (ObjectNode) ((ObjectNode) tabs(layout).get(tab)).withArray("sections").get(section);
    }

    /** A new layout for {@code roles} (empty: for everyone else) with one untitled section of {@code fields}. */
    public void addLayout(String name, List<String> roles, List<String> fields) {
        ObjectNode layout = JSON.objectNode();
        layout.put("name", name);
        if (!roles.isEmpty()) {
            ArrayNode written = layout.putArray("roles");
            roles.forEach(written::add);
        }
        ObjectNode section = layout.putArray("tabs").addObject().putArray("sections").addObject();
        section.put("columns", 2);
        ArrayNode placed = section.putArray("fields");
        fields.forEach(placed::add);
        layouts().add(layout);
    }

    public void removeLayout(int layout) {
        layouts().remove(layout);
    }

    public void setRoles(int layout, List<String> roles) {
        if (roles.isEmpty()) {
            layout(layout).remove("roles");
        } else {
            ArrayNode written = JSON.arrayNode();
            roles.forEach(written::add);
            layout(layout).set("roles", written);
        }
    }

    public void addTab(int layout, String de, String en) {
        ObjectNode tab = tabs(layout).addObject();
        if (en != null && !en.isBlank()) {
            tab.set("label", EntityDesign.text(de, en));
        }
        // a tab needs a section to hold fields; an empty one is no valid layout, so it gets its first field later
        tab.putArray("sections");
    }

    public void addSection(int layout, int tab, String de, String en, int columns) {
        ObjectNode section = ((ObjectNode) tabs(layout).get(tab)).withArray("sections").addObject();
        if (en != null && !en.isBlank()) {
            section.set("label", EntityDesign.text(de, en));
        }
        section.put("columns", columns);
        section.putArray("fields");
    }


    public void setColumns(int layout, int tab, int section, int columns) {
        section(layout, tab, section).put("columns", columns);
    }

    /** Puts a field at {@code index} of a section (the end if beyond), taking it from wherever it was. */
    public void place(int layout, String field, int tab, int section, int index) {
        ArrayNode fields = section(layout, tab, section).withArray("fields");
        int at = index;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).asText().equals(field) && i < index) {
                at--; // the index counted the field in its old place, which it leaves
            }
        }
        unplace(layout, field);
        at = Math.max(0, Math.min(at, fields.size()));
        fields.insert(at, field);
    }

    /** Moves a field up or down within its section. */
    public void move(int layout, String field, int delta) {
        ArrayNode tabs = tabs(layout);
        for (int t = 0; t < tabs.size(); t++) {
            ArrayNode sections = ((ObjectNode) tabs.get(t)).withArray("sections");
            for (int s = 0; s < sections.size(); s++) {
                ArrayNode fields = ((ObjectNode) sections.get(s)).withArray("fields");
                for (int i = 0; i < fields.size(); i++) {
                    if (fields.get(i).asText().equals(field)) {
                        int to = Math.max(0, Math.min(fields.size() - 1, i + delta));
                        JsonNode moved = fields.remove(i);
                        fields.insert(to, moved);
                        return;
                    }
                }
            }
        }
    }

    /** Takes a field out of the layout's sections: the form then shows it among the fields no section places. */
    public void unplace(int layout, String field) {
        for (JsonNode tab : tabs(layout)) {
            for (JsonNode section : tab.path("sections")) {
                ArrayNode fields = (ArrayNode) section.path("fields");
                for (int i = fields.size() - 1; i >= 0; i--) {
                    if (fields.get(i).asText().equals(field)) {
                        fields.remove(i);
                    }
                }
            }
        }
    }

    /** Removes the sections that hold no field and the tabs that hold no section: the schema wants neither empty. */
    public void prune() {
        for (JsonNode layout : layouts()) {
            ArrayNode tabs = ((ObjectNode) layout).withArray("tabs");
            for (int t = tabs.size() - 1; t >= 0; t--) {
                ArrayNode sections = ((ObjectNode) tabs.get(t)).withArray("sections");
                for (int s = sections.size() - 1; s >= 0; s--) {
                    if (sections.get(s).path("fields").isEmpty()) {
                        sections.remove(s);
                    }
                }
                if (sections.isEmpty() && tabs.size() > 1) {
                    tabs.remove(t);
                }
            }
        }
    }

    public void setRelated(int layout, List<String> related) {
        if (related.isEmpty()) {
            layout(layout).remove("related");
        } else {
            ArrayNode written = JSON.arrayNode();
            related.forEach(written::add);
            layout(layout).set("related", written);
        }
    }

    private static ObjectNode written(FormLayout layout) {
        ObjectNode node = JSON.objectNode();
        node.put("name", layout.name());
        if (!layout.roles().isEmpty()) {
            ArrayNode roles = node.putArray("roles");
            layout.roles().forEach(roles::add);
        }
        ArrayNode tabs = node.putArray("tabs");
        for (FormTab tab : layout.tabs()) {
            ObjectNode tabNode = tabs.addObject();
            label(tabNode, tab.label());
            ArrayNode sections = tabNode.putArray("sections");
            for (FormSection section : tab.sections()) {
                ObjectNode sectionNode = sections.addObject();
                label(sectionNode, section.label());
                sectionNode.put("columns", section.columns());
                ArrayNode fields = sectionNode.putArray("fields");
                section.fields().forEach(fields::add);
            }
        }
        if (!layout.related().isEmpty()) {
            ArrayNode related = node.putArray("related");
            layout.related().forEach(related::add);
        }
        return node;
    }

    private static void label(ObjectNode node, LocalizedText label) {
        if (label != null) {
            ObjectNode text = node.putObject("label");
            label.values().forEach(text::put);
        }
    }
}
