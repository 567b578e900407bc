package io.relata.admin.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.api.process.PhaseOutcome;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The designer's edits of a process of the site, as its file {@code processes/<name>.yaml}: phases (labels, outcome,
 * required fields, closing reason, and their actions and timers, which are written as YAML like in a hand-written
 * file), and transitions (from, to, guard, condition), kept in the form the admin or the designer wrote them (a
 * {@code from} list stays a list). Like every design it only writes the file; the loader judges it.
 */
public final class ProcessDesign {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String PROCESS_SCHEMA = "yaml-language-server: $schema=../schema/process.schema.json";
    /** The keys of a phase that hold its actions and timers: edited as YAML. */
    public static final List<String> ACTION_KEYS = List.of("onEnter", "onLeave", "timers");

    private final String name;
    private final ObjectNode tree;
    private final String comment;

    private ProcessDesign(String name, ObjectNode tree, String comment) {
        this.name = name;
        this.tree = tree;
        this.comment = comment;
    }

    /** The site's process file as the draft has it. */
    public static ProcessDesign of(String name, String text) throws MetadataException {
        return new ProcessDesign(name, MetadataYaml.read(new MetadataFile(path(name), text)), MetadataYaml.leadingComment(text));
    }

    /**
     * A new process whose phases are the options of its phase field, in their order, with no moves yet between them.
     */
    public static String newProcess(String name, String entity, String labelDe, String labelEn, String phaseField,
                                    List<String> phases) {
        ObjectNode tree = JSON.objectNode();
        tree.put("name", name);
        tree.put("entity", entity);
        tree.set("label", EntityDesign.text(labelDe, labelEn));
        tree.put("phaseField", phaseField);
        ArrayNode list = tree.putArray("phases");
        phases.forEach(phase -> list.addObject().put("name", phase));
        tree.putArray("transitions");
        return MetadataYaml.write(tree, PROCESS_SCHEMA);
    }

    /**
     * The site's replacement of a process of the core or a plugin: a copy of its file that says {@code replaces: true}
     * (the loader then puts it in the original's place), ready to be edited like a process of the site.
     *
     * @param original the text of the original's file
     */
    public static String replacing(String name, String original) throws MetadataException {
        return Replacement.of(path(name), original, PROCESS_SCHEMA);
    }

    public static String path(String name) {
        return "processes/" + name + ".yaml";
    }

    public String path() {
        return path(name);
    }

    public String yaml() {
        if (tree.path("transitions").isArray() && tree.path("transitions").isEmpty()) {
            tree.remove("transitions");
        }
        return MetadataYaml.write(tree, comment);
    }

    // ---- phases ----

    private ArrayNode phases() {
        return tree.withArray("phases");
    }

