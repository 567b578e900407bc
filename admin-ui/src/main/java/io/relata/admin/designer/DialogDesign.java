package io.relata.admin.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;
import java.util.ArrayList;
import java.util.List;

/**
 * The designer's edits of a guided dialog of the site, as its file {@code dialogs/<name>.yaml}: steps (title, help,
 * the fields asked, the validation, the branches to the next step) and what finishing does, per step or for the
 * dialog. Fields and finishes are written as YAML like in a hand-written file (a field is an entity field or a
 * dialog-only one with its own type and options); the loader judges the result.
 */
public final class DialogDesign {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String DIALOG_SCHEMA = "yaml-language-server: $schema=../schema/dialog.schema.json";

    private final String name;
    private final ObjectNode tree;
    private final String comment;

    private DialogDesign(String name, ObjectNode tree, String comment) {
        this.name = name;
        this.tree = tree;
        this.comment = comment;
    }

    public static DialogDesign of(String name, String text) throws MetadataException {
        return new DialogDesign(name, MetadataYaml.read(new MetadataFile(path(name), text)), MetadataYaml.leadingComment(text));
    }

    /** A new dialog with one step that asks {@code firstField} of the entity. */
    public static String newDialog(String name, String entity, String labelDe, String labelEn, String firstField) {
        ObjectNode tree = JSON.objectNode();
        tree.put("name", name);
        tree.put("entity", entity);
        tree.set("label", EntityDesign.text(labelDe, labelEn));
        ObjectNode step = tree.putArray("steps").addObject();
        step.put("name", "start");
        step.set("title", EntityDesign.text(labelDe, labelEn));
        step.putArray("fields").addObject().put("field", firstField);
        return MetadataYaml.write(tree, DIALOG_SCHEMA);
    }

    /**
     * The site's replacement of a dialog of the core or a plugin: a copy of its file that says {@code replaces: true},
     * ready to be edited like a dialog of the site.
     */
    public static String replacing(String name, String original) throws MetadataException {
        return Replacement.of(path(name), original, DIALOG_SCHEMA);
    }

    public static String path(String name) {
        return "dialogs/" + name + ".yaml";
    }

    public String path() {
        return path(name);
    }

    public String yaml() {
        return MetadataYaml.write(tree, comment);
    }

    // ---- steps ----

    private ArrayNode steps() {
        return tree.withArray("steps");
    }

