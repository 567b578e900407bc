package io.relata.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Runs an entity's examples through the engine and compares the outcome with each example's {@code expect}. */
final class ExampleRunner {

    private static final Set<String> KEYS = Set.of("errors", "noErrors", "values", "visible", "required", "readOnly",
            "score", "reasons");
    private static final String FIX = "Correct the rule, or the example's expect if the rule is right.";

    private final RuleEngine engine;
    private final EntityDefinition entity;
    private final List<RuleProblem> problems = new ArrayList<>();

    ExampleRunner(RuleEngine engine, EntityDefinition entity) {
        this.engine = engine;
        this.entity = entity;
    }

    /**
     * Runs the examples in order. Once a run is stopped by a limit (statements or time), the examples after it
     * are not run: each would likely cost the whole limit again, and one bad rule with ten examples must not
     * make a reload take ten times the limit. The admin is told which were skipped and why.
     */
    List<RuleProblem> run() {
        List<RuleExample> examples = entity.examples();
        for (int i = 0; i < examples.size(); i++) {
            RuleEngine.RuleRunFailure limitHit = runOne(examples.get(i));
            if (limitHit != null && i + 1 < examples.size()) {
                int skipped = examples.size() - i - 1;
                report(examples.get(i + 1), (skipped == 1 ? "This example was" : "This example and the "
                                + (skipped - 1) + " after it were") + " not run: the rule '" + limitHit.rule()
                                + "' ran over its limit in example '" + examples.get(i).name() + "'.",
                        "Make the rule '" + limitHit.rule() + "' finish; the examples run at the next load.");
                break;
            }
        }
        return problems;
    }

    /** Runs one example; returns the failure if a limit stopped it, else null. */
    private RuleEngine.RuleRunFailure runOne(RuleExample example) {
        String name = "Example '" + example.name() + "'";
        Map<String, Object> record;
        Map<String, Object> previous;
        Long recordId;
        try {
            Map<String, Object> given = new LinkedHashMap<>(example.record() == null ? Map.of() : example.record());
            Object id = given.remove("id"); // a stored record's id, for related.id
            recordId = id instanceof Number n ? (Long) n.longValue() : null;
            record = RawValues.record(entity, given);
            previous = example.previous() == null ? null : RawValues.record(entity, example.previous());
        } catch (IllegalArgumentException e) {
            report(example, name + " cannot be run: " + e.getMessage() + ".",
                    "Give values the fields accept: numbers, texts, true/false, dates like 2025-01-31.");
            return null;
        }
        Map<String, Object> expect = example.expect() == null ? Map.of() : example.expect();
        for (String key : expect.keySet()) {
            if (!KEYS.contains(key)) {
                report(example, name + " has the unknown expectation '" + key + "'.",
                        "Use one of " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ".");
            }
        }
        Set<String> roles = new LinkedHashSet<>(example.roles() == null ? List.of() : example.roles());
        Actor actor = Actor.user(0, "example", roles, List.of()).inLanguage(example.language());
        RuleOutcome outcome;
        try {
            outcome = engine.evaluate(new RuleInput(entity, record, previous, actor,
                    new ExampleLookup(example.name(), example.related()), recordId), false);
        } catch (RuleEngine.RuleRunFailure f) {
            RuleProblem failed = RuleEngine.failedProblem(f);
            problems.add(new RuleProblem(failed.file(), failed.line(), failed.column(), failed.code(),
                    name + ": " + failed.message(), failed.fix()));
            return f.getCause() instanceof ContextPool.LimitExceeded ? f : null;
        }
        Map<String, Object> after = new LinkedHashMap<>(record);
        after.putAll(outcome.values());
        checkLimits(example, name, outcome.values());
        checkErrors(example, name, expect, outcome.errors());
        checkValues(example, name, expect, after);
        checkFlags(example, name, expect.get("visible"), "visible", "hidden",
                f -> outcome.visible().getOrDefault(f, true));
        checkFlags(example, name, expect.get("required"), "required", "optional",
                f -> outcome.required().contains(f) || entity.field(f).map(FieldDefinition::required).orElse(false));
        checkFlags(example, name, expect.get("readOnly"), "read-only", "editable", outcome.readOnly()::contains);
        checkScore(example, name, expect, after);
        return null;
    }

    /**
     * A value a computed, default or score rule produces must lie within its field's min/max and match its
     * pattern: the record store would refuse every save that gets it ({@code rule_value}).
     */
    private void checkLimits(RuleExample example, String name, Map<String, Object> values) {
        values.forEach((fieldName, raw) -> entity.field(fieldName).ifPresent(field -> {
            Object value;
            try {
                value = raw instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : RawValues.convert(field, raw);
            } catch (IllegalArgumentException e) {
                return; // a value of the wrong type: the store reports it, and expect.values names it
            }
            String outside = outside(field, value);
            if (outside != null) {
                report(example, name + ": the rules set " + fieldName + " to " + show(value) + ", " + outside
                        + "; every save with this outcome would be refused",
                        "Correct the rule so its value stays within the field's limits, or change the limits.");
            }
        }));
    }

