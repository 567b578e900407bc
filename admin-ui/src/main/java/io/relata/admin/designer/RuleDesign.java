package io.relata.admin.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.MetadataYaml;
import io.relata.metadata.ProblemCode;
import java.util.List;

/**
 * The designer's edits of an entity's rules and examples, in the same site-layer file as {@link EntityDesign}: the
 * site's own entity file, or the overlay of a core or plugin entity (whose rules and examples join the earlier
 * layer's). Rules of earlier layers are shown, not changed. A script is written as a literal block, so that its line
 * n is line n after the key in the file and a problem's line maps to the editor's.
 */
public final class RuleDesign {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The kinds of rules written on the entity (not on a field). */
    public static final List<RuleKind> ENTITY_KINDS = List.of(RuleKind.VALIDATION, RuleKind.SCORE);

    /** The kinds of rules written on a field. */
    public static final List<RuleKind> FIELD_KINDS = List.of(RuleKind.COMPUTED, RuleKind.DEFAULT, RuleKind.VISIBLE_WHEN,
            RuleKind.REQUIRED_WHEN, RuleKind.READ_ONLY_WHEN);

    private final EntityDesign entity;
    private final ObjectNode tree;

    private RuleDesign(EntityDesign entity, ObjectNode tree) {
        this.entity = entity;
        this.tree = tree;
    }

    /** The rules of {@code entity}'s site file, as {@link EntityDesign#of} reads it. */
    public static RuleDesign of(EntityDefinition definition, boolean ownedBySite, String text) throws MetadataException {
        EntityDesign design = EntityDesign.of(definition, ownedBySite, text);
        return new RuleDesign(design, design.tree());
    }

    public String path() {
        return entity.path();
    }

    public String yaml() {
        return entity.yaml();
    }

    /** Whether this file defines the entity rule {@code name} (so that the designer may change it). */
    public boolean definesEntityRule(String name) {
        return indexOf(name) >= 0;
    }

    /** Whether this file defines {@code field} (so that the designer may write rules on it). */
    public boolean definesField(String field) {
        return entity.defines(field);
    }

    /**
     * Sets an entity rule (validation or score) defined in this file, or adds it after the others.
     *
     * @param field the score's target field (scores only; null otherwise)
     */
    public void setEntityRule(String name, RuleKind kind, String script, String field) {
        ArrayNode rules = tree.has("rules") ? (ArrayNode) tree.get("rules") : tree.putArray("rules");
        ObjectNode rule = JSON.objectNode();
        rule.put("name", name);
        rule.put(kind.yamlName(), block(script));
        if (kind == RuleKind.SCORE && field != null && !field.isBlank()) {
            rule.put("field", field);
        }
        int index = indexOf(name);
        if (index >= 0) {
            JsonNode old = rules.get(index);
            // what the form does not edit stays: reasons, dependsOn
            for (String kept : List.of("reasonsField", "dependsOn")) {
                if (old.has(kept)) {
                    rule.set(kept, old.get(kept));
                }
            }
            rules.set(index, rule);
        } else {
            rules.add(rule);
        }
    }

    public void removeEntityRule(String name) {
        int index = indexOf(name);
        if (index >= 0) {
            ((ArrayNode) tree.get("rules")).remove(index);
            if (tree.get("rules").isEmpty()) {
                tree.remove("rules");
            }
        }
    }

    /** Sets (or with an empty script removes) a rule on a field this file defines. */
    public void setFieldRule(String field, RuleKind kind, String script) {
        if (!definesField(field)) {
            throw new IllegalArgumentException("The field " + field + " is not defined by " + path());
        }
        ObjectNode definition = (ObjectNode) tree.get("fields").get(field);
        if (script == null || script.isBlank()) {
            definition.remove(kind.yamlName());
        } else {
            definition.put(kind.yamlName(), block(script));
        }
    }

    /** The examples this file defines, as the YAML list an admin edits ({@code - name: …}); empty if none. */
    public String examplesYaml() {
        JsonNode examples = tree.path("examples");
        return examples.isArray() && !examples.isEmpty() ? MetadataYaml.write(examples, null) : "";
    }

    /**
     * Replaces the examples this file defines by those of a YAML list.
     *
     * @throws MetadataException if the text is no YAML list (with its line and column)
     */
    public void setExamples(String yaml) throws MetadataException {
        if (yaml == null || yaml.isBlank()) {
            tree.remove("examples");
            return;
        }
        // read as the value of 'examples' so that line numbers and checks are those of a metadata file
        String wrapped = "examples:\n" + yaml.replace("\r\n", "\n").lines().map(line -> "  " + line).reduce("", (a, b) -> a + b + "\n");
        JsonNode examples = MetadataYaml.read(new MetadataFile("examples/examples.yaml", wrapped)).path("examples");
        if (!examples.isArray()) {
            throw new MetadataException(List.of(new MetadataProblem("examples", 1, 1, ProblemCode.INVALID_VALUE,
                    "The examples are no list.", "write each example as '- name: …' with record and expect below it.")));
        }
        tree.set("examples", examples);
    }

    private int indexOf(String name) {
        JsonNode rules = tree.path("rules");
        for (int i = 0; i < rules.size(); i++) {
            if (name.equals(rules.get(i).path("name").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** A script ending in a line break, so that the file holds it as a literal block. */
    private static String block(String script) {
        // browsers send text areas with CR LF: the file keeps plain line breaks (and its literal block)
        String trimmed = script == null ? "" : script.replace("\r\n", "\n").replace('\r', '\n').stripTrailing();
        return trimmed + "\n";
    }
}
