package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.RoleDefinition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pass 2 for processes: what only the other files can tell — duplicate process names, the entity and its
 * fields (phase field and its options, required and reason fields, fields set and fields holding e-mail
 * addresses, fields its scripts read), the mail templates and roles named, placeholders in to-do subjects, processes that can never
 * apply, and options of a phase field that no process uses. Entities, roles and templates whose files failed
 * pass 1 count as existing (their fields are not checked), so one typo is reported once.
 */
final class ProcessResolver {

    /** A process built in pass 1, with the document it came from for positions. */
    record ParsedProcess(YamlDocument document, ProcessDefinition definition) {
    }

    /** A process that sends a template, for checking the template's fields against the process's entity. */
    record TemplateUse(ParsedProcess process, EntityDefinition entity) {
    }

    /** The processes by name in load order, and who uses which template. */
    record Result(Map<String, ProcessDefinition> processes, Map<String, List<TemplateUse>> templateUses) {
    }

    static final Set<FieldType> REASON_TYPES = EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE);
    private static final Set<FieldType> ANCHOR_TYPES = EnumSet.of(FieldType.DATE, FieldType.DATE_TIME);
    static final Set<FieldType> ADDRESS_TYPES = EnumSet.of(FieldType.EMAIL, FieldType.TEXT);

    private final Map<String, EntityDefinition> entities;
    private final Set<String> knownEntities;
    private final Set<String> knownRoles;
    private final Set<String> knownTemplates;
    private final Map<String, MailTemplate> templates;
    private final Problems problems;
    private final RuleFieldChecks fieldChecks;
    private final Map<String, List<TemplateUse>> templateUses = new LinkedHashMap<>();

    private ProcessResolver(Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                            Map<String, RoleDefinition> roles, Set<String> brokenRoles,
                            Map<String, MailTemplate> templates, Set<String> brokenTemplates, Problems problems) {
        this.entities = entities;
        this.knownEntities = union(entities.keySet(), brokenEntities);
        this.knownRoles = union(roles.keySet(), brokenRoles);
        this.knownTemplates = union(templates.keySet(), brokenTemplates);
        this.templates = templates;
        this.problems = problems;
        this.fieldChecks = new RuleFieldChecks(problems);
    }

    /**
     * @param brokenProcessEntities the entities named by process files that failed pass 1: their phase fields'
     *                              options are not checked, as the broken process may cover them
     */
    static Result resolve(List<ParsedProcess> parsed, Set<String> brokenProcessEntities,
                          Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                          Map<String, RoleDefinition> roles, Set<String> brokenRoles,
                          Map<String, MailTemplate> templates, Set<String> brokenTemplates, Problems problems) {
        ProcessResolver resolver = new ProcessResolver(entities, brokenEntities, roles, brokenRoles, templates,
                brokenTemplates, problems);
        Map<String, ProcessDefinition> processes = resolver.resolveAll(parsed, brokenProcessEntities);
        return new Result(processes, resolver.templateUses);
    }

    private Map<String, ProcessDefinition> resolveAll(List<ParsedProcess> all, Set<String> brokenProcessEntities) {
        List<ParsedProcess> parsed = replaced(all);
        Map<String, ParsedProcess> byName = new LinkedHashMap<>();
        Map<String, ParsedProcess> catchAll = new LinkedHashMap<>();
        Map<String, List<ParsedProcess>> byPhaseField = new LinkedHashMap<>();
        for (ParsedProcess process : parsed) {
            ProcessDefinition definition = process.definition();
            ParsedProcess first = byName.putIfAbsent(definition.name(), process);
            if (first != null) {
                add(process, "/name", false, ProblemCode.DUPLICATE_PROCESS,
                        "Process " + q(definition.name()) + " is defined twice: here and in "
                                + first.definition().source() + ".",
                        "remove or rename one of the two definitions; a process name must be unique across all "
                                + "metadata directories.");
            }
            ParsedProcess earlier = first != null ? null : catchAll.get(definition.entity());
            if (earlier != null) {
                add(process, "/name", false, ProblemCode.PROCESS_SHADOWED,
                        "Process " + q(definition.name()) + " never applies: process " + q(earlier.definition().name())
                                + " (" + earlier.definition().source() + ") comes first and has no 'appliesWhen', so "
                                + "it takes every new record of entity " + q(definition.entity()) + ".",
                        "give " + q(earlier.definition().name()) + " an 'appliesWhen' that leaves these records to "
                                + q(definition.name()) + "; processes of one entity are tried in file-name order.");
            } else if (first == null && definition.appliesWhen() == null) {
                catchAll.put(definition.entity(), process);
            }
            EntityDefinition entity = entities.get(definition.entity());
            if (entity == null) {
                if (!knownEntities.contains(definition.entity())) {
                    add(process, "/entity", false, ProblemCode.UNKNOWN_ENTITY,
                            "Process " + q(definition.name()) + " is about entity " + q(definition.entity())
                                    + ", which does not exist.",
                            Suggestions.didYouMean(definition.entity(), knownEntities) + "use one of: "
                                    + String.join(", ", entities.keySet()) + ".");
                }
                continue;
            }
            if (checkPhaseField(process, entity)) {
                byPhaseField.computeIfAbsent(entity.name() + "\n" + definition.phaseField(), k -> new ArrayList<>())
                        .add(process);
            }
            checkPhases(process, entity);
            scripts(definition).forEach(rule -> fieldChecks.check(rule, fieldNames(entity), "entity " + q(entity.name())));
        }
        byPhaseField.values().forEach(group -> checkEveryOptionIsAPhase(group, brokenProcessEntities));
        Map<String, ProcessDefinition> processes = new LinkedHashMap<>();
        byName.forEach((name, process) -> processes.put(name, process.definition()));
        return processes;
    }

    /**
     * The processes in force: a later layer's file with {@code replaces: true} takes the place of the earlier one of
     * its name (so the order of the entity's processes, which decides which applies, stays); one that replaces nothing,
     * or changes the entity or phase field, is reported and left out.
     */
    private List<ParsedProcess> replaced(List<ParsedProcess> all) {
        List<ParsedProcess> effective = new ArrayList<>();
        for (ParsedProcess process : all) {
            if (!process.document().root().path("replaces").asBoolean(false)) {
                effective.add(process);
                continue;
            }
            ProcessDefinition definition = process.definition();
            int earlier = -1;
            for (int i = 0; i < effective.size(); i++) {
                if (effective.get(i).definition().name().equals(definition.name())) {
                    earlier = i;
                }
            }
            if (earlier < 0) {
                add(process, "/replaces", false, ProblemCode.REPLACES_NOTHING,
                        "Process " + q(definition.name()) + " replaces a process of an earlier layer, but no earlier "
                                + "layer defines one of that name (an upgrade of the core or a plugin may have removed it).",
                        "remove 'replaces: true' to keep this file as a process of its own, or delete the file.");
                continue;
            }
            ProcessDefinition original = effective.get(earlier).definition();
            if (!original.entity().equals(definition.entity()) || !original.phaseField().equals(definition.phaseField())) {
                add(process, "/replaces", false, ProblemCode.REPLACES_NOTHING,
                        "Process " + q(definition.name()) + " replaces the process of that name in " + original.source()
                                + ", which is about " + q(original.entity()) + " with the phase field "
                                + q(original.phaseField()) + ", but this one is about " + q(definition.entity())
                                + " with " + q(definition.phaseField()) + ".",
                        "a replacement keeps the entity and phase field (records in its phases keep following it); "
                                + "for another entity, define a process of another name.");
                continue;
            }
            effective.set(earlier, process);
        }
        return effective;
    }

    // ---- misspelt phase names -----------------------------------------------------------------------------

    /**
     * Reports each name that transitions or moves use but no phase has, paired in pass 1 with a phase that
     * nothing names ({@link ProcessChecks.MisspeltPhase}), once: the phase field's options tell which of the
     * two is misspelt. If the used name is an option and the phase is not, the phase is reported at its name;
     * if the phase is an option and the used name is not, the uses are, at the first; if the options cannot
     * tell (unknown entity or field, both or neither an option), the phase is, naming both fixes. When some
     * transitions name the phase too ({@link ProcessChecks.MisspeltPhase#phaseUses}), the phase is reported only
     * if it is the misspelt one (not an option, while the other name is), with the places that repeat its typo;
     * otherwise each use of the other name is reported on its own, suggesting the phase.
     */
    static void reportMisspeltPhases(List<ProcessChecks.MisspeltPhase> misspelt, Map<String, EntityDefinition> entities,
                                     Problems problems) {
        for (ProcessChecks.MisspeltPhase m : misspelt) {
            JsonNode root = m.document().root();
            List<String> options = Optional.ofNullable(entities.get(root.path("entity").asText()))
                    .flatMap(e -> e.field(root.path("phaseField").asText()))
                    .filter(f -> f.type() == FieldType.CHOICE)
                    .map(f -> f.options().stream().map(ChoiceOption::value).toList())
                    .orElse(List.of());
            String phaseField = root.path("phaseField").asText();
            boolean phaseIsOption = options.contains(m.phase());
            boolean usedIsOption = options.contains(m.used());
            YamlDocument.Located phaseAt = m.document().at(m.phasePointer());
            int phaseLine = Problems.line(phaseAt.value());
            List<Integer> lines = m.uses().stream().map(u -> Problems.line(m.document().at(u.pointer()).value()))
                    .distinct().toList();
            String atLines = (lines.size() == 1 ? "line " : "lines ") + and(lines);
            String file = m.document().fileName();
            List<Integer> phaseLines = m.phaseUses().stream().map(u -> Problems.line(m.document().at(u).value()))
                    .distinct().toList();
            String atPhaseLines = (phaseLines.size() == 1 ? "line " : "lines ") + and(phaseLines);
            if (!phaseLines.isEmpty()) {
                // the phase is named too: only the options can say which name is meant
                if (usedIsOption && !phaseIsOption) {
                    problems.add(file, phaseAt.value(), ProblemCode.UNKNOWN_PHASE,
                            "Phase " + q(m.phase()) + " is misspelt: it is not an option of the phase field "
                                    + q(phaseField) + ", while " + q(m.used()) + ", named at " + atLines
                                    + ", is an option but not a phase; " + q(m.phase()) + " is also written at "
                                    + atPhaseLines + ".",
                            "rename the phase to " + q(m.used()) + ", and write " + q(m.used()) + " instead of "
                                    + q(m.phase()) + " at " + atPhaseLines + ".");
                } else if (!phaseIsOption && bothMeant(m, options).isPresent()) {
                    String option = bothMeant(m, options).get();
                    problems.add(file, phaseAt.value(), ProblemCode.UNKNOWN_PHASE,
                            "Neither phase " + q(m.phase()) + " (also written at " + atPhaseLines + ") nor " + q(m.used())
                                    + ", named at " + atLines + ", is an option of the phase field " + q(phaseField) + ".",
                            "write " + q(option) + ", the option of " + q(phaseField) + ", as the phase name and at "
                                    + atPhaseLines + " and " + atLines + ".");
                } else {
                    // the phase is right (or the options cannot tell): each use, suggesting the phase
                    m.uses().forEach(use -> problems.add(file, m.document().at(use.pointer()).value(),
                            ProblemCode.UNKNOWN_PHASE, use.message(), use.fix()));
                }
                continue;
            }
            if (phaseIsOption && !usedIsOption) {
                ProcessChecks.UnknownPhaseUse first = m.uses().get(0);
                problems.add(file, m.document().at(first.pointer()).value(), ProblemCode.UNKNOWN_PHASE,
                        first.message() + (lines.size() > 1 ? " The same name is used at " + atLines + "." : "")
                                + " Phase " + q(m.phase()) + " (line " + phaseLine + ") is named by no transition or move.",
                        "write " + q(m.phase()) + " instead of " + q(m.used()) + " at " + atLines + ".");
            } else if (usedIsOption && !phaseIsOption) {
                problems.add(file, phaseAt.value(), ProblemCode.UNKNOWN_PHASE,
                        "Phase " + q(m.phase()) + " is misspelt: it is not an option of the phase field " + q(phaseField)
                                + " and no transition or move names it, while they name " + q(m.used()) + " (" + atLines
                                + "), which is an option but not a phase.",
                        "rename the phase to " + q(m.used()) + ".");
            } else if (!phaseIsOption && bothMeant(m, options).isPresent()) {
                String option = bothMeant(m, options).get();
                problems.add(file, phaseAt.value(), ProblemCode.UNKNOWN_PHASE,
                        "Phase " + q(m.phase()) + " is named by no transition or move, while " + q(m.used()) + ", named at "
                                + atLines + ", is not a phase of this process; neither is an option of the phase field "
                                + q(phaseField) + ".",
                        "write " + q(option) + ", the option of " + q(phaseField) + ", in both places: as the phase name "
                                + "and at " + atLines + ".");
            } else {
                String renamePhase = "rename the phase to " + q(m.used());
                String writePhase = "write " + q(m.phase()) + " at " + atLines;
                problems.add(file, phaseAt.value(), ProblemCode.UNKNOWN_PHASE,
                        "Phase " + q(m.phase()) + " is named by no transition or move, while " + q(m.used()) + ", named at "
                                + atLines + ", is not a phase of this process: one of the two names is misspelt.",
                        // the name used more often is more likely the intended one
                        (lines.size() > 1 ? renamePhase + ", or " + writePhase : writePhase + ", or " + renamePhase) + ".");
            }
        }
    }

    /** The option both names are closest to, if it is the same: then both are misspelt. */
    private static Optional<String> bothMeant(ProcessChecks.MisspeltPhase m, List<String> options) {
        Optional<String> forPhase = Suggestions.closest(m.phase(), options);
        return forPhase.isPresent() && forPhase.equals(Suggestions.closest(m.used(), options)) ? forPhase : Optional.empty();
    }

    /** "14", "14 and 15", "14, 15 and 20". */
    private static String and(List<?> items) {
        List<String> texts = items.stream().map(String::valueOf).toList();
        if (texts.size() < 2) {
            return String.join("", texts);
        }
        return String.join(", ", texts.subList(0, texts.size() - 1)) + " and " + texts.get(texts.size() - 1);
    }

    // ---- the phase field ----------------------------------------------------------------------------------

    /** True if the phase field is a choice field of the entity; then every phase must be one of its options. */
    private boolean checkPhaseField(ParsedProcess process, EntityDefinition entity) {
        ProcessDefinition definition = process.definition();
        List<String> choices = entity.fields().stream().filter(f -> f.type() == FieldType.CHOICE)
                .map(FieldDefinition::name).toList();
        Optional<FieldDefinition> field = entity.field(definition.phaseField());
        String choiceHint = choices.isEmpty()
                ? "add a choice field with one option per phase to entity " + q(entity.name()) + "."
                : "use a choice field of entity " + q(entity.name()) + ": " + String.join(", ", choices) + ".";
        if (field.isEmpty()) {
            add(process, "/phaseField", false, ProblemCode.UNKNOWN_FIELD,
                    "The phase field " + q(definition.phaseField()) + " is not a field of entity " + q(entity.name()) + ".",
                    Suggestions.didYouMean(definition.phaseField(), choices) + choiceHint);
            return false;
        }
        if (field.get().type() != FieldType.CHOICE) {
            add(process, "/phaseField", false, ProblemCode.FIELD_TYPE_MISMATCH,
                    "The phase field " + q(definition.phaseField()) + " has type " + field.get().type().yamlName()
                            + ", but phases are the options of a choice field.",
                    choiceHint);
            return false;
        }
        List<String> options = field.get().options().stream().map(ChoiceOption::value).toList();
        List<PhaseDefinition> phases = definition.phases();
        for (int i = 0; i < phases.size(); i++) {
            String phase = phases.get(i).name();
            if (!options.contains(phase)) {
                add(process, YamlDocument.pointer("phases", i, "name"), false, ProblemCode.PHASE_NOT_AN_OPTION,
                        "Phase " + q(phase) + " is not an option of the phase field " + q(definition.phaseField())
                                + " of entity " + q(entity.name()) + ".",
                        Suggestions.didYouMean(phase, options) + "add '- {value: " + phase + ", label: {de: ..., en: ...}}' "
                                + "to the options of " + q(definition.phaseField()) + " (" + field.get().location()
                                + "), or use one of: " + String.join(", ", options) + ".");
            }
        }
        return true;
    }

    private void checkEveryOptionIsAPhase(List<ParsedProcess> group, Set<String> brokenProcessEntities) {
        ProcessDefinition first = group.get(0).definition();
        if (brokenProcessEntities.contains(first.entity())) {
            return;
        }
        FieldDefinition field = entities.get(first.entity()).field(first.phaseField()).orElseThrow();
        Set<String> phases = new LinkedHashSet<>();
        group.forEach(p -> p.definition().phases().forEach(phase -> phases.add(phase.name())));
        List<String> unused = field.options().stream().map(ChoiceOption::value).filter(o -> !phases.contains(o)).toList();
        if (unused.isEmpty()) {
            return;
        }
        String names = String.join(", ", unused.stream().map(Problems::q).toList());
        add(group.get(0), "/phaseField", false, ProblemCode.OPTION_WITHOUT_PHASE,
                (unused.size() == 1 ? "Option " + names + " of the phase field " + q(first.phaseField()) + " is"
                        : "Options " + names + " of the phase field " + q(first.phaseField()) + " are")
                        + " a phase of no process of entity " + q(first.entity())
                        + ", so a record there would follow no process.",
                "add a phase or remove the option: add '- name: " + unused.get(0) + "' under 'phases' of "
                        + (group.size() == 1 ? "this process" : "one of the processes "
                        + String.join(", ", group.stream().map(p -> q(p.definition().name())).toList()))
                        + ", or remove the option from field " + q(first.phaseField()) + " (" + field.location() + ").");
    }

    // ---- phases and actions -------------------------------------------------------------------------------

    private void checkPhases(ParsedProcess process, EntityDefinition entity) {
        JsonNode phases = process.document().root().path("phases");
        for (int i = 0; i < phases.size(); i++) {
            JsonNode phase = phases.get(i);
            String name = phase.path("name").asText();
            JsonNode requires = phase.path("requires");
            for (int r = 0; r < requires.size(); r++) {
                fieldOf(process, entity, YamlDocument.pointer("phases", i, "requires", r),
                        "Phase " + q(name) + " requires");
            }
            if (phase.has("reasonField")) {
                String reasonField = YamlDocument.pointer("phases", i, "reasonField");
                fieldOf(process, entity, reasonField, "Phase " + q(name) + " asks for the reason in")
                        .filter(f -> !REASON_TYPES.contains(f.type()))
                        .ifPresent(f -> add(process, reasonField, false,
                                ProblemCode.FIELD_TYPE_MISMATCH,
                                "The reason field " + q(f.name()) + " of phase " + q(name) + " has type "
                                        + f.type().yamlName() + ", which cannot hold a reason.",
                                "use a text, long-text or choice field (a choice of reasons is easiest to report on): "
                                        + fieldsOf(entity, REASON_TYPES) + "."));
            }
            checkActions(process, entity, YamlDocument.pointer("phases", i, "onEnter"));
            checkActions(process, entity, YamlDocument.pointer("phases", i, "onLeave"));
            JsonNode timers = phase.path("timers");
            for (int t = 0; t < timers.size(); t++) {
                if (timers.get(t).has("of")) {
                    String anchor = YamlDocument.pointer("phases", i, "timers", t, "of");
                    fieldOf(process, entity, anchor, "Timer " + q(timers.get(t).path("name").asText()) + " of phase "
                            + q(name) + " counts from")
                            .filter(f -> !ANCHOR_TYPES.contains(f.type()))
                            .ifPresent(f -> add(process, anchor, false, ProblemCode.FIELD_TYPE_MISMATCH,
                                    "The timer counts from field " + q(f.name()) + ", which has type " + f.type().yamlName()
                                            + " and holds no date.",
                                    "use a date or date-time field: " + fieldsOf(entity, ANCHOR_TYPES) + "."));
                }
                checkActions(process, entity, YamlDocument.pointer("phases", i, "timers", t, "do"));
            }
        }
    }

    private void checkActions(ParsedProcess process, EntityDefinition entity, String pointer) {
        JsonNode actions = process.document().root().at(pointer);
        for (int i = 0; i < actions.size(); i++) {
            JsonNode action = actions.get(i);
            String at = pointer + "/" + i;
            if (action.has("set")) {
                checkSet(process, entity, at + "/set");
            } else if (action.has("mail")) {
                checkTemplate(process, entity, at + "/mail/template");
                checkRecipient(process, entity, at + "/mail/to");
            } else if (action.has("update")) {
                checkUpdate(process, entity, at + "/update");
            } else if (action.has("create")) {
                checkCreate(process, entity, at + "/create");
            } else if (action.has("integration")) {
                String answer = at + "/integration/answer";
                process.document().root().at(answer).fieldNames().forEachRemaining(field ->
                        settable(process, entity, answer + "/" + field, field));
            } else if (action.has("todo")) {
                action.path("todo").path("subject").fieldNames().forEachRemaining(language ->
                        Placeholders.check(process.document(), at + "/todo/subject/" + language,
                                Placeholders.processScope(fieldNames(entity), "entity " + q(entity.name())),
                                "the subject of the to-do", problems));
                checkRecipient(process, entity, at + "/todo/assignTo");
            }
        }
    }

    /** The field an action sets, or a problem at its key if the entity does not have it. */
    private Optional<FieldDefinition> settable(ParsedProcess process, EntityDefinition entity, String pointer, String name) {
        Optional<FieldDefinition> field = entity.field(name);
        if (field.isEmpty()) {
            add(process, pointer, true, ProblemCode.UNKNOWN_FIELD,
                    "The action sets " + q(name) + ", which is not a field of entity " + q(entity.name()) + ".",
                    Suggestions.didYouMean(name, fieldNames(entity)) + "use one of: "
                            + String.join(", ", fieldNames(entity)) + ".");
        }
        return field;
    }

    private void checkSet(ParsedProcess process, EntityDefinition entity, String pointer) {
        String phaseField = process.definition().phaseField();
        process.document().root().at(pointer).fields().forEachRemaining(e -> {
            String key = pointer + "/" + e.getKey();
            Optional<FieldDefinition> field = settable(process, entity, key, e.getKey());
            if (field.isPresent()) {
                setValue(process.document(), key, field.get(), e.getValue(), phaseField, entity, problems);
            }
        });
    }

    /** An {@code update} action: a reference of the record, and values that fit the referenced entity's fields. */
    private void checkUpdate(ParsedProcess process, EntityDefinition entity, String pointer) {
        Optional<FieldDefinition> reference = fieldOf(process, entity, pointer + "/record", "The action updates the record in");
        if (reference.isEmpty()) {
            return;
        }
        FieldDefinition field = reference.get();
        if (field.type() != FieldType.REFERENCE && field.type() != FieldType.RECORD_LINK) {
            add(process, pointer + "/record", false, ProblemCode.FIELD_TYPE_MISMATCH,
                    "The action updates the record in field " + q(field.name()) + ", which has type "
                            + field.type().yamlName() + " and points to no record.",
                    "name a reference or record-link field of entity " + q(entity.name()) + ": "
                            + fieldsOf(entity, Set.of(FieldType.REFERENCE, FieldType.RECORD_LINK)) + ".");
            return;
        }
        EntityDefinition target = field.type() == FieldType.REFERENCE ? entities.get(field.referenceEntity()) : null;
        checkOtherValues(process, entity, target, pointer + "/set");
    }

    /** A {@code create} action: an existing entity, a link back to this record, values that fit. */
    private void checkCreate(ParsedProcess process, EntityDefinition entity, String pointer) {
        JsonNode name = process.document().root().at(pointer + "/entity");
        EntityDefinition target = name.isTextual() ? entities.get(name.asText()) : null;
        if (target == null) {
            if (name.isTextual() && !knownEntities.contains(name.asText())) {
                add(process, pointer + "/entity", false, ProblemCode.UNKNOWN_ENTITY,
                        "The action creates a record of entity " + q(name.asText()) + ", which does not exist.",
                        Suggestions.didYouMean(name.asText(), entities.keySet()) + "use one of: "
                                + String.join(", ", entities.keySet()) + ".");
            }
            return;
        }
        if (process.document().root().at(pointer + "/link").isTextual()) {
            fieldOf(process, target, pointer + "/link", "The new record points back through")
                    .filter(f -> !(f.type() == FieldType.RECORD_LINK
                            || f.type() == FieldType.REFERENCE && entity.name().equals(f.referenceEntity())))
                    .ifPresent(f -> add(process, pointer + "/link", false, ProblemCode.FIELD_TYPE_MISMATCH,
                            "The new " + target.name() + " would point back through field " + q(f.name())
                                    + ", which cannot hold a " + entity.name() + ".",
                            "name a record-link field of " + q(target.name()) + " or its reference to " + q(entity.name())
                                    + ", or leave out 'link'."));
        }
        checkOtherValues(process, entity, target, pointer + "/values");
    }

    /**
     * Values an action writes into another record: fields of {@code target} (null: known only when the action
     * runs, e.g. behind a record-link), literals that fit them, text placeholders of this record; no expressions.
     */
    private void checkOtherValues(ParsedProcess process, EntityDefinition entity, EntityDefinition target, String pointer) {
        process.document().root().at(pointer).fields().forEachRemaining(e -> {
            String key = pointer + "/" + e.getKey();
            JsonNode value = e.getValue();
            if (value.isTextual() && value.asText().startsWith("=") && !value.asText().startsWith("==")) {
                add(process, key, false, ProblemCode.SET_VALUE_INVALID,
                        "The value for field " + q(e.getKey()) + " of another record is an expression; actions on "
                                + "other records take literal values.",
                        "write a literal value (text may contain {{record.field}} placeholders of this record), or "
                                + "'==' for a text that starts with '='.");
                return;
            }
            boolean perLanguage = value.isObject() && !value.isEmpty();
            value.fieldNames().forEachRemaining(language -> {
                if (!language.matches("[a-z]{2}")) {
                    add(process, key + "/" + language, true, ProblemCode.SET_VALUE_INVALID,
                            "The value for field " + q(e.getKey()) + " is given per language, but " + q(language)
                                    + " is no two-letter language code.",
                            "write the text per language, e.g. {de: 'Auftakt', en: 'Kick-off'}.");
                }
            });
            for (String at : perLanguage ? languagesOf(value, key) : List.of(key)) {
                Placeholders.check(process.document(), at,
                        Placeholders.processScope(fieldNames(entity), "entity " + q(entity.name())),
                        "the value for field " + q(e.getKey()), problems);
            }
            if (target == null) {
                return;
            }
            Optional<FieldDefinition> field = settable(process, target, key, e.getKey());
            if (field.isEmpty()) {
                return;
            }
            if (perLanguage && !field.get().type().isTextual()) {
                add(process, key, false, ProblemCode.SET_VALUE_INVALID,
                        "Field " + q(e.getKey()) + " of " + q(target.name()) + " has type "
                                + field.get().type().yamlName() + "; only texts are given per language.",
                        "write one value, e.g. " + FieldValues.howToWrite(field.get()) + ".");
            } else if (!perLanguage && !(value.isTextual() && value.asText().contains("{{"))) {
                setValue(process.document(), key, field.get(), value, null, target, problems);
            }
        });
    }

    private static List<String> languagesOf(JsonNode perLanguage, String pointer) {
        List<String> pointers = new ArrayList<>();
        perLanguage.fieldNames().forEachRemaining(language -> pointers.add(pointer + "/" + language));
        return pointers;
    }

    /**
     * Checks one value to set into a field of an entity (process actions, dialog finish): not the phase field,
     * not a field that a rule computes, a literal that fits the field's type. Text starting with '=' is an
     * expression (not checked here), '==' a literal starting with '='.
     *
     * @param phaseField the phase field of the entity's process(es), or null
     */
    static void setValue(YamlDocument document, String pointer, FieldDefinition field, JsonNode value,
                         String phaseField, EntityDefinition entity, Problems problems) {
        YamlDocument.Located located = document.at(pointer);
        if (field.name().equals(phaseField)) {
            problems.add(document.fileName(), located.entry(), ProblemCode.SET_VALUE_INVALID,
                    "Field " + q(field.name()) + " is the phase field; setting it would skip the transitions, their "
                            + "guards and the phase's actions.",
                    "move the record instead: 'move: <phase>' in a process, 'movePhase: <phase>' when a dialog finishes.");
            return;
        }
        if (field.autoNumber() != null) {
            problems.add(document.fileName(), located.entry(), ProblemCode.SET_VALUE_INVALID,
                    "Field " + q(field.name()) + " is numbered by the platform ('autoNumber'); its number cannot be set.",
                    "remove the value; every new record gets the next number.");
            return;
        }
        Optional<RuleDefinition> setter = entity.rules().stream()
                .filter(r -> field.name().equals(r.field()) && (r.kind() == RuleKind.COMPUTED || r.kind() == RuleKind.SCORE)
                        || r.kind() == RuleKind.SCORE && field.name().equals(r.reasonsField()))
                .findFirst();
        if (setter.isPresent()) {
            problems.add(document.fileName(), located.entry(), ProblemCode.SET_VALUE_INVALID,
                    "Field " + q(field.name()) + " is set by rule " + q(setter.get().name()) + " on every save, which "
                            + "would overwrite this value at once.",
                    "set a field that no rule computes, or change the rule.");
            return;
        }
        if (value.isTextual() && value.asText().startsWith("=") && !value.asText().startsWith("==")) {
            return;
        }
        Object literal = value.isTextual() && value.asText().startsWith("==")
                ? value.asText().substring(1) : EntityRuleBuilder.plain(value);
        FieldValues.problem(field, literal).ifPresent(why -> problems.add(document.fileName(), located.value(),
                ProblemCode.SET_VALUE_INVALID, "The value for field " + q(field.name()) + " " + why + ".",
                "write " + FieldValues.howToWrite(field) + (value.isTextual() && field.type() != FieldType.CHOICE
                        ? ", or '=' followed by a JavaScript expression" : "") + "."));
    }

    private void checkTemplate(ParsedProcess process, EntityDefinition entity, String pointer) {
        JsonNode template = process.document().root().at(pointer);
        if (!template.isTextual()) {
            return;
        }
        if (templates.containsKey(template.asText())) {
            templateUses.computeIfAbsent(template.asText(), t -> new ArrayList<>()).add(new TemplateUse(process, entity));
        } else if (!knownTemplates.contains(template.asText())) {
            add(process, pointer, false, ProblemCode.UNKNOWN_TEMPLATE,
                    "The mail uses template " + q(template.asText()) + ", which does not exist.",
                    Suggestions.didYouMean(template.asText(), knownTemplates)
                            + (knownTemplates.isEmpty() ? "create metadata/templates/" + template.asText() + ".yaml."
                            : "use one of: " + String.join(", ", knownTemplates) + ", or create metadata/templates/"
                            + template.asText() + ".yaml."));
        }
    }

    private void checkRecipient(ParsedProcess process, EntityDefinition entity, String pointer) {
        JsonNode recipient = process.document().root().at(pointer);
        JsonNode role = recipient.path("role");
        if (role.isTextual() && !knownRoles.contains(role.asText())) {
            add(process, pointer + "/role", false, ProblemCode.UNKNOWN_ROLE,
                    "The recipient is role " + q(role.asText()) + ", which does not exist.",
                    Suggestions.didYouMean(role.asText(), knownRoles) + "use one of: " + String.join(", ", knownRoles) + ".");
        }
        if (recipient.path("field").isTextual()) {
            fieldOf(process, entity, pointer + "/field", "The mail goes to the address in")
                    .filter(f -> !ADDRESS_TYPES.contains(f.type()))
                    .ifPresent(f -> add(process, pointer + "/field", false, ProblemCode.FIELD_TYPE_MISMATCH,
                            "The mail goes to the address in field " + q(f.name()) + ", which has type "
                                    + f.type().yamlName() + " and holds no e-mail address.",
                            "use an email (or text) field of entity " + q(entity.name()) + ": "
                                    + fieldsOf(entity, ADDRESS_TYPES) + "."));
        }
    }

    /** The field named by the text at a pointer, or a problem if the entity does not have it. */
    private Optional<FieldDefinition> fieldOf(ParsedProcess process, EntityDefinition entity, String pointer, String what) {
        JsonNode name = process.document().root().at(pointer);
        if (!name.isTextual()) {
            return Optional.empty();
        }
        Optional<FieldDefinition> field = entity.field(name.asText());
        if (field.isEmpty()) {
            add(process, pointer, false, ProblemCode.UNKNOWN_FIELD,
                    what + " field " + q(name.asText()) + ", which entity " + q(entity.name()) + " does not have.",
                    Suggestions.didYouMean(name.asText(), fieldNames(entity)) + "use one of: "
                            + String.join(", ", fieldNames(entity)) + ", or add the field to " + entity.location().file() + ".");
        }
        return field;
    }

    /**
     * The scripts of a process: appliesWhen, the guards and conditions of its transitions (one per YAML item,
     * though expanded transitions share it) and its set-field expressions ({@code '=expr'}, computed rules about
     * the field they set).
     */
    static List<RuleDefinition> scripts(ProcessDefinition process) {
        List<RuleDefinition> rules = new ArrayList<>();
        rules.add(process.appliesWhen());
        for (TransitionDefinition transition : process.transitions()) {
            rules.add(transition.guard());
            rules.add(transition.when());
        }
        for (PhaseDefinition phase : process.phases()) {
            List<ProcessAction> actions = new ArrayList<>(phase.onEnter());
            actions.addAll(phase.onLeave());
            phase.timers().forEach(timer -> actions.addAll(timer.actions()));
            actions.stream().filter(ProcessAction.SetFields.class::isInstance).map(ProcessAction.SetFields.class::cast)
                    .forEach(set -> set.values().values().stream().filter(RuleDefinition.class::isInstance)
                            .map(RuleDefinition.class::cast).forEach(rules::add));
        }
        rules.removeIf(java.util.Objects::isNull);
        return rules;
    }

    static List<String> fieldNames(EntityDefinition entity) {
        return entity.fields().stream().map(FieldDefinition::name).toList();
    }

    private static String fieldsOf(EntityDefinition entity, Set<FieldType> types) {
        List<String> names = entity.fields().stream().filter(f -> types.contains(f.type())).map(FieldDefinition::name).toList();
        return names.isEmpty() ? "the entity has none yet" : String.join(", ", names);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private void add(ParsedProcess process, String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = process.document().at(pointer);
        problems.add(process.document().fileName(), atKey ? located.entry() : located.value(), code, message, fix);
    }
}
