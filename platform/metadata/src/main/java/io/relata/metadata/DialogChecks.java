package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of one dialog file that need no other file: name versus file name, unique step names, branches
 * to existing steps, every step reachable from the first, the shape of each asked field, scripts that
 * exist, and the placeholder syntax of the values of records to create. Like {@link EntityChecks} they run
 * on the raw tree even when the schema found problems. The entity's fields are checked by
 * {@link DialogResolver}.
 *
 * <p>An unreachable step is an error, not a warning: it is almost always a typo in a {@code next} (the
 * step meant to lead there names another), and a dialog that silently skips a step asks the wrong questions.
 */
final class DialogChecks {

    /** Keys of a dialog-only field that an entity field takes from the entity instead. */
    static final List<String> FROM_THE_ENTITY = List.of("type", "label", "options");

    private final YamlDocument document;
    private final RuleScripts scripts;
    private final Problems problems;
    private final Map<String, Integer> steps = new LinkedHashMap<>();
    /** Whether a branch names a step that does not exist. */
    private boolean unknownTargets;
    /** Dialog-only field name → its type, as first declared. */
    private final Map<String, String> dialogFields = new LinkedHashMap<>();
    /** Steps from which the summary may follow directly (no branch holds, or one leads to step: null). */
    private final Set<Integer> mayEnd = new HashSet<>();
    /** Step → its branch without 'when' that leads to another step, as a pointer and the step's index. */
    private final Map<Integer, Map.Entry<String, Integer>> alwaysTo = new HashMap<>();

    private DialogChecks(YamlDocument document, RuleScripts scripts, Problems problems) {
        this.document = document;
        this.scripts = scripts;
        this.problems = problems;
    }

    static void check(YamlDocument document, RuleScripts scripts, Problems problems) {
        new DialogChecks(document, scripts, problems).run();
    }

