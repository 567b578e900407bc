package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pass 2 for dialogs: duplicate dialog names, the entity and the fields the steps ask, the fields the steps'
 * validations and branch conditions read, what finishing sets and creates, and the phase it moves to; then builds the {@link DialogDefinition} (which needs the
 * entity's field definitions) of every dialog without problems. Entities and processes whose files failed
 * pass 1 count as existing, so one typo is reported once.
 */
final class DialogResolver {

    private final Map<String, EntityDefinition> entities;
    private final Set<String> knownEntities;
    private final Map<String, ProcessDefinition> processes;
    private final Set<String> brokenProcessEntities;
    private final RuleScripts scripts;
    private final Problems problems;
    /** Roles that exist (also those whose files have problems): a dialog may be open to them. */
    private final Set<String> knownRoles;

    private DialogResolver(Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                           Map<String, ProcessDefinition> processes, Set<String> brokenProcessEntities,
                           RuleScripts scripts, Problems problems, Set<String> knownRoles) {
        this.entities = entities;
        this.knownEntities = new TreeSet<>(entities.keySet());
        this.knownEntities.addAll(brokenEntities);
        this.processes = processes;
        this.brokenProcessEntities = brokenProcessEntities;
        this.scripts = scripts;
        this.problems = problems;
        this.knownRoles = knownRoles;
    }

    /** The dialogs by name in load order, for the documents that passed pass 1. */
    static Map<String, DialogDefinition> resolve(List<YamlDocument> documents, Map<String, EntityDefinition> entities,
                                                 Set<String> brokenEntities, Map<String, ProcessDefinition> processes,
                                                 Set<String> brokenProcessEntities, RuleScripts scripts,
                                                 Set<String> knownRoles, Problems problems) {
        DialogResolver resolver = new DialogResolver(entities, brokenEntities, processes, brokenProcessEntities,
                scripts, problems, knownRoles);
        Map<String, YamlDocument> byName = new LinkedHashMap<>();
        Map<String, DialogDefinition> dialogs = new LinkedHashMap<>();
        for (YamlDocument document : replaced(documents, resolver)) {
            String name = document.root().path("name").asText();
            YamlDocument first = byName.putIfAbsent(name, document);
            if (first != null) {
                resolver.add(document, "/name", false, ProblemCode.DUPLICATE_DIALOG,
                        "Dialog " + q(name) + " is defined twice: here and in "
                                + EntityBuilder.location(first.fileName(), first.at("/name").value()) + ".",
                        "remove or rename one of the two definitions; a dialog name must be unique across all "
                                + "metadata directories.");
                continue;
            }
            resolver.check(document).ifPresent(d -> dialogs.put(name, d));
        }
        return dialogs;
    }

    /**
     * The dialog files in force: a later layer's file with {@code replaces: true} takes the place of the earlier one of
     * its name; one that replaces nothing, or another entity's dialog, is reported and left out.
     */
    private static List<YamlDocument> replaced(List<YamlDocument> documents, DialogResolver resolver) {
        List<YamlDocument> effective = new ArrayList<>();
        for (YamlDocument document : documents) {
            if (!document.root().path("replaces").asBoolean(false)) {
                effective.add(document);
                continue;
            }
            String name = document.root().path("name").asText();
            int earlier = -1;
            for (int i = 0; i < effective.size(); i++) {
                if (effective.get(i).root().path("name").asText().equals(name)) {
                    earlier = i;
                }
            }
            if (earlier < 0) {
                resolver.add(document, "/replaces", false, ProblemCode.REPLACES_NOTHING, "Dialog " + q(name)
                                + " replaces a dialog of an earlier layer, but no earlier layer defines one of that name (an "
                                + "upgrade of the core or a plugin may have removed it).",
                        "remove 'replaces: true' to keep this file as a dialog of its own, or delete the file.");
                continue;
            }
            String entity = document.root().path("entity").asText();
            String originalEntity = effective.get(earlier).root().path("entity").asText();
            if (!entity.equals(originalEntity)) {
                resolver.add(document, "/replaces", false, ProblemCode.REPLACES_NOTHING, "Dialog " + q(name)
                                + " replaces the dialog of that name, which runs on " + q(originalEntity) + ", but this one "
                                + "runs on " + q(entity) + ".",
                        "a replacement runs on the same entity (open sessions keep running); for another entity, "
                                + "define a dialog of another name.");
                continue;
            }
            effective.set(earlier, document);
        }
        return effective;
    }

    /** Checks one dialog against the other files; its definition if the file has no problems at all. */
    private Optional<DialogDefinition> check(YamlDocument document) {
        JsonNode root = document.root();
        String entityName = root.path("entity").asText();
        EntityDefinition entity = entities.get(entityName);
        if (entity == null) {
            if (!knownEntities.contains(entityName)) {
                add(document, "/entity", false, ProblemCode.UNKNOWN_ENTITY,
                        "Dialog " + q(root.path("name").asText()) + " runs on entity " + q(entityName)
                                + ", which does not exist.",
                        Suggestions.didYouMean(entityName, knownEntities) + "use one of: "
                                + String.join(", ", entities.keySet()) + ".");
            }
            return Optional.empty();
        }
        List<String> fieldNames = ProcessResolver.fieldNames(entity);
        JsonNode steps = root.path("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode fields = steps.get(i).path("fields");
            for (int f = 0; f < fields.size(); f++) {
                checkField(document, entity, YamlDocument.pointer("steps", i, "fields", f), fields.get(f), fieldNames);
            }
        }
        checkFinish(document, entity, "/finish", root.path("finish"));
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).has("finish")) {
                checkFinish(document, entity, YamlDocument.pointer("steps", i, "finish"), steps.get(i).path("finish"));
            }
        }
        checkScripts(document, entity);
        checkRoles(document, root.path("roles"));
        return problems.hasProblemsIn(document.fileName()) ? Optional.empty()
                : Optional.of(new Builder(document, entity).dialog());
    }

    private void checkRoles(YamlDocument document, JsonNode roles) {
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i).asText();
            if (!knownRoles.contains(role)) {
                add(document, "/roles/" + i, false, ProblemCode.UNKNOWN_ROLE,
                        "The dialog is open to role " + q(role) + ", which does not exist.",
                        Suggestions.didYouMean(role, knownRoles) + "use one of: " + String.join(", ", new TreeSet<>(knownRoles))
                                + ", or remove it.");
            }
        }
    }

    /** The steps' validations and branch conditions read fields of the entity and of the dialog. */
    private void checkScripts(YamlDocument document, EntityDefinition entity) {
        List<String> fields = new ArrayList<>(ProcessResolver.fieldNames(entity));
        fields.addAll(DialogChecks.dialogOnlyFields(document.root()));
        String whose = "entity " + q(entity.name()) + " or dialog " + q(document.root().path("name").asText());
        RuleFieldChecks checks = new RuleFieldChecks(problems);
        JsonNode steps = document.root().path("steps");
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i).path("name").asText("step " + (i + 1));
            String pointer = YamlDocument.pointer("steps", i);
            scripts.at(document, pointer + "/validation").ifPresent(script ->
                    checks.check(step + ".validation", script, fields, whose));
            JsonNode next = steps.get(i).path("next");
            for (int b = 0; b < next.size(); b++) {
                int branch = b + 1;
                scripts.at(document, pointer + "/next/" + b + "/when").ifPresent(script ->
                        checks.check(step + ".next." + branch + ".when", script, fields, whose));
            }
        }
    }

    private void checkField(YamlDocument document, EntityDefinition entity, String pointer, JsonNode field,
                            List<String> fieldNames) {
        if (field.path("field").isTextual() && entity.field(field.path("field").asText()).isEmpty()) {
            String name = field.path("field").asText();
            add(document, pointer + "/field", false, ProblemCode.UNKNOWN_FIELD,
                    "The step asks field " + q(name) + ", which entity " + q(entity.name()) + " does not have.",
                    Suggestions.didYouMean(name, fieldNames) + "use one of: " + String.join(", ", fieldNames)
                            + ", or write {name: " + name + ", type: ..., label: ...} for a field that exists only in "
                            + "the dialog.");
        } else if (field.path("field").isTextual()
                && entity.field(field.path("field").asText()).filter(f -> f.type() == FieldType.RECORD_LINK).isPresent()) {
            String name = field.path("field").asText();
            add(document, pointer + "/field", false, ProblemCode.DIALOG_FIELD_INVALID,
                    "The step asks the record-link field " + q(name) + "; a dialog cannot ask a record of any entity "
                            + "yet.",
                    "set " + q(name) + " in the finish instead (e.g. '{{record.id}}' for the dialog's record), or "
                            + "ask a reference field.");
        } else if (field.path("field").isTextual()
                && entity.field(field.path("field").asText()).filter(f -> f.autoNumber() != null).isPresent()) {
            String name = field.path("field").asText();
            add(document, pointer + "/field", false, ProblemCode.DIALOG_FIELD_INVALID,
                    "The step asks " + q(name) + ", which the platform numbers on create ('autoNumber'); nobody can "
                            + "type it.",
                    "remove the field from the step; the record gets its number when it is created.");
        } else if (field.path("name").isTextual() && entity.field(field.path("name").asText()).isPresent()) {
            String name = field.path("name").asText();
            add(document, pointer + "/name", false, ProblemCode.DIALOG_FIELD_INVALID,
                    "Dialog-only field " + q(name) + " has the name of a field of entity " + q(entity.name())
                            + "; in rules and placeholders the two could not be told apart.",
                    "write {field: " + name + "} to ask the entity's field, or give the dialog-only field another name.");
        }
    }

    /** A finish (the dialog's, or a step's) at {@code base}, e.g. "/finish" or "/steps/3/finish". */
    private void checkFinish(YamlDocument document, EntityDefinition entity, String base, JsonNode finish) {
        List<String> phaseFields = processes.values().stream().filter(p -> p.entity().equals(entity.name()))
                .map(ProcessDefinition::phaseField).distinct().toList();
        finish.path("set").fields().forEachRemaining(e -> {
            String pointer = base + YamlDocument.pointer("set", e.getKey());
            Optional<FieldDefinition> field = entity.field(e.getKey());
            if (field.isEmpty()) {
                unknownField(document, pointer, e.getKey(), entity, "Finishing sets");
            } else {
                literal(document, pointer, field.get(), e.getValue(), phaseFields.contains(e.getKey()) ? e.getKey() : null,
                        entity);
            }
        });
        JsonNode create = finish.path("create");
        for (int i = 0; i < create.size(); i++) {
            checkCreate(document, entity, base + YamlDocument.pointer("create", i), create.get(i));
        }
        if (finish.path("movePhase").isTextual()) {
            checkMovePhase(document, entity, base + "/movePhase", finish.path("movePhase").asText());
        }
    }

    private void checkCreate(YamlDocument document, EntityDefinition dialogEntity, String pointer, JsonNode create) {
        String entityName = create.path("entity").asText();
        EntityDefinition entity = entities.get(entityName);
        if (entity == null) {
            if (!knownEntities.contains(entityName)) {
                add(document, pointer + "/entity", false, ProblemCode.UNKNOWN_ENTITY,
                        "Finishing creates a record of entity " + q(entityName) + ", which does not exist.",
                        Suggestions.didYouMean(entityName, knownEntities) + "use one of: "
                                + String.join(", ", entities.keySet()) + ".");
            }
            return;
        }
        Placeholders.Scope scope = DialogChecks.scope(ProcessResolver.fieldNames(dialogEntity),
                DialogChecks.dialogOnlyFields(document.root()), "entity " + q(dialogEntity.name()));
        JsonNode values = create.path("values");
        values.fields().forEachRemaining(e -> {
            String at = pointer + "/values/" + e.getKey();
            Optional<FieldDefinition> field = entity.field(e.getKey());
            if (field.isEmpty()) {
                unknownField(document, at, e.getKey(), entity, "The record to create sets");
            } else if (e.getValue().isObject()) {
                localizedValue(document, at, field.get(), e.getValue(), scope);
            } else if (e.getValue().isTextual() && Placeholders.hasAny(e.getValue().asText())) {
                Placeholders.check(document, at, scope, "the value for " + q(e.getKey()), problems);
            } else {
                literal(document, at, field.get(), e.getValue(), null, entity);
            }
        });
        Set<String> phaseFields = new LinkedHashSet<>();
        processes.values().stream().filter(p -> p.entity().equals(entityName)).forEach(p -> phaseFields.add(p.phaseField()));
        List<String> missing = entity.fields().stream()
                .filter(f -> f.required() && f.autoNumber() == null && !values.has(f.name()) && !phaseFields.contains(f.name()))
                .filter(f -> entity.rules().stream().noneMatch(r -> f.name().equals(r.field())
                        && (r.kind() == RuleKind.DEFAULT || r.kind() == RuleKind.COMPUTED)))
                .map(FieldDefinition::name).toList();
        if (!missing.isEmpty()) {
            add(document, pointer + "/values", true, ProblemCode.REQUIRED_VALUE_MISSING,
                    "The record of entity " + q(entityName) + " to create has no value for the required field"
                            + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing.stream().map(Problems::q).toList())
                            + ", so creating it would fail.",
                    "add " + String.join(", ", missing.stream().map(m -> m + ": ...").toList()) + " under 'values'.");
        }
    }

    /**
     * A text in the language of the user who finishes, {@code {de: …, en: …}}: every language the UI offers,
     * each a text with placeholders, and only for fields that hold text.
     */
    private void localizedValue(YamlDocument document, String pointer, FieldDefinition field, JsonNode value,
                                Placeholders.Scope scope) {
        if (field.type() != FieldType.TEXT && field.type() != FieldType.LONG_TEXT) {
            add(document, pointer, false, ProblemCode.SET_VALUE_INVALID,
                    "The value for field " + q(field.name()) + " is given per language, but the field holds "
                            + field.type().yamlName() + ", not text.",
                    "write one value: " + FieldValues.howToWrite(field) + ".");
            return;
        }
        Set<String> languages = new java.util.TreeSet<>();
        value.fieldNames().forEachRemaining(languages::add);
        boolean texts = java.util.stream.StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isTextual);
        if (!languages.equals(Set.of("de", "en")) || !texts) {
            add(document, pointer, false, ProblemCode.SET_VALUE_INVALID,
                    "The value for field " + q(field.name()) + " is given per language as " + languages
                            + (texts ? "" : " with a value that is not a text") + "; it needs a text for de and one for en.",
                    "write {de: '…', en: '…'}: the new record gets the text in the language of the user who finishes.");
            return;
        }
        for (String language : languages) {
            Placeholders.check(document, pointer + "/" + language, scope, "the value for " + q(field.name()), problems);
        }
    }

    /** Values set on finish are literals: an expression ('=…') would be stored as its text. */
    private void literal(YamlDocument document, String pointer, FieldDefinition field, JsonNode value, String phaseField,
                         EntityDefinition entity) {
        if (value.isTextual() && value.asText().startsWith("=") && !value.asText().startsWith("==")) {
            add(document, pointer, false, ProblemCode.SET_VALUE_INVALID,
                    "The value for field " + q(field.name()) + " starts with '=', but values set when a dialog finishes "
                            + "are literals (or texts with {{placeholders}}), not expressions.",
                    "write the value itself, '==' for a text that starts with '=', or compute the field with a rule "
                            + "of entity " + q(entity.name()) + ".");
            return;
        }
        ProcessResolver.setValue(document, pointer, field, value, phaseField, entity, problems);
    }

    private void checkMovePhase(YamlDocument document, EntityDefinition entity, String pointer, String phase) {
        List<ProcessDefinition> own = processes.values().stream().filter(p -> p.entity().equals(entity.name())).toList();
        if (brokenProcessEntities.contains(entity.name())
                || own.stream().anyMatch(p -> p.phase(phase).isPresent())) {
            return;
        }
        Set<String> phases = new LinkedHashSet<>();
        own.forEach(p -> p.phases().stream().map(PhaseDefinition::name).forEach(phases::add));
        add(document, pointer, false, ProblemCode.UNKNOWN_PHASE,
                own.isEmpty()
                        ? "Finishing moves the record to phase " + q(phase) + ", but entity " + q(entity.name())
                                + " follows no process."
                        : "Finishing moves the record to " + q(phase) + ", which is not a phase of a process of entity "
                                + q(entity.name()) + ".",
                own.isEmpty() ? "add a process for " + q(entity.name()) + " in metadata/processes, or remove 'movePhase'."
                        : Suggestions.didYouMean(phase, phases) + "use one of: " + String.join(", ", phases) + ".");
    }

    private void unknownField(YamlDocument document, String pointer, String name, EntityDefinition entity, String what) {
        List<String> names = ProcessResolver.fieldNames(entity);
        add(document, pointer, true, ProblemCode.UNKNOWN_FIELD,
                what + " " + q(name) + ", which is not a field of entity " + q(entity.name()) + ".",
                Suggestions.didYouMean(name, names) + "use one of: " + String.join(", ", names) + ".");
    }

    private void add(YamlDocument document, String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = document.at(pointer);
        problems.add(document.fileName(), atKey ? located.entry() : located.value(), code, message, fix);
    }

    /** Builds the definition of a dialog whose file has no problems. */
    private final class Builder {

        private final YamlDocument document;
        private final EntityDefinition entity;
        private final String dialog;

        Builder(YamlDocument document, EntityDefinition entity) {
            this.document = document;
            this.entity = entity;
            this.dialog = document.root().path("name").asText();
        }

        DialogDefinition dialog() {
            JsonNode root = document.root();
            List<DialogStep> steps = new ArrayList<>();
            JsonNode list = root.path("steps");
            for (int i = 0; i < list.size(); i++) {
                steps.add(step(i, list.get(i)));
            }
            return new DialogDefinition(dialog, ProcessBuilder.text(root.path("label")),
                    root.has("description") ? ProcessBuilder.text(root.path("description")) : null,
                    entity.name(), steps, finish("/finish", root.path("finish")), location("/name"), roles(root.path("roles")));
        }

        private static List<String> roles(JsonNode roles) {
            List<String> names = new ArrayList<>();
            roles.forEach(role -> names.add(role.asText()));
            return names;
        }

        private DialogStep step(int index, JsonNode step) {
            String name = step.path("name").asText();
            String pointer = YamlDocument.pointer("steps", index);
            List<DialogField> fields = new ArrayList<>();
            JsonNode list = step.path("fields");
            for (int f = 0; f < list.size(); f++) {
                fields.add(field(pointer + "/fields/" + f, list.get(f)));
            }
            List<DialogStep.DialogBranch> next = new ArrayList<>();
            JsonNode branches = step.path("next");
            for (int b = 0; b < branches.size(); b++) {
                JsonNode branch = branches.get(b);
                String at = pointer + "/next/" + b;
                next.add(new DialogStep.DialogBranch(
                        branch.has("when") ? rule(dialog + "." + name + ".next." + (b + 1) + ".when", RuleKind.CONDITION,
                                at + "/when") : null,
                        branch.path("step").isTextual() ? branch.path("step").asText() : null, location(at)));
            }
            return new DialogStep(name, ProcessBuilder.text(step.path("title")),
                    step.has("help") ? ProcessBuilder.text(step.path("help")) : null, fields,
                    step.has("validation") ? rule(dialog + "." + name + ".validation", RuleKind.VALIDATION,
                            pointer + "/validation") : null,
                    next, location(pointer), step.has("finish") ? finish(pointer + "/finish", step.path("finish")) : null);
        }

        private DialogField field(String pointer, JsonNode field) {
            boolean required = field.path("required").asBoolean(false);
            LocalizedText help = field.has("help") ? ProcessBuilder.text(field.path("help")) : null;
            if (field.has("field")) {
                FieldDefinition own = entity.field(field.path("field").asText()).orElseThrow();
                return new DialogField(new FieldDefinition(own.name(), own.label(), own.type(), required || own.required(),
                        own.unique(), own.indexed(), own.searchable(), own.listed(), own.maxLength(), own.precision(),
                        own.scale(), own.options(), own.referenceEntity(), own.reverseList(),
                        help != null ? help : own.help(), own.min(), own.max(), own.pattern(), own.patternMessage(),
                        location(pointer)), true);
            }
            List<ChoiceOption> options = new ArrayList<>();
            field.path("options").forEach(o -> options.add(new ChoiceOption(o.path("value").asText(),
                    ProcessBuilder.text(o.path("label")))));
            return new DialogField(new FieldDefinition(field.path("name").asText(), ProcessBuilder.text(field.path("label")),
                    FieldType.fromYamlName(field.path("type").asText()).orElseThrow(), required, false, false, false,
                    false, null, null, null, options, null, null, help, location(pointer)), false);
        }

        private DialogFinish finish(String pointer, JsonNode finish) {
            if (finish.isMissingNode() || finish.isNull()) {
                return DialogFinish.NOTHING;
            }
            Map<String, Object> set = new LinkedHashMap<>();
            finish.path("set").fields().forEachRemaining(e -> set.put(e.getKey(), literal(e.getValue())));
            List<DialogFinish.CreateRecord> creates = new ArrayList<>();
            JsonNode create = finish.path("create");
            for (int i = 0; i < create.size(); i++) {
                Map<String, Object> values = new LinkedHashMap<>();
                create.get(i).path("values").fields().forEachRemaining(e -> values.put(e.getKey(),
                        e.getValue().isObject() ? ProcessBuilder.text(e.getValue()) : literal(e.getValue())));
                creates.add(new DialogFinish.CreateRecord(create.get(i).path("entity").asText(), values,
                        location(pointer + YamlDocument.pointer("create", i))));
            }
            return new DialogFinish(set, creates,
                    finish.path("movePhase").isTextual() ? finish.path("movePhase").asText() : null, location(pointer));
        }

        /** '==text' is the literal '=text', as in process actions; everything else as written. */
        private Object literal(JsonNode value) {
            return value.isTextual() && value.asText().startsWith("==") ? value.asText().substring(1)
                    : EntityRuleBuilder.plain(value);
        }

        private RuleDefinition rule(String name, RuleKind kind, String pointer) {
            RuleScripts.Script script = scripts.at(document, pointer)
                    .orElseThrow(() -> new IllegalStateException("rule " + name + " passed the checks without a script"));
            return new RuleDefinition(name, kind, null, null, script.source(), script.sourceName(), script.start());
        }

        private SourceLocation location(String pointer) {
            var node = document.at(pointer).value();
            return node == null ? new SourceLocation(document.fileName(), 1, 1) : EntityBuilder.location(document.fileName(), node);
        }
    }
}
