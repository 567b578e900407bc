package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of one process file that need no other file: name versus file name, unique phase and timer
 * names, reasons only on closing phases, transitions and moves between phases of the process, durations,
 * exactly one kind per action and recipient, scripts that exist. Like {@link EntityChecks} they run on the
 * raw tree even when the schema found problems, and never assume the schema was satisfied. Fields, templates
 * and roles are checked against the other files by {@link ProcessResolver}.
 */
final class ProcessChecks {

    /** The keys of an action, exactly one per action. */
    static final List<String> ACTION_KINDS = List.of("todo", "set", "update", "create", "mail", "webhook", "extension",
            "integration", "move");
    /** Keys that qualify an action of some kind rather than being one ({@code force} next to {@code set}). */
    static final List<String> ACTION_OPTIONS = List.of("force");

    /** The keys of a recipient mapping, exactly one per recipient; field and address are for e-mails only. */
    static final List<String> RECIPIENT_KINDS = List.of("user", "role", "field", "address");

    private final YamlDocument document;
    private final RuleScripts scripts;
    private final Problems problems;
    /** Phase name → whether it is open, in file order. */
    private final Map<String, Boolean> phases = new LinkedHashMap<>();
    /** Phase name → its index under 'phases' (the first, if written twice). */
    private final Map<String, Integer> phaseIndex = new HashMap<>();
    /** The phases a transition or move names (not counting '*'), with where they are named. */
    private final Map<String, List<String>> named = new HashMap<>();
    /** Uses of names that are no phase, by name in file order: reported once the whole file is read. */
    private final Map<String, List<UnknownPhaseUse>> unknown = new LinkedHashMap<>();

    private ProcessChecks(YamlDocument document, RuleScripts scripts, Problems problems) {
        this.document = document;
        this.scripts = scripts;
        this.problems = problems;
    }

    /**
     * A name used by transitions or moves that is no phase, next to a phase that nothing names and whose name
     * is close: one of the two is misspelt. Which one, only the phase field's options can tell, so it is
     * reported after the entities are resolved ({@link ProcessResolver#reportMisspeltPhases}).
     *
     * A phase that some transitions do name may be the misspelt one too ({@code qualifed} in the phase list
     * and in one transition, {@code qualified} everywhere else): then {@code phaseUses} lists where it is named.
     *
     * @param phase        the phase that no transition or move names (or, failing one, the closest phase)
     * @param phasePointer where that phase's name is written
     * @param used         the name the transitions and moves use instead
     * @param uses         where it is used, in file order
     * @param phaseUses    where transitions and moves name the phase, in file order (empty if nothing does)
     */
    record MisspeltPhase(YamlDocument document, String phase, String phasePointer, String used,
                         List<UnknownPhaseUse> uses, List<String> phaseUses) {
    }

    /** One place where a name that is no phase is used, with the problem to report there if it stands alone. */
    record UnknownPhaseUse(String pointer, String message, String fix) {
    }

    /** Checks the file; returns the phase names that may be misspelt for pass 2 to report. */
    static List<MisspeltPhase> check(YamlDocument document, RuleScripts scripts, Problems problems) {
        ProcessChecks checks = new ProcessChecks(document, scripts, problems);
        checks.run();
        return checks.pairUnknownPhases();
    }