    private int indexOf(String phase) {
        ArrayNode phases = phases();
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).path("name").asText().equals(phase)) {
                return i;
            }
        }
        throw new IllegalArgumentException("The process " + name + " has no phase " + phase);
    }

    private ObjectNode phase(String phase) {
        return (ObjectNode) phases().get(indexOf(phase));
    }

    public boolean hasPhase(String phase) {
        for (JsonNode node : phases()) {
            if (node.path("name").asText().equals(phase)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a phase after the others (its option of the phase field is the caller's business). */
    public void addPhase(String phase, String labelDe, String labelEn, PhaseOutcome outcome) {
        if (hasPhase(phase)) {
            throw new IllegalArgumentException("The process " + name + " has a phase " + phase + " already");
        }
        ObjectNode added = phases().addObject();
        added.put("name", phase);
        if (labelEn != null && !labelEn.isBlank()) {
            added.set("label", EntityDesign.text(labelDe, labelEn));
        }
        if (outcome != PhaseOutcome.OPEN) {
            added.put("outcome", outcome.yamlName());
        }
    }

    /**
     * Sets what the phase form edits: labels (both blank: the phase field's option label), outcome, required fields
     * and the closing reason's field (only for a closing phase).
     */
    public void setPhase(String phase, String labelDe, String labelEn, PhaseOutcome outcome, List<String> requires,
                         String reasonField) {
        ObjectNode node = phase(phase);
        ObjectNode rebuilt = JSON.objectNode();
        rebuilt.put("name", phase);
        if ((labelEn != null && !labelEn.isBlank()) || (labelDe != null && !labelDe.isBlank())) {
            rebuilt.set("label", EntityDesign.text(labelDe, labelEn == null || labelEn.isBlank() ? labelDe : labelEn));
        }
        if (outcome != PhaseOutcome.OPEN) {
            rebuilt.put("outcome", outcome.yamlName());
        }
        if (requires != null && !requires.isEmpty()) {
            ArrayNode list = rebuilt.putArray("requires");
            requires.forEach(list::add);
        }
        if (outcome != PhaseOutcome.OPEN && reasonField != null && !reasonField.isBlank()) {
            rebuilt.put("reasonField", reasonField);
        }
        // keys this form does not edit (actions, timers, and any a hand edit added) keep their place after these
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("name", "label", "outcome", "requires", "reasonField").contains(key)) {
                rebuilt.set(key, node.get(key));
            }
        });
        phases().set(indexOf(phase), rebuilt);
    }

    /** The phase's actions and timers as YAML ({@code onEnter}, {@code onLeave}, {@code timers}), "" if none. */
    public String actionsYaml(String phase) {
        ObjectNode node = phase(phase);
        ObjectNode actions = JSON.objectNode();
        for (String key : ACTION_KEYS) {
            if (node.has(key)) {
                actions.set(key, node.get(key));
            }
        }
        return actions.isEmpty() ? "" : MetadataYaml.write(actions, null);
    }

    /**
     * Replaces the phase's actions and timers by those of {@code yaml}, a mapping with the keys {@code onEnter},
     * {@code onLeave} and {@code timers} written as in a process file.
     *
     * @throws MetadataException        if the text is no YAML mapping (located in the text)
     * @throws IllegalArgumentException naming a key that is none of the three
     */
    public void setActions(String phase, String yaml) throws MetadataException {
        ObjectNode actions = yaml == null || yaml.isBlank() ? JSON.objectNode()
                : MetadataYaml.read(new MetadataFile(path() + "#" + phase, yaml));
        for (Iterator<String> keys = actions.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!ACTION_KEYS.contains(key)) {
                throw new IllegalArgumentException(key);
            }
        }
        ObjectNode node = phase(phase);
        ACTION_KEYS.forEach(node::remove);
        ACTION_KEYS.stream().filter(actions::has).forEach(key -> node.set(key, actions.get(key)));
    }

    /** Moves a phase by {@code delta} places (the first phase is where new records start). */
    public void movePhase(String phase, int delta) {
        ArrayNode phases = phases();
        int from = indexOf(phase);
        int to = Math.max(0, Math.min(phases.size() - 1, from + delta));
        if (from == to) {
            return;
        }
        JsonNode moved = phases.remove(from);
        phases.insert(to, moved);
    }

    /** Removes a phase and every move from or to it (a move from several phases keeps the others). */
    public void removePhase(String phase) {
        phases().remove(indexOf(phase));
        ArrayNode transitions = transitions();
        for (int i = transitions.size() - 1; i >= 0; i--) {
            ObjectNode transition = (ObjectNode) transitions.get(i);
            boolean emptied = false;
            for (String end : List.of("from", "to")) {
                JsonNode value = transition.get(end);
                if (value != null && value.isArray()) {
                    ArrayNode kept = JSON.arrayNode();
                    value.forEach(v -> {
                        if (!v.asText().equals(phase)) {
                            kept.add(v);
                        }
                    });
                    transition.set(end, kept.size() == 1 ? kept.get(0) : kept);
                    emptied |= kept.isEmpty();
                } else if (value != null && value.asText().equals(phase)) {
                    emptied = true;
                }
            }
            if (emptied) {
                transitions.remove(i);
            }
        }
    }

    // ---- transitions ----

    private ArrayNode transitions() {
        return tree.withArray("transitions");
    }

    /** The transitions as written: each with its from and to phases (a {@code '*'} stays one). */
    public List<Transition> transitionList() {
        List<Transition> list = new ArrayList<>();
        ArrayNode transitions = transitions();
        for (int i = 0; i < transitions.size(); i++) {
            JsonNode t = transitions.get(i);
            list.add(new Transition(i, ends(t.get("from")), ends(t.get("to")), t.path("guard").asText(null),
                    t.path("when").asText(null)));
        }
        return list;
    }

    private static List<String> ends(JsonNode value) {
        List<String> ends = new ArrayList<>();
        if (value == null || value.isNull()) {
            return ends;
        }
        if (value.isArray()) {
            value.forEach(v -> ends.add(v.asText()));
        } else {
            ends.add(value.asText());
        }
        return ends;
    }

    /** Adds or (index ≥ 0) replaces a transition; a blank guard or condition is left out. */
    public void setTransition(int index, List<String> from, List<String> to, String guard, String when) {
        ObjectNode transition = JSON.objectNode();
        transition.set("from", ends(from));
        transition.set("to", ends(to));
        if (guard != null && !guard.isBlank()) {
            transition.put("guard", guard.strip());
        }
        if (when != null && !when.isBlank()) {
            transition.put("when", when.strip());
        }
        if (index < 0) {
            transitions().add(transition);
        } else {
            transitions().set(index, transition);
        }
    }

    private static JsonNode ends(List<String> phases) {
        List<String> names = phases.stream().map(String::strip).filter(p -> !p.isEmpty()).distinct().toList();
        if (names.size() == 1) {
            return JSON.textNode(names.get(0));
        }
        ArrayNode list = JSON.arrayNode();
        names.forEach(list::add);
        return list;
    }

    public void removeTransition(int index) {
        transitions().remove(index);
    }

    /** One transition entry of the file: from and to as lists (one phase, several, or {@code '*'}). */
    public record Transition(int index, List<String> from, List<String> to, String guard, String when) {
        public Transition {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }
    }
}