    private void run() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        problems.nameMatchesFile(document, "dialog", ProblemCode.DIALOG_NAME_MISMATCH,
                "unfinished dialogs are resumed under this name");
        JsonNode list = root.path("steps");
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            JsonNode stepName = list.get(i).path("name");
            if (!stepName.isTextual()) {
                continue;
            }
            Integer first = steps.putIfAbsent(stepName.asText(), i);
            if (first != null) {
                add(YamlDocument.pointer("steps", i, "name"), false, ProblemCode.DUPLICATE_STEP,
                        "Step " + q(stepName.asText()) + " appears twice in this dialog; it was first given at line "
                                + Problems.line(document.at(YamlDocument.pointer("steps", first, "name")).value()) + ".",
                        "give every step its own name, e.g. " + q(stepName.asText() + "_" + (i + 1)) + ".");
            }
        }
        Map<Integer, Set<Integer>> edges = new HashMap<>();
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            if (list.get(i).isObject()) {
                checkFields(i, list.get(i));
                edges.put(i, checkStep(i, list.get(i)));
            }
        }
        if (!unknownTargets) {
            // a branch to a misspelt step already explains why the step it meant is never shown
            checkReachable(list, edges);
            checkMayFinish(list, edges);
        }
        checkFinish("/finish", root.path("finish"));
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            if (list.get(i).isObject() && list.get(i).has("finish")) {
                checkFinish(YamlDocument.pointer("steps", i, "finish"), list.get(i).path("finish"));
                checkStepMayEnd(i, list.get(i));
            }
        }
    }

    /** A step's own finish is used only when the summary can follow the step. */
    private void checkStepMayEnd(int index, JsonNode step) {
        JsonNode next = step.path("next");
        for (int b = 0; next.isArray() && b < next.size(); b++) {
            JsonNode branch = next.get(b);
            if (!branch.path("step").isTextual()) {
                return; // step: null (or none) leads to the summary
            }
            if (!branch.has("when")) {
                String name = step.path("name").asText("step " + (index + 1));
                add(YamlDocument.pointer("steps", index, "finish"), true, ProblemCode.FINISH_NEVER_USED,
                        "Step " + q(name) + " has a finish of its own, but the summary never follows it: branch "
                                + (b + 1) + " leads to step " + q(branch.path("step").asText()) + " and has no 'when'.",
                        "move the finish to the step where the path ends, or let a branch of " + q(name)
                                + " lead to the summary ({step: null}).");
                return;
            }
        }
    }

    private String dialogName() {
        return document.root().path("name").asText(document.file().baseName());
    }

    // ---- steps --------------------------------------------------------------------------------------------

    /** Checks a step's scripts and branches; returns the steps its branches lead to. */
    private Set<Integer> checkStep(int index, JsonNode step) {
        String name = step.path("name").asText("step " + (index + 1));
        if (step.has("validation")) {
            scripts.check(document, dialogName() + "." + name + ".validation",
                    YamlDocument.pointer("steps", index, "validation"), problems);
        }
        Set<Integer> targets = new LinkedHashSet<>();
        JsonNode next = step.path("next");
        int alwaysTaken = -1;
        for (int b = 0; next.isArray() && b < next.size(); b++) {
            JsonNode branch = next.get(b);
            String at = YamlDocument.pointer("steps", index, "next", b);
            if (alwaysTaken >= 0) {
                add(at, false, ProblemCode.UNREACHABLE_STEP,
                        "Branch " + (b + 1) + " of step " + q(name) + " is never taken: branch " + (alwaysTaken + 1)
                                + " has no 'when' and is always taken.",
                        "give branch " + (alwaysTaken + 1) + " a 'when', or move it to the end of 'next'.");
            }
            if (branch.has("when")) {
                scripts.check(document, dialogName() + "." + name + ".next." + (b + 1) + ".when", at + "/when", problems);
            } else if (alwaysTaken < 0 && branch.isObject()) {
                alwaysTaken = b;
                if (steps.containsKey(branch.path("step").asText(null))) {
                    alwaysTo.put(index, Map.entry(at + "/step", steps.get(branch.path("step").asText())));
                }
            }
            JsonNode target = branch.path("step");
            if (!target.isTextual() && branch.isObject() && (alwaysTaken < 0 || alwaysTaken == b)) {
                mayEnd.add(index);
            }
            if (target.isTextual()) {
                Integer targetIndex = steps.get(target.asText());
                if (targetIndex == null) {
                    unknownTargets = true;
                    add(at + "/step", false, ProblemCode.UNKNOWN_STEP,
                            "Branch " + (b + 1) + " of step " + q(name) + " leads to step " + q(target.asText())
                                    + ", which this dialog does not have.",
                            Suggestions.didYouMean(target.asText(), steps.keySet()) + "use one of: "
                                    + String.join(", ", steps.keySet()) + ", or 'step: null' for the summary.");
                } else if (alwaysTaken < 0 || alwaysTaken == b) {
                    targets.add(targetIndex);
                }
            }
        }
        if (alwaysTaken < 0) {
            mayEnd.add(index); // no branch holds: the summary follows
        }
        return targets;
    }

    /**
     * Every step a user can reach must have a path on to the summary: the dialog refuses to show a step twice,
     * so a path that only leads back to steps already answered ends in an error instead of a finish. Such a
     * loop is reported once, at the branch without 'when' that closes it.
     */
    private void checkMayFinish(JsonNode list, Map<Integer, Set<Integer>> edges) {
        if (!list.isArray() || list.isEmpty()) {
            return;
        }
        Set<Integer> ends = new HashSet<>(mayEnd);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Integer, Set<Integer>> edge : edges.entrySet()) {
                if (!ends.contains(edge.getKey()) && edge.getValue().stream().anyMatch(ends::contains)) {
                    ends.add(edge.getKey());
                    grew = true;
                }
            }
        }
        Set<Integer> reached = new LinkedHashSet<>();
        Deque<Integer> queue = new ArrayDeque<>(List.of(0));
        while (!queue.isEmpty()) {
            int step = queue.poll();
            if (reached.add(step)) {
                queue.addAll(edges.getOrDefault(step, Set.of()));
            }
        }
        Set<Integer> reported = new HashSet<>();
        for (int start : reached) {
            if (ends.contains(start) || reported.contains(start) || !list.get(start).isObject()) {
                continue;
            }
            // every step from here has a branch without 'when' to another step: follow them to the loop
            List<Integer> path = new ArrayList<>();
            int step = start;
            while (!path.contains(step) && alwaysTo.containsKey(step)) {
                path.add(step);
                step = alwaysTo.get(step).getValue();
            }
            reported.addAll(path);
            if (path.isEmpty()) {
                continue;
            }
            int last = path.get(path.size() - 1);
            List<String> names = new ArrayList<>();
            path.subList(path.indexOf(step), path.size()).forEach(i -> names.add(stepName(list, i)));
            names.add(stepName(list, step));
            String from = start == 0 ? "No path through this dialog reaches the summary"
                    : "Once at step " + q(stepName(list, start)) + ", no path reaches the summary";
            add(alwaysTo.get(last).getKey(), false, ProblemCode.DIALOG_NEVER_FINISHES,
                    from + ", so it can never be finished: the steps lead in a circle (" + String.join(" → ", names)
                            + "), and a dialog refuses to show a step twice.",
                    "give this branch a 'when' (when it does not hold, the summary follows), or let it lead to the "
                            + "summary with 'step: null'.");
        }
    }

    private static String stepName(JsonNode list, int index) {
        return list.get(index).path("name").asText("step " + (index + 1));
    }

    private void checkReachable(JsonNode list, Map<Integer, Set<Integer>> edges) {
        if (!list.isArray() || list.isEmpty()) {
            return;
        }
        Set<Integer> reached = new HashSet<>();
        Deque<Integer> queue = new ArrayDeque<>(List.of(0));
        while (!queue.isEmpty()) {
            int step = queue.poll();
            if (reached.add(step)) {
                queue.addAll(edges.getOrDefault(step, Set.of()));
            }
        }
        String first = list.get(0).path("name").asText("the first step");
        for (int i = 1; i < list.size(); i++) {
            JsonNode name = list.get(i).path("name");
            if (!reached.contains(i) && name.isTextual() && steps.get(name.asText()) == i) {
                add(YamlDocument.pointer("steps", i, "name"), false, ProblemCode.UNREACHABLE_STEP,
                        "Step " + q(name.asText()) + " is never shown: no branch leads to it from " + q(first) + ".",
                        "add '- {when: ..., step: " + name.asText() + "}' to the 'next' of the step before it, "
                                + "or remove the step.");
            }
        }
    }

    // ---- fields -------------------------------------------------------------------------------------------

    private void checkFields(int index, JsonNode step) {
        JsonNode fields = step.path("fields");
        String stepName = step.path("name").asText("step " + (index + 1));
        Map<String, Integer> inStep = new HashMap<>();
        for (int f = 0; fields.isArray() && f < fields.size(); f++) {
            JsonNode field = fields.get(f);
            String at = YamlDocument.pointer("steps", index, "fields", f);
            if (!field.isObject()) {
                continue;
            }
            boolean entityField = field.has("field");
            boolean dialogField = field.has("name");
            if (entityField == dialogField) {
                add(at, false, ProblemCode.DIALOG_FIELD_INVALID,
                        "Field " + (f + 1) + " of step " + q(stepName) + (entityField ? " has both 'field' and 'name'"
                                : " has neither 'field' nor 'name'") + ".",
                        "write {field: <entity field>} to ask a field of the entity, or {name: <new name>, type: ..., "
                                + "label: ...} for a field that exists only in the dialog.");
                continue;
            }
            String name = field.path(entityField ? "field" : "name").asText(null);
            if (name != null) {
                Integer first = inStep.putIfAbsent(name, f);
                if (first != null) {
                    add(at, false, ProblemCode.DIALOG_FIELD_INVALID,
                            "Step " + q(stepName) + " asks " + q(name) + " twice (fields " + (first + 1) + " and "
                                    + (f + 1) + ").", "remove one of the two.");
                }
            }
            if (entityField) {
                field.fieldNames().forEachRemaining(key -> {
                    if (FROM_THE_ENTITY.contains(key)) {
                        add(at + "/" + key, true, ProblemCode.DIALOG_FIELD_INVALID,
                                "Field " + q(name) + " is a field of the entity; its " + key + " comes from the entity.",
                                "remove " + q(key) + ", or use 'name:' instead of 'field:' for a dialog-only field.");
                    }
                });
            } else {
                checkDialogField(at, field, name);
            }
        }
    }

    private void checkDialogField(String at, JsonNode field, String name) {
        List<String> missing = new ArrayList<>();
        for (String key : List.of("type", "label")) {
            if (!field.has(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            add(at, false, ProblemCode.DIALOG_FIELD_INVALID,
                    "Dialog-only field " + q(name) + " has no " + String.join(" and no ", missing) + ".",
                    "add " + String.join(" and ", missing.stream().map(k -> q(k + ":")).toList())
                            + ", e.g. {name: " + name + ", type: boolean, label: {de: ..., en: ...}}; to ask a field "
                            + "of the entity write {field: " + name + "}.");
        }
        String type = field.path("type").asText(null);
        boolean choice = "choice".equals(type) || "multi-choice".equals(type);
        if (type != null && choice && !field.has("options")) {
            add(at + "/type", false, ProblemCode.DIALOG_FIELD_INVALID,
                    "Dialog-only field " + q(name) + " of type " + type + " has no 'options'.",
                    "add 'options:' with the allowed values, e.g. [{value: yes, label: {en: Yes}}].");
        } else if (type != null && !choice && field.has("options")) {
            add(at + "/options", true, ProblemCode.DIALOG_FIELD_INVALID,
                    "Dialog-only field " + q(name) + " of type " + type + " has 'options', which only choice fields have.",
                    "remove 'options', or change the type to choice or multi-choice.");
        }
        if (name != null && type != null) {
            String earlier = dialogFields.putIfAbsent(name, type);
            if (earlier != null && !earlier.equals(type)) {
                add(at + "/type", false, ProblemCode.DIALOG_FIELD_INVALID,
                        "Dialog-only field " + q(name) + " is asked as " + type + " here but as " + earlier
                                + " in an earlier step; one name holds one kind of value.",
                        "use the same type in both steps, or give one of them another name.");
            }
        }
    }

    // ---- finish -------------------------------------------------------------------------------------------

    private void checkFinish(String base, JsonNode finish) {
        JsonNode create = finish.path("create");
        for (int i = 0; create.isArray() && i < create.size(); i++) {
            int index = i;
            create.get(i).path("values").fieldNames().forEachRemaining(field ->
                    Placeholders.check(document, base + YamlDocument.pointer("create", index, "values", field),
                            scope(null, dialogOnlyFields(document.root()), null), "the value for " + q(field), problems));
        }
    }

    /** What the values of records to create may name: the dialog's record (null: any field) and its answers. */
    static Placeholders.Scope scope(List<String> recordFields, List<String> dialogFields, String owner) {
        Map<String, java.util.Collection<String>> roots = new LinkedHashMap<>();
        roots.put("record", recordFields == null ? null : Placeholders.withSystemFields(recordFields));
        roots.put("dialog", List.copyOf(dialogFields));
        return new Placeholders.Scope(roots, owner);
    }

    /** The names of the dialog-only fields of a dialog file, in order of first appearance. */
    static List<String> dialogOnlyFields(JsonNode root) {
        Set<String> names = new LinkedHashSet<>();
        root.path("steps").forEach(step -> step.path("fields").forEach(field -> {
            if (field.path("name").isTextual() && !field.has("field")) {
                names.add(field.path("name").asText());
            }
        }));
        return List.copyOf(names);
    }

    private void add(String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = document.at(pointer);
        problems.add(document.fileName(), atKey ? located.entry() : located.value(), code, message, fix);
    }
}
