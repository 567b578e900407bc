package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.FieldType;
import io.relata.api.rules.RuleKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The rules and examples of one entity file, as far as they can be checked without running JavaScript:
 * script files exist and no script is blank, rule names are unique, every entity-level rule is exactly one
 * kind, score rules write into fields of fitting types, rules do not contradict each other on a field, scripts
 * read only fields the entity has ({@link RuleFieldChecks}), and examples name only fields of the entity and
 * expect something sensible. Whether the scripts compile and the
 * examples hold is checked by the rules engine after loading. Like {@link EntityChecks}, runs on the raw
 * tree and never assumes the schema was satisfied.
 */
final class EntityRuleChecks {

    /** The rule kinds written on a field; the others are written under {@code rules:}. */
    static final List<RuleKind> FIELD_KINDS = List.of(RuleKind.COMPUTED, RuleKind.DEFAULT, RuleKind.VISIBLE_WHEN,
            RuleKind.REQUIRED_WHEN, RuleKind.READ_ONLY_WHEN);

    /** The rule kinds written under {@code rules:}, exactly one per rule. */
    static final List<RuleKind> ENTITY_KINDS = List.of(RuleKind.VALIDATION, RuleKind.SCORE);

    /** The keys an example's {@code expect} understands (see {@link io.relata.api.rules.RuleExample}). */
    static final List<String> EXPECT_KEYS =
            List.of("errors", "noErrors", "values", "visible", "required", "readOnly", "score", "reasons");

    /** The expect keys that map field names to values. */
    private static final List<String> EXPECT_FIELD_MAPS = List.of("values", "visible", "required", "readOnly");