    @SuppressWarnings("unchecked")
    private static String outside(FieldDefinition field, Object value) {
        if (value == null) {
            return null;
        }
        // RawValues gives the field's Java type, the type of min and max
        if (FieldDefinition.takesRange(field.type()) && value instanceof Comparable<?> comparable) {
            if (field.min() != null && ((Comparable<Object>) comparable).compareTo(field.min()) < 0) {
                return "below the smallest value " + show(field.min()) + " the field takes";
            }
            if (field.max() != null && ((Comparable<Object>) comparable).compareTo(field.max()) > 0) {
                return "above the largest value " + show(field.max()) + " the field takes";
            }
        }
        if (field.pattern() != null && FieldDefinition.takesPattern(field.type()) && value instanceof String text
                && !java.util.regex.Pattern.compile(field.pattern()).matcher(text).matches()) {
            return "which does not match the field's pattern '" + field.pattern() + "'";
        }
        return null;
    }

    private void checkErrors(RuleExample example, String name, Map<String, Object> expect, List<FieldError> errors) {
        if (Boolean.TRUE.equals(expect.get("noErrors"))) {
            for (FieldError error : errors) {
                report(example, name + " expected no errors but got one on " + where(error) + ": " + error.message(),
                        FIX);
            }
        }
        Object expected = expect.get("errors");
        if (expected == null) {
            return;
        }
        Set<String> wanted = new LinkedHashSet<>();
        if (expected instanceof List<?> list) {
            list.forEach(item -> wanted.add(String.valueOf(item)));
        } else {
            wanted.add(String.valueOf(expected));
        }
        Set<String> got = new HashSet<>();
        for (FieldError error : errors) {
            got.add(error.field() == null ? "record" : error.field());
        }
        for (String field : wanted) {
            if (!got.contains(field)) {
                report(example, name + " expected an error on " + field + " but got none", FIX);
            }
        }
        for (FieldError error : errors) {
            String field = error.field() == null ? "record" : error.field();
            if (!wanted.contains(field)) {
                report(example, name + " expected no error on " + field + " but got: " + error.message(), FIX);
            }
        }
    }

    private static String where(FieldError error) {
        return error.field() == null ? "the record" : error.field();
    }

    private void checkValues(RuleExample example, String name, Map<String, Object> expect, Map<String, Object> after) {
        if (!(expect.get("values") instanceof Map<?, ?> values)) {
            return;
        }
        for (Map.Entry<?, ?> e : values.entrySet()) {
            String fieldName = String.valueOf(e.getKey());
            FieldDefinition field = entity.field(fieldName).orElse(null);
            if (field == null) {
                report(example, name + " expects a value for '" + fieldName + "', which is not a field of '"
                        + entity.name() + "'", "Name one of the entity's fields.");
                continue;
            }
            Object want;
            try {
                want = RawValues.convert(field, e.getValue());
            } catch (IllegalArgumentException ex) {
                report(example, name + " expects " + e.getValue() + " for '" + fieldName + "': " + ex.getMessage(),
                        "Write a value the field accepts.");
                continue;
            }
            Object got = after.get(fieldName);
            if (!same(want, got)) {
                report(example, name + " expected " + fieldName + " to be " + show(want) + " but got " + show(got), FIX);
            }
        }
    }

    private void checkFlags(RuleExample example, String name, Object expected, String yes, String no,
                            java.util.function.Predicate<String> actual) {
        if (!(expected instanceof Map<?, ?> flags)) {
            return;
        }
        for (Map.Entry<?, ?> e : flags.entrySet()) {
            String field = String.valueOf(e.getKey());
            boolean want = Boolean.TRUE.equals(e.getValue()) || "true".equals(String.valueOf(e.getValue()));
            boolean got = actual.test(field);
            if (want != got) {
                report(example, name + " expected " + field + " to be " + (want ? yes : no) + " but it is "
                        + (got ? yes : no), FIX);
            }
        }
    }

    private void checkScore(RuleExample example, String name, Map<String, Object> expect, Map<String, Object> after) {
        if (!expect.containsKey("score") && !expect.containsKey("reasons")) {
            return;
        }
        List<RuleDefinition> scores = entity.rules(RuleKind.SCORE);
        if (scores.isEmpty()) {
            report(example, name + " expects a score but '" + entity.name() + "' has no score rule",
                    "Add a score rule or remove score/reasons from the example.");
            return;
        }
        RuleDefinition rule = scores.get(0);
        if (expect.containsKey("score")) {
            Object got = after.get(rule.field());
            BigDecimal want = number(expect.get("score"));
            if (want == null || !(got instanceof Number n) || want.compareTo(number(n)) != 0) {
                report(example, name + " expected score " + expect.get("score") + " but got " + show(got), FIX);
            }
        }
        if (expect.get("reasons") != null) {
            String reasons = rule.reasonsField() == null ? null : (String) after.get(rule.reasonsField());
            List<?> wanted = expect.get("reasons") instanceof List<?> l ? l : List.of(expect.get("reasons"));
            for (Object reason : wanted) {
                if (reasons == null || !reasons.contains(String.valueOf(reason))) {
                    report(example, name + " expected the reason '" + reason + "' but the reasons were: "
                            + (reasons == null || reasons.isEmpty() ? "(none)" : reasons.replace("\n", "; ")), FIX);
                }
            }
        }
    }

    private static BigDecimal number(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        try {
            return value == null ? null : new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean same(Object want, Object got) {
        if (want instanceof BigDecimal a && got instanceof BigDecimal b) {
            return a.compareTo(b) == 0;
        }
        return Objects.equals(want, got);
    }

    private static String show(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private void report(RuleExample example, String message, String fix) {
        SourceLocation at = example.location() == null ? SourceLocation.UNKNOWN : example.location();
        problems.add(new RuleProblem(at.file(), at.line(), at.column(), RuleProblem.RULE_EXAMPLE_FAILED, message, fix));
    }
}
