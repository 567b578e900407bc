package io.relata.admin.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The designer's edits of one entity, written as the site layer's YAML. An entity the site defines is edited in its
 * own file ({@code entities/<name>.yaml}); an entity of the core or a plugin gets an overlay
 * ({@code extensions/<name>.yaml}: {@code changes}, {@code fieldOrder}, added {@code fields}), so that the earlier
 * layer's file stays untouched and an upgrade of it keeps every customisation. The designer never judges whether an
 * edit is valid: the loader does, on the draft, with the same rules as for hand-written files.
 */
public final class EntityDesign {

    /** The flags of a field the designer switches. */
    public enum Flag {
        REQUIRED("required"), UNIQUE("unique"), LISTED("listed"), SEARCHABLE("searchable"), INDEXED("indexed");

        private final String key;

        Flag(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public boolean of(FieldDefinition field) {
            return switch (this) {
                case REQUIRED -> field.required();
                case UNIQUE -> field.unique();
                case LISTED -> field.listed();
                case SEARCHABLE -> field.searchable();
                case INDEXED -> field.indexed();
            };
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String ENTITY_SCHEMA = "yaml-language-server: $schema=../schema/entity.schema.json";
    static final String EXTENSION_SCHEMA = "yaml-language-server: $schema=../schema/extension.schema.json";

    private final EntityDefinition entity;
    private final boolean ownedBySite;
    private final ObjectNode tree;
    private final String comment;

    private EntityDesign(EntityDefinition entity, boolean ownedBySite, ObjectNode tree, String comment) {
        this.entity = entity;
        this.ownedBySite = ownedBySite;
        this.tree = tree;
        this.comment = comment;
    }

    /**
     * @param entity      the entity as the draft describes it (all layers applied)
     * @param ownedBySite whether the site layer defines it (else it is the core's or a plugin's)
     * @param text        what the file the designer edits holds now (the draft's or the site's), null if none
     */
    public static EntityDesign of(EntityDefinition entity, boolean ownedBySite, String text) throws MetadataException {
        String path = path(entity.name(), ownedBySite);
        if (text != null) {
            return new EntityDesign(entity, ownedBySite, MetadataYaml.read(new MetadataFile(path, text)), MetadataYaml.leadingComment(text));
        }
        ObjectNode tree = JSON.objectNode();
        tree.put("extends", entity.name());
        return new EntityDesign(entity, false, tree, EXTENSION_SCHEMA);
    }

    /** A new entity of the site with one required text field that names its records. */
    public static String newEntity(String name, String labelDe, String labelEn, String pluralDe, String pluralEn,
                                   String titleDe, String titleEn) {
        ObjectNode tree = JSON.objectNode();
        tree.put("name", name);
        tree.set("label", text(labelDe, labelEn));
        tree.set("pluralLabel", text(pluralDe, pluralEn));
        ObjectNode title = tree.putObject("fields").putObject("name");
        title.put("type", "text");
        title.set("label", text(titleDe, titleEn));
        title.put("required", true);
        title.put("listed", true);
        title.put("searchable", true);
        return MetadataYaml.write(tree, ENTITY_SCHEMA);
    }

    static String path(String entity, boolean ownedBySite) {
        return (ownedBySite ? "entities/" : "extensions/") + entity + ".yaml";
    }

    /** The file's tree, for the other designs of the same file (rules and examples). */
    ObjectNode tree() {
        return tree;
    }

    /** The site layer's file this design writes. */
    public String path() {
        return path(entity.name(), ownedBySite);
    }

    public boolean ownedBySite() {
        return ownedBySite;
    }

    /** The file's text after the edits. */
    public String yaml() {
        return MetadataYaml.write(tree, comment);
    }

    public void relabelEntity(String de, String en, String pluralDe, String pluralEn) {
        tree.set("label", text(de, en));
        tree.set("pluralLabel", text(pluralDe, pluralEn));
    }

    public void relabel(String field, String de, String en) {
        edit(field).set("label", text(de, en));
    }

    public void set(String field, Flag flag, boolean value) {
        edit(field).put(flag.key(), value);
    }

    /** Moves a field by {@code delta} places (negative: up) among the entity's fields. */
    public void move(String field, int delta) {
        List<String> order = order();
        int from = order.indexOf(field);
        int to = Math.max(0, Math.min(order.size() - 1, from + delta));
        if (from < 0 || from == to) {
            return;
        }
        order.add(to, order.remove(from));
        if (ownedBySite) {
            ObjectNode fields = (ObjectNode) tree.path("fields");
            ObjectNode reordered = JSON.objectNode();
            order.stream().filter(fields::has).forEach(name -> reordered.set(name, fields.get(name)));
            tree.set("fields", reordered);
        } else {
            ArrayNode fieldOrder = JSON.arrayNode();
            order.forEach(fieldOrder::add);
            tree.set("fieldOrder", fieldOrder);
        }
    }

    /** The fields in their order: the entity's, then those this design added since. */
    private List<String> order() {
        List<String> order = new ArrayList<>();
        if (ownedBySite) {
            tree.path("fields").fieldNames().forEachRemaining(order::add);
            return order;
        }
        entity.fields().forEach(f -> order.add(f.name()));
        tree.path("fields").fieldNames().forEachRemaining(name -> {
            if (!order.contains(name)) {
                order.add(name);
            }
        });
        return order;
    }

    /** Adds a field after the others; its definition is written as in an entity file. */
    public void addField(String name, ObjectNode definition) {
        ObjectNode fields = tree.has("fields") ? (ObjectNode) tree.get("fields") : tree.putObject("fields");
        fields.set(name, definition);
    }

    /**
     * Adds an option to a choice field (a process's new phase is one): into the field's definition where this file
     * defines it, else into the overlay's {@code options} of that field.
     */
    public void addOption(String field, Option option) {
        ObjectNode value = JSON.objectNode();
        value.put("value", option.value());
        value.set("label", text(option.labelDe(), option.labelEn()));
        if (defines(field)) {
            ((ObjectNode) tree.get("fields").get(field)).withArray("options").add(value);
        } else {
            ObjectNode options = tree.has("options") ? (ObjectNode) tree.get("options") : tree.putObject("options");
            options.withArray(field).add(value);
        }
    }

    /**
     * Removes an option this file added to a choice field (an option of an earlier layer stays); the load refuses it
     * while records hold the value ({@code SCHEMA_OPTION_IN_USE}).
     *
     * @return whether this file had the option
     */
    public boolean removeOption(String field, String value) {
        JsonNode options = defines(field) ? tree.get("fields").get(field).path("options") : tree.path("options").path(field);
        if (!(options instanceof ArrayNode list)) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path("value").asText().equals(value)) {
                list.remove(i);
                if (list.isEmpty() && !defines(field)) {
                    ((ObjectNode) tree.get("options")).remove(field);
                    if (tree.get("options").isEmpty()) {
                        tree.remove("options");
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** Whether this file defines the field (so that it may remove it). */
    public boolean defines(String field) {
        return tree.path("fields").has(field);
    }

    /**
     * Renames a field this file defines, in place, with what refers to it in this file (title, order, changes). The
     * caller makes sure the field holds no values: they would stay behind in the old column.
     */
    public void renameField(String from, String to) {
        if (!defines(from)) {
            throw new IllegalArgumentException("The field " + from + " is not defined by " + path());
        }
        ObjectNode fields = (ObjectNode) tree.get("fields");
        ObjectNode renamed = JSON.objectNode();
        fields.fields().forEachRemaining(e -> renamed.set(e.getKey().equals(from) ? to : e.getKey(), e.getValue()));
        tree.set("fields", renamed);
        if (from.equals(tree.path("titleField").asText(null))) {
            tree.put("titleField", to);
        }
        if (tree.path("changes") instanceof ObjectNode changes && changes.has(from)) {
            ObjectNode moved = JSON.objectNode();
            changes.fields().forEachRemaining(e -> moved.set(e.getKey().equals(from) ? to : e.getKey(), e.getValue()));
            tree.set("changes", moved);
        }
        if (tree.path("fieldOrder") instanceof ArrayNode order) {
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).asText().equals(from)) {
                    order.set(i, JSON.textNode(to));
                }
            }
        }
    }

    /**
     * Gives a field this file defines another type, keeping its labels and flags; what only the old type had (options,
     * target, digits, limits) goes. The caller makes sure the field holds no values.
     */
    public void retypeField(String field, String type) {
        if (!defines(field)) {
            throw new IllegalArgumentException("The field " + field + " is not defined by " + path());
        }
        ObjectNode definition = (ObjectNode) tree.get("fields").get(field);
        ObjectNode retyped = JSON.objectNode();
        retyped.put("type", type);
        for (String kept : List.of("label", "help", "required", "unique", "indexed", "searchable", "listed", "computed",
                "default", "visibleWhen", "requiredWhen", "readOnlyWhen", "dependsOn")) {
            if (definition.has(kept)) {
                retyped.set(kept, definition.get(kept));
            }
        }
        ((ObjectNode) tree.get("fields")).set(field, retyped);
    }

    /**
     * Removes a field this file defines. The column and its values stay in the database (an orphan the admin page
     * lists); the Check shows how many values it holds.
     */
    public void removeField(String field) {
        if (!defines(field)) {
            throw new IllegalArgumentException("The field " + field + " is not defined by " + path());
        }
        ((ObjectNode) tree.get("fields")).remove(field);
        if (tree.path("changes") instanceof ObjectNode changes) {
            changes.remove(field);
        }
        // an empty mapping is no valid entry: it goes with its last item
        for (String key : List.of("fields", "changes")) {
            if (tree.path(key).isObject() && tree.path(key).isEmpty()) {
                tree.remove(key);
            }
        }
        if (tree.path("fieldOrder") instanceof ArrayNode order) {
            for (Iterator<JsonNode> it = order.iterator(); it.hasNext(); ) {
                if (it.next().asText().equals(field)) {
                    it.remove();
                }
            }
        }
    }

    /**
     * The node to write a field's label and flags into: its own definition where this file defines it, else its
     * entry under {@code changes}.
     */
    private ObjectNode edit(String field) {
        if (entity.field(field).isEmpty() && !defines(field)) {
            throw new IllegalArgumentException("The entity " + entity.name() + " has no field " + field);
        }
        if (defines(field)) {
            return (ObjectNode) tree.get("fields").get(field);
        }
        ObjectNode changes = tree.has("changes") ? (ObjectNode) tree.get("changes") : tree.putObject("changes");
        return changes.has(field) ? (ObjectNode) changes.get(field) : changes.putObject(field);
    }

    static ObjectNode text(String de, String en) {
        ObjectNode text = JSON.objectNode();
        if (de != null && !de.isBlank()) {
            text.put("de", de.strip());
        }
        text.put("en", en == null ? "" : en.strip());
        return text;
    }

    /** A field's definition as the designer's form collects it. */
    public static ObjectNode field(NewField spec) {
        ObjectNode field = JSON.objectNode();
        field.put("type", spec.type());
        field.set("label", text(spec.labelDe(), spec.labelEn()));
        if (spec.required()) {
            field.put("required", true);
        }
        if (spec.listed()) {
            field.put("listed", true);
        }
        switch (spec.type()) {
            case "choice", "multi-choice" -> {
                ArrayNode options = field.putArray("options");
                spec.options().forEach(o -> {
                    ObjectNode option = options.addObject();
                    option.put("value", o.value());
                    option.set("label", text(o.labelDe(), o.labelEn()));
                });
            }
            case "reference" -> {
                field.put("entity", spec.referenceEntity());
                if (spec.reverseName() != null && !spec.reverseName().isBlank()) {
                    ObjectNode reverse = field.putObject("reverse");
                    reverse.put("name", spec.reverseName());
                    reverse.set("label", text(spec.reverseDe(), spec.reverseEn()));
                }
            }
            case "decimal", "money" -> {
                if (spec.precision() != null) {
                    field.put("precision", spec.precision());
                }
                if (spec.scale() != null && spec.type().equals("decimal")) {
                    field.put("scale", spec.scale());
                }
            }
            case "text" -> {
                if (spec.maxLength() != null) {
                    field.put("maxLength", spec.maxLength());
                }
            }
            default -> {
            }
        }
        return field;
    }

    /** What the "add field" form collects. */
    public record NewField(String type, String labelDe, String labelEn, boolean required, boolean listed,
                           List<Option> options, String referenceEntity, String reverseName, String reverseDe,
                           String reverseEn, Integer precision, Integer scale, Integer maxLength) {
        public NewField {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /** One choice option: its stored value and its labels. */
    public record Option(String value, String labelDe, String labelEn) {
    }

    /** Reads option lines as the form shows them: {@code value = Label de | Label en}, one per line. */
    public static List<Option> options(String lines) {
        List<Option> options = new ArrayList<>();
        if (lines == null) {
            return options;
        }
        for (String line : lines.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] valueAndLabels = line.split("=", 2);
            String value = valueAndLabels[0].strip();
            String[] labels = valueAndLabels.length > 1 ? valueAndLabels[1].split("\\|", 2) : new String[] {value};
            String de = labels[0].strip();
            String en = labels.length > 1 ? labels[1].strip() : de;
            options.add(new Option(value, de, en));
        }
        return options;
    }

}