    static final Set<FieldType> SCORE_TYPES = EnumSet.of(FieldType.INTEGER, FieldType.DECIMAL);
    static final Set<FieldType> REASONS_TYPES = EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT);

    /** A rule that sets a field's value, for conflict messages: "the computed rule" at a pointer. */
    private record Writer(String what, String pointer) {
    }

    private final YamlDocument document;
    private final RuleScripts scripts;
    private final Problems problems;
    private final RuleFieldChecks fieldChecks;
    /** The names of the entity's fields, in file order. */
    private final List<String> fieldNames = new ArrayList<>();
    /** The fields with a known type, in file order. */
    private final Map<String, FieldType> fieldTypes = new LinkedHashMap<>();
    private final Map<String, List<Writer>> writers = new LinkedHashMap<>();
    /** Whether a score rule names a {@code reasonsField}. */
    private boolean hasReasonsField;

    private EntityRuleChecks(YamlDocument document, RuleScripts scripts, Problems problems) {
        this.document = document;
        this.scripts = scripts;
        this.problems = problems;
        this.fieldChecks = new RuleFieldChecks(problems);
    }

    static void check(YamlDocument document, RuleScripts scripts, Problems problems) {
        new EntityRuleChecks(document, scripts, problems).run();
    }

    private void run() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        JsonNode fields = root.path("fields");
        if (fields.isObject()) {
            fields.fieldNames().forEachRemaining(fieldNames::add);
            fields.fields().forEachRemaining(e -> FieldType.fromYamlName(e.getValue().path("type").asText(null))
                    .ifPresent(type -> fieldTypes.put(e.getKey(), type)));
            fields.fields().forEachRemaining(e -> checkFieldRules(e.getKey(), e.getValue()));
        }
        int scoreRules = checkEntityRules(root.path("rules"));
        checkConflicts(fields);
        JsonNode examples = root.path("examples");
        for (int i = 0; examples.isArray() && i < examples.size(); i++) {
            checkExample(i, examples.get(i), scoreRules);
        }
    }

    // ---- field-level rules -----------------------------------------------------------------------------

    private void checkFieldRules(String field, JsonNode definition) {
        if (!definition.isObject()) {
            return;
        }
        for (RuleKind kind : FIELD_KINDS) {
            if (!definition.has(kind.yamlName())) {
                continue;
            }
            String pointer = YamlDocument.pointer("fields", field, kind.yamlName());
            checkScript(field + "." + kind.yamlName(), pointer);
            if (kind == RuleKind.COMPUTED || kind == RuleKind.DEFAULT) {
                writers.computeIfAbsent(field, f -> new ArrayList<>()).add(new Writer(
                        "its " + kind.yamlName() + " rule", pointer));
            }
            if (kind == RuleKind.REQUIRED_WHEN && fieldTypes.get(field) == FieldType.BOOLEAN) {
                add(pointer, true, ProblemCode.RULE_ON_WRONG_FIELD_TYPE,
                        "Field " + q(field) + " is a boolean, which always has a value (false when not ticked), so "
                                + "'requiredWhen' cannot make it required.",
                        "remove 'requiredWhen' and write a validation under 'rules:' that returns {" + field
                                + ": 'message'} when the box must be ticked but is not.");
            }
        }
    }

    // ---- entity-level rules ----------------------------------------------------------------------------

    /** Checks the list under {@code rules:}; returns the number of score rules. */
    private int checkEntityRules(JsonNode rules) {
        if (!rules.isArray()) {
            return 0;
        }
        Map<String, Integer> names = new HashMap<>();
        int scores = 0;
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            if (!rule.isObject()) {
                continue;
            }
            JsonNode name = rule.path("name");
            String label = name.isTextual() ? name.asText() : "rule " + (i + 1);
            if (name.isTextual()) {
                Integer first = names.putIfAbsent(name.asText(), i);
                if (first != null) {
                    add(YamlDocument.pointer("rules", i, "name"), false, ProblemCode.DUPLICATE_RULE,
                            "Rule name " + q(name.asText()) + " is used twice in this entity; it was first given at line "
                                    + Problems.line(document.at(YamlDocument.pointer("rules", first, "name")).value()) + ".",
                            "give every rule of the entity its own name, e.g. " + q(name.asText() + "_" + (i + 1)) + ".");
                }
            }
            List<RuleKind> kinds = ENTITY_KINDS.stream().filter(k -> rule.has(k.yamlName())).toList();
            if (kinds.size() != 1) {
                add(YamlDocument.pointer("rules", i), false, ProblemCode.RULE_KIND_MISSING_OR_AMBIGUOUS,
                        "Rule " + q(label) + (kinds.isEmpty() ? " has neither 'validation' nor 'score'"
                                : " has both 'validation' and 'score'") + "; a rule must be exactly one of them.",
                        kinds.isEmpty()
                                ? "add 'validation:' with a script that checks the record, or 'score:' with a script "
                                        + "that computes a score (with 'field:'); rules for one field (computed, "
                                        + "default, visibleWhen, requiredWhen, readOnlyWhen) are written on the field."
                                : "split it into two rules with their own names.");
            }
            for (RuleKind kind : kinds) {
                checkScript(label, YamlDocument.pointer("rules", i, kind.yamlName()));
            }
            if (kinds.contains(RuleKind.SCORE)) {
                scores++;
                checkScoreFields(i, rule, label);
            } else if (kinds.equals(List.of(RuleKind.VALIDATION))) {
                for (String key : List.of("field", "reasonsField")) {
                    if (rule.has(key)) {
                        add(YamlDocument.pointer("rules", i, key), true, ProblemCode.SCORE_FIELD_INVALID,
                                "Validation " + q(label) + " has " + q(key) + ", which only score rules have.",
                                "remove " + q(key) + "; a validation names the fields of its errors in what it "
                                        + "returns, e.g. return {close_date: 'message'}.");
                    }
                }
            }
        }
        return scores;
    }

    private void checkScoreFields(int index, JsonNode rule, String label) {
        List<String> numeric = fieldsOf(SCORE_TYPES);
        JsonNode field = rule.path("field");
        if (!rule.has("field")) {
            add(YamlDocument.pointer("rules", index), false, ProblemCode.SCORE_FIELD_INVALID,
                    "Score rule " + q(label) + " does not say which field receives the score.",
                    "add 'field:' with the name of an integer or decimal field" + (numeric.isEmpty()
                            ? " (the entity has none yet: add one, e.g. 'score: {type: integer, label: {en: Score}}')."
                            : ": " + String.join(", ", numeric) + "."));
        } else if (field.isTextual()) {
            checkTarget(index, "field", field.asText(), label, SCORE_TYPES, "the score", numeric);
        }
        JsonNode reasons = rule.path("reasonsField");
        hasReasonsField |= reasons.isTextual();
        if (reasons.isTextual()) {
            checkTarget(index, "reasonsField", reasons.asText(), label, REASONS_TYPES, "the reasons",
                    fieldsOf(REASONS_TYPES));
        }
    }

    private void checkTarget(int index, String key, String field, String label, Set<FieldType> types, String what,
                             List<String> candidates) {
        String pointer = YamlDocument.pointer("rules", index, key);
        FieldType type = fieldTypes.get(field);
        String allowed = EntityChecks.yamlNames(types).replace(", ", " or ");
        if (type == null && !document.root().path("fields").has(field)) {
            add(pointer, false, ProblemCode.SCORE_FIELD_INVALID,
                    "Score rule " + q(label) + " writes " + what + " into " + q(field) + ", which is not a field of "
                            + "this entity.",
                    Suggestions.didYouMean(field, candidates) + (candidates.isEmpty()
                            ? "add a field of type " + allowed + " named " + q(field) + "."
                            : "use a field of type " + allowed + ": " + String.join(", ", candidates) + "."));
        } else if (type != null && !types.contains(type)) {
            add(pointer, false, ProblemCode.SCORE_FIELD_INVALID,
                    "Score rule " + q(label) + " writes " + what + " into field " + q(field) + " of type "
                            + type.yamlName() + ", but " + what + " need" + ("the score".equals(what) ? "s" : "")
                            + " a field of type " + allowed + ".",
                    "change the type of " + q(field) + " to " + allowed + (candidates.isEmpty() ? ""
                            : ", or use one of: " + String.join(", ", candidates)) + ".");
        } else if (type != null) {
            writers.computeIfAbsent(field, f -> new ArrayList<>()).add(new Writer(
                    "score rule " + q(label) + " (" + key + ")", pointer));
        }
    }

    // ---- conflicts ----------------------------------------------------------------------------------------

    private void checkConflicts(JsonNode fields) {
        writers.forEach((field, list) -> {
            for (int i = 1; i < list.size(); i++) {
                Writer first = list.get(0);
                Writer second = list.get(i);
                add(second.pointer(), true, ProblemCode.CONFLICTING_RULES,
                        "Field " + q(field) + " is set by " + first.what() + " (line "
                                + Problems.line(document.at(first.pointer()).entry()) + ") and by " + second.what()
                                + "; only one rule can set a field.",
                        "keep one of the two; a computed rule already covers new records, so it needs no default.");
            }
        });
        if (!fields.isObject()) {
            return;
        }
        fields.fields().forEachRemaining(e -> {
            String field = e.getKey();
            JsonNode definition = e.getValue();
            List<Writer> setBy = writers.getOrDefault(field, List.of()).stream()
                    .filter(w -> !w.what().equals("its default rule")).toList();
            for (RuleKind kind : List.of(RuleKind.REQUIRED_WHEN, RuleKind.READ_ONLY_WHEN)) {
                if (!definition.has(kind.yamlName())) {
                    continue;
                }
                String pointer = YamlDocument.pointer("fields", field, kind.yamlName());
                if (!setBy.isEmpty()) {
                    add(pointer, true, ProblemCode.CONFLICTING_RULES,
                            "Field " + q(field) + " has " + q(kind.yamlName()) + " but is set by " + setBy.get(0).what()
                                    + " on every save, so users never enter or change it.",
                            "remove " + q(kind.yamlName()) + (kind == RuleKind.REQUIRED_WHEN
                                    ? "; to refuse records where the rule gives no value, write a validation." : "."));
                } else if (kind == RuleKind.REQUIRED_WHEN && definition.path("required").asBoolean(false)) {
                    add(pointer, true, ProblemCode.CONFLICTING_RULES,
                            "Field " + q(field) + " has 'requiredWhen' but is always required ('required: true').",
                            "remove 'requiredWhen', or remove 'required: true' if the field is only sometimes needed.");
                }
            }
        });
    }

    // ---- scripts ------------------------------------------------------------------------------------------

    private void checkScript(String rule, String pointer) {
        scripts.check(document, rule, pointer, problems);
        if (document.root().path("fields").isObject()) {
            String entity = document.root().path("name").asText(document.file().baseName());
            scripts.at(document, pointer).ifPresent(script ->
                    fieldChecks.check(rule, script, fieldNames, "entity " + q(entity)));
        }
    }

    // ---- examples -----------------------------------------------------------------------------------------

    private void checkExample(int index, JsonNode example, int scoreRules) {
        if (!example.isObject()) {
            return;
        }
        String label = example.path("name").isTextual() ? example.path("name").asText() : "example " + (index + 1);
        for (String part : List.of("record", "previous")) {
            example.path(part).fieldNames().forEachRemaining(field -> {
                if (!("record".equals(part) && "id".equals(field))) { // the id of a stored record, for related.id
                    checkExampleField(label, YamlDocument.pointer("examples", index, part, field), field, part, false);
                }
            });
        }
        JsonNode expect = example.path("expect");
        if (!expect.isObject()) {
            return;
        }
        String expectPointer = YamlDocument.pointer("examples", index, "expect");
        if (expect.isEmpty()) {
            add(expectPointer, false, ProblemCode.EXAMPLE_EXPECT_INVALID,
                    "Example " + q(label) + " expects nothing, so it tests nothing.",
                    "add what the rules must produce, e.g. 'errors: [field]', 'noErrors: true' or 'values: {field: 1}'.");
        }
        expect.fieldNames().forEachRemaining(key -> {
            if (!EXPECT_KEYS.contains(key)) {
                add(YamlDocument.pointer("examples", index, "expect", key), true, ProblemCode.EXAMPLE_EXPECT_INVALID,
                        "Example " + q(label) + " expects " + q(key) + ", which is not something an example can check.",
                        Suggestions.closest(key, EXPECT_KEYS).map(c -> "did you mean " + q(c) + "? ").orElse("")
                                + "use " + String.join(", ", EXPECT_KEYS) + ".");
            }
        });
        JsonNode errors = expect.path("errors");
        if (errors.isTextual() && !"record".equals(errors.asText())) {
            checkExampleField(label, YamlDocument.pointer("examples", index, "expect", "errors"), errors.asText(),
                    "errors", true);
        }
        for (int i = 0; errors.isArray() && i < errors.size(); i++) {
            if (errors.get(i).isTextual() && !"record".equals(errors.get(i).asText())) {
                checkExampleField(label, YamlDocument.pointer("examples", index, "expect", "errors", i),
                        errors.get(i).asText(), "errors", true);
            }
        }
        for (String part : EXPECT_FIELD_MAPS) {
            expect.path(part).fieldNames().forEachRemaining(field ->
                    checkExampleField(label, YamlDocument.pointer("examples", index, "expect", part, field), field,
                            "expect." + part, false));
        }
        JsonNode noErrors = expect.path("noErrors");
        if (noErrors.isBoolean() && !noErrors.asBoolean()) {
            add(expectPointer + "/noErrors", false, ProblemCode.EXAMPLE_EXPECT_INVALID,
                    "Example " + q(label) + " says 'noErrors: false', which does not say which errors to expect.",
                    "list the fields that must have errors under 'errors:' (or 'record'), and remove 'noErrors'.");
        } else if (noErrors.asBoolean(false) && (errors.isTextual() || errors.isArray() && !errors.isEmpty())) {
            add(expectPointer + "/noErrors", true, ProblemCode.EXAMPLE_EXPECT_INVALID,
                    "Example " + q(label) + " expects no errors and errors on " + errors + " at the same time.",
                    "keep either 'noErrors: true' or 'errors:'.");
        }
        if (expect.has("reasons") && scoreRules == 1 && !hasReasonsField) {
            add(YamlDocument.pointer("examples", index, "expect", "reasons"), true, ProblemCode.EXAMPLE_EXPECT_INVALID,
                    "Example " + q(label) + " expects reasons, but the score rule has no 'reasonsField' to put them in.",
                    "add 'reasonsField:' with a text or long-text field to the score rule, or remove 'reasons'.");
        }
        for (String key : List.of("score", "reasons")) {
            if (expect.has(key) && scoreRules != 1) {
                add(YamlDocument.pointer("examples", index, "expect", key), true, ProblemCode.EXAMPLE_EXPECT_INVALID,
                        "Example " + q(label) + " expects " + q(key) + ", but the entity has "
                                + (scoreRules == 0 ? "no score rule." : scoreRules + " score rules, so it is unclear which is meant."),
                        scoreRules == 0 ? "add a score rule under 'rules:', or remove " + q(key) + "."
                                : "expect the score fields' values instead, e.g. 'values: {score: 40}'.");
            }
        }
    }

    private void checkExampleField(String example, String pointer, String field, String part, boolean value) {
        JsonNode fields = document.root().path("fields");
        if (!fields.isObject() || fields.has(field)) {
            return;
        }
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        add(pointer, !value, ProblemCode.UNKNOWN_EXAMPLE_FIELD,
                "Example " + q(example) + " names " + q(field) + " in '" + part + "', which is not a field of this entity.",
                Suggestions.didYouMean(field, names) + "use one of: " + String.join(", ", names)
                        + ("errors".equals(part) ? ", or 'record' for errors on the whole record." : "."));
    }

    private List<String> fieldsOf(Set<FieldType> types) {
        return fieldTypes.entrySet().stream().filter(e -> types.contains(e.getValue())).map(Map.Entry::getKey).toList();
    }

    private void add(String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = document.at(pointer);
        Node node = atKey ? located.entry() : located.value();
        problems.add(document.fileName(), node, code, message, fix);
    }
}