    private void run() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        problems.nameMatchesFile(document, "process", ProblemCode.PROCESS_NAME_MISMATCH,
                "phase stamps and KPIs are kept under this name");
        if (root.has("appliesWhen")) {
            scripts.check(document, processName() + ".appliesWhen", YamlDocument.pointer("appliesWhen"), problems);
        }
        JsonNode phaseList = root.path("phases");
        collectPhases(phaseList);
        Map<String, Set<String>> moves = transitions(root.path("transitions"));
        for (int i = 0; phaseList.isArray() && i < phaseList.size(); i++) {
            checkPhase(i, phaseList.get(i), moves);
        }
        if (unknown.isEmpty() && !problems.hasProblemsIn(document.fileName())) {
            // a misspelt name in a transition, or a transition the schema refuses, already explains why a phase
            // is not reached
            checkReachable(moves);
        }
    }

    /**
     * Every phase should be reachable from the first, where new records start, through transitions. A closing
     * phase that is not is an error: no case can ever end there, which is almost always a forgotten or misspelt
     * transition. An open phase that is not is a warning: records may still be created or imported in it.
     */
    private void checkReachable(Map<String, Set<String>> moves) {
        if (phases.isEmpty()) {
            return;
        }
        String first = phases.keySet().iterator().next();
        Set<String> reached = new LinkedHashSet<>();
        java.util.Deque<String> queue = new java.util.ArrayDeque<>(List.of(first));
        while (!queue.isEmpty()) {
            String phase = queue.poll();
            if (reached.add(phase)) {
                queue.addAll(moves.getOrDefault(phase, Set.of()));
            }
        }
        String previous = first;
        for (Map.Entry<String, Boolean> phase : phases.entrySet()) {
            String name = phase.getKey();
            if (reached.contains(name)) {
                if (phase.getValue()) {
                    previous = name;
                }
                continue;
            }
            boolean open = phase.getValue();
            String pointer = YamlDocument.pointer("phases", phaseIndex.get(name), "name");
            String message = "Phase " + q(name) + (open ? "" : ", a closing phase,") + " cannot be reached: no chain of "
                    + "transitions leads there from " + q(first) + ", the first phase, where new records start"
                    + (open ? "." : "; no case can ever end there.");
            String fix = "add a transition to it under 'transitions', e.g. '- {from: " + previous + ", to: " + name
                    + "}'" + (open ? ", or remove the phase if records are never meant to be in it." : ".");
            if (open) {
                problems.warn(document.fileName(), document.at(pointer).value(), ProblemCode.PHASE_UNREACHABLE, message, fix);
            } else {
                add(pointer, false, ProblemCode.PHASE_UNREACHABLE, message, fix);
            }
        }
    }

    private String processName() {
        JsonNode name = document.root().path("name");
        return name.isTextual() ? name.asText() : document.file().baseName();
    }

    // ---- phases -------------------------------------------------------------------------------------------

    private void collectPhases(JsonNode list) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            JsonNode name = list.get(i).path("name");
            if (!name.isTextual()) {
                continue;
            }
            Integer earlier = first.putIfAbsent(name.asText(), i);
            if (earlier != null) {
                add(YamlDocument.pointer("phases", i, "name"), false, ProblemCode.DUPLICATE_PHASE,
                        "Phase " + q(name.asText()) + " appears twice in this process; it was first given at line "
                                + Problems.line(document.at(YamlDocument.pointer("phases", earlier, "name")).value()) + ".",
                        "remove one of the two, or give it the name of another option of the phase field.");
                continue;
            }
            phases.put(name.asText(), "open".equals(list.get(i).path("outcome").asText("open")));
            phaseIndex.put(name.asText(), i);
        }
    }

    private void checkPhase(int index, JsonNode phase, Map<String, Set<String>> moves) {
        if (!phase.isObject()) {
            return;
        }
        String name = phase.path("name").asText("phase " + (index + 1));
        String outcome = phase.path("outcome").asText("open");
        if (phase.has("reasonField") && "open".equals(outcome)) {
            add(YamlDocument.pointer("phases", index, "reasonField"), true, ProblemCode.REASON_FIELD_ON_OPEN_PHASE,
                    "Phase " + q(name) + " asks for a reason ('reasonField'), but it is open; reasons are recorded when a "
                            + "case closes.",
                    "remove 'reasonField', or make the phase closing with 'outcome: failure' (or success).");
        }
        Set<String> reachable = moves.getOrDefault(name, Set.of());
        checkActions(YamlDocument.pointer("phases", index, "onEnter"), name, "onEnter", reachable);
        checkActions(YamlDocument.pointer("phases", index, "onLeave"), name, "onLeave", null);
        JsonNode timers = phase.path("timers");
        Map<String, Integer> timerNames = new HashMap<>();
        for (int t = 0; timers.isArray() && t < timers.size(); t++) {
            JsonNode timer = timers.get(t);
            JsonNode timerName = timer.path("name");
            if (timerName.isTextual()) {
                Integer earlier = timerNames.putIfAbsent(timerName.asText(), t);
                if (earlier != null) {
                    add(YamlDocument.pointer("phases", index, "timers", t, "name"), false, ProblemCode.DUPLICATE_TIMER,
                            "Timer " + q(timerName.asText()) + " appears twice in phase " + q(name) + "; it was first "
                                    + "given at line " + Problems.line(document.at(YamlDocument.pointer("phases", index,
                                    "timers", earlier, "name")).value()) + ".",
                            "give every timer of the phase its own name, e.g. " + q(timerName.asText() + "_" + (t + 1)) + ".");
                }
            }
            String timerPointer = YamlDocument.pointer("phases", index, "timers", t);
            String what = "Timer " + q(timerName.asText("timer " + (t + 1))) + " of phase " + q(name);
            checkTimerStart(timer, timerPointer, what);
            checkDuration(timerPointer + "/after", what + " fires 'after'");
            checkDuration(timerPointer + "/before", what + " fires 'before'");
            checkActions(YamlDocument.pointer("phases", index, "timers", t, "do"), name,
                    "timer " + q(timerName.asText("timer " + (t + 1))), reachable);
        }
    }

    /** A timer counts from entering the phase ('after') or from a date field ('after' or 'before' with 'of'). */
    private void checkTimerStart(JsonNode timer, String pointer, String what) {
        if (!timer.isObject()) {
            return;
        }
        boolean after = timer.has("after");
        boolean before = timer.has("before");
        if (!after && !before) {
            add(pointer, false, ProblemCode.MISSING_KEY, what + " says neither 'after' nor 'before' when it fires.",
                    "add 'after: P14D' (14 days after entering the phase), or 'before: P60D' with 'of: end_date' "
                            + "(60 days before the date in the field end_date).");
        } else if (after && before) {
            add(pointer + "/before", true, ProblemCode.INVALID_VALUE, what + " has both 'after' and 'before'.",
                    "keep one: 'after' counts from entering the phase (or from the field in 'of'), 'before' counts back "
                            + "from the field in 'of'.");
        } else if (before && !timer.has("of")) {
            add(pointer + "/before", true, ProblemCode.MISSING_KEY, what + " fires 'before', but not before which date.",
                    "add 'of:' with a date or date-time field of the record, e.g. 'of: end_date'.");
        }
    }

    private void checkDuration(String pointer, String what) {
        JsonNode value = document.root().at(pointer);
        if (!value.isTextual() || Durations.parse(value.asText()).isPresent()) {
            return;
        }
        if (Durations.tooLong(value.asText())) {
            add(pointer, false, ProblemCode.DURATION_TOO_LONG,
                    what + " " + q(value.asText()) + ", which is longer than the ten years ('P" + Durations.MAX.toDays()
                            + "D') a process may wait.",
                    Durations.tooLongFix());
            return;
        }
        add(pointer, false, ProblemCode.DURATION_INVALID,
                what + " " + q(value.asText()) + ", which " + Durations.whyNot(value.asText()) + ".",
                Durations.fix(value.asText()));
    }

    // ---- actions ------------------------------------------------------------------------------------------

    /**
     * @param moveTargets the phases a move from this phase may lead to; null where moves are not allowed
     */
    private void checkActions(String pointer, String phase, String where, Set<String> moveTargets) {
        JsonNode actions = document.root().at(pointer);
        for (int i = 0; actions.isArray() && i < actions.size(); i++) {
            JsonNode action = actions.get(i);
            String at = pointer + "/" + i;
            if (!action.isObject()) {
                continue;
            }
            List<String> kinds = ACTION_KINDS.stream().filter(action::has).toList();
            if (action.has("force") && !kinds.equals(List.of("set"))) {
                add(at + "/force", true, ProblemCode.ACTION_INVALID,
                        "Action " + (i + 1) + " of " + where + " in phase " + q(phase) + " has 'force', which only a "
                                + "'set' action takes.",
                        "remove 'force', or write it next to 'set', e.g. '- {set: {probability: 100}, force: true}'.");
            }
            if (kinds.size() > 1 || action.isEmpty()) {
                add(at, false, ProblemCode.ACTION_INVALID,
                        "Action " + (i + 1) + " of " + where + " in phase " + q(phase) + (kinds.isEmpty() ? " is empty"
                                : " has " + String.join(" and ", kinds)) + "; an action does exactly one thing.",
                        kinds.isEmpty() ? "write one of: " + String.join(", ", ACTION_KINDS) + ", e.g. '- move: lost'."
                                : "split it into one action per item: " + kinds.stream().map(k -> "'- " + k + ": ...'")
                                .reduce((a, b) -> a + ", " + b).orElse("") + ".");
                continue;
            }
            if (kinds.isEmpty()) {
                continue;
            }
            switch (kinds.get(0)) {
                case "todo" -> {
                    action.path("todo").path("subject").fieldNames().forEachRemaining(language ->
                            Placeholders.check(document, at + "/todo/subject/" + language,
                                    Placeholders.processScope(null, null), "the subject of the to-do", problems));
                    checkRecipient(at + "/todo/assignTo", true);
                    checkDuration(at + "/todo/due", "The to-do of action " + (i + 1) + " of " + where + " in phase "
                            + q(phase) + " is due");
                }
                case "mail" -> checkRecipient(at + "/mail/to", false);
                case "set" -> checkExpressions(at + "/set", phase, where);
                case "move" -> checkMove(at + "/move", phase, where, moveTargets);
                default -> {
                }
            }
        }
    }

    private void checkRecipient(String pointer, boolean forTodo) {
        JsonNode recipient = document.root().at(pointer);
        if (!recipient.isObject()) {
            return;
        }
        List<String> kinds = RECIPIENT_KINDS.stream().filter(recipient::has).toList();
        List<String> allowed = forTodo ? List.of("user", "role") : RECIPIENT_KINDS;
        if (kinds.size() > 1 || recipient.isEmpty()) {
            add(pointer, false, ProblemCode.RECIPIENT_INVALID,
                    "The recipient " + (kinds.isEmpty() ? "is empty" : "has " + String.join(" and ", kinds))
                            + "; a recipient is exactly one of: owner, " + String.join(", ", allowed) + ".",
                    "write one, e.g. 'owner' or {role: sales_manager}.");
        } else if (forTodo && kinds.size() == 1 && !allowed.contains(kinds.get(0))) {
            add(pointer + "/" + kinds.get(0), true, ProblemCode.RECIPIENT_INVALID,
                    "A to-do is assigned to a user, but {" + kinds.get(0) + ": ...} names an e-mail address.",
                    "assign the to-do to 'owner', {user: login} or {role: name}; e-mails can go to fields and addresses.");
        }
    }

    private void checkExpressions(String pointer, String phase, String where) {
        document.root().at(pointer).fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            if (value.isTextual() && value.asText().startsWith("=") && !value.asText().startsWith("==")
                    && value.asText().substring(1).isBlank()) {
                add(pointer + "/" + e.getKey(), false, ProblemCode.EMPTY_RULE,
                        "The value for field " + q(e.getKey()) + " in " + where + " of phase " + q(phase)
                                + " is '=' without an expression.",
                        "write the JavaScript after '=', e.g. '=addDays(today, 14)', or write '==' for a text that "
                                + "starts with '='.");
            }
        });
    }

    private void checkMove(String pointer, String phase, String where, Set<String> moveTargets) {
        JsonNode target = document.root().at(pointer);
        if (moveTargets == null) {
            add(pointer, true, ProblemCode.ACTION_INVALID,
                    "Phase " + q(phase) + " moves the record in 'onLeave', while it is already being moved elsewhere.",
                    "move in 'onEnter' or in a timer of the phase, or add a transition instead.");
            return;
        }
        if (!target.isTextual() || phases.isEmpty()) {
            return;
        }
        if (!phases.containsKey(target.asText())) {
            unknownPhase(target.asText(), pointer,
                    "The move in " + where + " of phase " + q(phase) + " leads to " + q(target.asText())
                            + ", which is not a phase of this process.",
                    Suggestions.didYouMean(target.asText(), phases.keySet()) + "use one of: "
                            + String.join(", ", phases.keySet()) + ".");
            return;
        }
        named.computeIfAbsent(target.asText(), n -> new ArrayList<>()).add(pointer);
        if (!moveTargets.contains(target.asText())) {
            add(pointer, false, ProblemCode.MOVE_WITHOUT_TRANSITION,
                    "The move in " + where + " of phase " + q(phase) + " leads to " + q(target.asText())
                            + ", but no transition leads from " + q(phase) + " there, so the move would be refused.",
                    "add '- {from: " + phase + ", to: " + target.asText() + "}' under 'transitions'"
                            + (moveTargets.isEmpty() ? "." : ", or move to one of: " + String.join(", ", moveTargets) + "."));
        }
    }

    // ---- transitions --------------------------------------------------------------------------------------

    /** Checks the transitions and returns, per phase, the phases moves from it may lead to ('*' expanded). */
    private Map<String, Set<String>> transitions(JsonNode list) {
        Map<String, Set<String>> moves = new HashMap<>();
        Map<String, String> explicit = new HashMap<>();
        Map<String, String> starTargets = new HashMap<>();
        List<String> starTargetsInOrder = new ArrayList<>();
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            JsonNode transition = list.get(i);
            String at = YamlDocument.pointer("transitions", i);
            if (!transition.isObject()) {
                continue;
            }
            List<String> froms = phaseNames(at + "/from", true);
            List<String> tos = phaseNames(at + "/to", false);
            String label = transition.path("from").isTextual() && transition.path("to").isTextual()
                    ? transition.path("from").asText() + "->" + transition.path("to").asText() : "transition " + (i + 1);
            for (String key : List.of("guard", "when")) {
                if (transition.has(key)) {
                    scripts.check(document, processName() + "." + label + "." + key, at + "/" + key, problems);
                }
            }
            boolean star = "*".equals(transition.path("from").asText(null));
            for (String to : tos) {
                if (star) {
                    String first = starTargets.putIfAbsent(to, at);
                    if (first != null) {
                        add(at + "/to", false, ProblemCode.DUPLICATE_TRANSITION,
                                "from: '*' to " + q(to) + " is written twice; it was first given at line "
                                        + Problems.line(document.at(first).value()) + ".",
                                "remove one of the two.");
                    }
                    starTargetsInOrder.add(to);
                    continue;
                }
                for (String from : froms) {
                    String first = explicit.putIfAbsent(from + "\n" + to, at);
                    if (first != null) {
                        add(at, false, ProblemCode.DUPLICATE_TRANSITION,
                                "The move from " + q(from) + " to " + q(to) + " is written twice; it was first given at line "
                                        + Problems.line(document.at(first).value()) + ".",
                                "keep one of the two; if they differ in guard or 'when', combine them into one transition.");
                    }
                    moves.computeIfAbsent(from, f -> new LinkedHashSet<>()).add(to);
                }
            }
        }
        for (String target : starTargetsInOrder) {
            phases.forEach((phase, open) -> {
                if (open && !phase.equals(target)) {
                    moves.computeIfAbsent(phase, f -> new LinkedHashSet<>()).add(target);
                }
            });
        }
        return moves;
    }

    /** The phase names at 'from' or 'to' (one or a list), reporting those the process does not have. */
    private List<String> phaseNames(String pointer, boolean from) {
        JsonNode value = document.root().at(pointer);
        List<String> names = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        if (value.isTextual()) {
            names.add(value.asText());
            pointers.add(pointer);
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i).isTextual()) {
                    names.add(value.get(i).asText());
                    pointers.add(pointer + "/" + i);
                }
            }
        }
        List<String> known = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if ("*".equals(name)) {
                if (from && value.isTextual()) {
                    known.add(name);
                }
            } else if (phases.isEmpty() || phases.containsKey(name)) {
                known.add(name);
                named.computeIfAbsent(name, n -> new ArrayList<>()).add(pointers.get(i));
            } else {
                unknownPhase(name, pointers.get(i),
                        "The transition " + (from ? "starts from " : "leads to ") + q(name)
                                + ", which is not a phase of this process.",
                        Suggestions.didYouMean(name, phases.keySet()) + "use one of: " + String.join(", ", phases.keySet())
                                + (from ? ", or '*' for every open phase." : ", or add the phase under 'phases'."));
            }
        }
        return known;
    }

    private void unknownPhase(String name, String pointer, String message, String fix) {
        unknown.computeIfAbsent(name, n -> new ArrayList<>()).add(new UnknownPhaseUse(pointer, message, fix));
    }

    /**
     * Pairs each name that is no phase with the closest phase that no transition or move names: a typo in
     * either would show as exactly that, and reporting each use with "did you mean" would suggest the typo
     * itself when the phase is the misspelt one. Failing such a phase, with the closest phase that is named:
     * the phase list and a few transitions may share the typo. Which of the two is misspelt only the phase
     * field's options tell; {@link ProcessResolver#reportMisspeltPhases} decides, and reports each use on its
     * own where they cannot. Unpaired names are reported at each use.
     */
    private List<MisspeltPhase> pairUnknownPhases() {
        Set<String> unnamed = new LinkedHashSet<>(phases.keySet());
        unnamed.removeAll(named.keySet());
        Set<String> paired = new HashSet<>();
        List<MisspeltPhase> pairs = new ArrayList<>();
        unknown.forEach((name, uses) -> {
            String phase = Suggestions.closest(name, unnamed).orElse(null);
            List<String> phaseUses = List.of();
            if (phase == null) {
                Set<String> namedPhases = new LinkedHashSet<>(named.keySet());
                namedPhases.removeAll(paired);
                phase = Suggestions.closest(name, namedPhases).orElse(null);
                phaseUses = phase == null ? List.of() : List.copyOf(named.get(phase));
            }
            if (phase == null) {
                uses.forEach(use -> add(use.pointer(), false, ProblemCode.UNKNOWN_PHASE, use.message(), use.fix()));
                return;
            }
            unnamed.remove(phase);
            paired.add(phase);
            pairs.add(new MisspeltPhase(document, phase, YamlDocument.pointer("phases", phaseIndex.get(phase), "name"),
                    name, List.copyOf(uses), phaseUses));
        });
        return pairs;
    }

    private void add(String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = document.at(pointer);
        problems.add(document.fileName(), atKey ? located.entry() : located.value(), code, message, fix);
    }
}