    private int indexOf(String step) {
        ArrayNode steps = steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).path("name").asText().equals(step)) {
                return i;
            }
        }
        throw new IllegalArgumentException("The dialog " + name + " has no step " + step);
    }

    private ObjectNode step(String step) {
        return (ObjectNode) steps().get(indexOf(step));
    }

    public boolean hasStep(String step) {
        for (JsonNode node : steps()) {
            if (node.path("name").asText().equals(step)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a step after the others, asking nothing yet; the step before it leads to it unless it branches already. */
    public void addStep(String step, String titleDe, String titleEn) {
        if (hasStep(step)) {
            throw new IllegalArgumentException("The dialog " + name + " has a step " + step + " already");
        }
        ArrayNode steps = steps();
        if (!steps.isEmpty()) {
            ObjectNode last = (ObjectNode) steps.get(steps.size() - 1);
            if (!last.has("next")) {
                last.putArray("next").addObject().put("step", step);
            }
        }
        ObjectNode added = steps.addObject();
        added.put("name", step);
        added.set("title", EntityDesign.text(titleDe, titleEn));
        added.putArray("fields");
    }

    /** Sets what the step form edits: titles, help (both blank: none) and the validation (blank: none). */
    public void setStep(String step, String titleDe, String titleEn, String helpDe, String helpEn, String validation) {
        ObjectNode node = step(step);
        ObjectNode rebuilt = JSON.objectNode();
        rebuilt.put("name", step);
        rebuilt.set("title", EntityDesign.text(titleDe, titleEn));
        if ((helpDe != null && !helpDe.isBlank()) || (helpEn != null && !helpEn.isBlank())) {
            rebuilt.set("help", EntityDesign.text(helpDe, helpEn == null || helpEn.isBlank() ? helpDe : helpEn));
        }
        if (node.has("fields")) {
            rebuilt.set("fields", node.get("fields"));
        }
        if (validation != null && !validation.isBlank()) {
            rebuilt.put("validation", validation.strip());
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!List.of("name", "title", "help", "fields", "validation").contains(key)) {
                rebuilt.set(key, node.get(key));
            }
        });
        steps().set(indexOf(step), rebuilt);
    }

    /** The fields the step asks, as YAML (a list), "" if none. */
    public String fieldsYaml(String step) {
        return listYaml(step(step).path("fields"));
    }

    /**
     * Replaces the fields the step asks by {@code yaml}: a list of {@code {field: x, required: true}} (an entity field)
     * or {@code {name: x, type: ..., label: ...}} (a dialog-only field).
     *
     * @throws MetadataException        if the text is no YAML (located in the text)
     * @throws IllegalArgumentException if it is no list
     */
    public void setFields(String step, String yaml) throws MetadataException {
        step(step).set("fields", list(yaml, path() + "#" + step + "/fields"));
    }

    /** What finishing after this step does (YAML: set, create, movePhase), "" if the dialog's own finish applies. */
    public String finishYaml(String step) {
        return mappingYaml(step == null ? tree.path("finish") : step(step).path("finish"));
    }

    /** Replaces the finish of the step (null: of the dialog); blank removes it. */
    public void setFinish(String step, String yaml) throws MetadataException {
        ObjectNode node = step == null ? tree : step(step);
        if (yaml == null || yaml.isBlank()) {
            node.remove("finish");
            return;
        }
        node.set("finish", MetadataYaml.read(new MetadataFile(path() + "#finish", yaml)));
    }

    /** The step's branches in order: each a condition (null: always) and the step it leads to (null: the summary). */
    public List<Branch> branches(String step) {
        List<Branch> branches = new ArrayList<>();
        for (JsonNode branch : step(step).path("next")) {
            branches.add(new Branch(branch.path("when").asText(null), branch.path("step").isNull() ? null
                    : branch.path("step").asText(null)));
        }
        return branches;
    }

    /** Replaces the step's branches; none: the summary follows the step. */
    public void setBranches(String step, List<Branch> branches) {
        ObjectNode node = step(step);
        if (branches.isEmpty()) {
            node.remove("next");
            return;
        }
        ArrayNode next = JSON.arrayNode();
        for (Branch branch : branches) {
            ObjectNode written = next.addObject();
            if (branch.when() != null && !branch.when().isBlank()) {
                written.put("when", branch.when().strip());
            }
            if (branch.step() == null || branch.step().isBlank()) {
                written.putNull("step");
            } else {
                written.put("step", branch.step());
            }
        }
        node.set("next", next);
    }

    public void moveStep(String step, int delta) {
        ArrayNode steps = steps();
        int from = indexOf(step);
        int to = Math.max(0, Math.min(steps.size() - 1, from + delta));
        if (from != to) {
            steps.insert(to, steps.remove(from));
        }
    }

    /** Removes a step and the branches that lead to it. */
    public void removeStep(String step) {
        steps().remove(indexOf(step));
        for (JsonNode other : steps()) {
            if (other.path("next") instanceof ArrayNode next) {
                for (int i = next.size() - 1; i >= 0; i--) {
                    if (step.equals(next.get(i).path("step").asText(null))) {
                        next.remove(i);
                    }
                }
                if (next.isEmpty()) {
                    ((ObjectNode) other).remove("next");
                }
            }
        }
    }

    private static String listYaml(JsonNode list) {
        return list.isArray() && !list.isEmpty() ? MetadataYaml.write(list, null) : "";
    }

    private static String mappingYaml(JsonNode mapping) {
        return mapping.isObject() && !mapping.isEmpty() ? MetadataYaml.write(mapping, null) : "";
    }

    private static ArrayNode list(String yaml, String where) throws MetadataException {
        if (yaml == null || yaml.isBlank()) {
            return JSON.arrayNode();
        }
        StringBuilder indented = new StringBuilder("x:\n");
        yaml.lines().forEach(line -> indented.append("  ").append(line).append('\n'));
        JsonNode list = MetadataYaml.read(new MetadataFile(where, indented.toString())).get("x");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(where);
        }
        return (ArrayNode) list;
    }

    /** One branch of a step. */
    public record Branch(String when, String step) {
    }
}
