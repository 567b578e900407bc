package io.relata.store;

import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A hand-written {@link RecordRules} for store tests: each rule of the entity (see
 * {@link ModelBuilder.EntityBuilder#rule}) runs the Java function registered under its name, and its result
 * is read as {@link io.relata.api.rules.RuleKind} documents for scripts (a message or {@code {field:
 * message}} for validations, a value for computed and default rules, a boolean for conditions,
 * {@code {score, reasons}} for scores). A function that throws makes the evaluation fail with a
 * {@link RuleFailedException}, like a script that throws. Every input is kept for assertions.
 */
final class FakeRules implements RecordRules {

    private final Map<String, Function<RuleInput, Object>> scripts = new HashMap<>();
    final List<RuleInput> inputs = new ArrayList<>();

    /** Registers the function that stands in for the script of the rule named {@code rule}. */
    FakeRules script(String rule, Function<RuleInput, Object> script) {
        scripts.put(rule, script);
        return this;
    }

    @Override
    public RuleOutcome evaluate(RuleInput input) {
        inputs.add(input);
        Map<String, Object> values = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        Map<String, Boolean> visible = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        Set<String> readOnly = new LinkedHashSet<>();
        for (RuleDefinition rule : input.entity().rules()) {
            Object result = run(rule, input);
            switch (rule.kind()) {
                case VALIDATION -> {
                    if (result instanceof String message) {
                        errors.add(new FieldError(null, ErrorCodes.RULE, message));
                    } else if (result instanceof Map<?, ?> byField) {
                        byField.forEach((field, message) -> errors.add(new FieldError((String) field, ErrorCodes.RULE,
                                (String) message)));
                    }
                }
                case COMPUTED -> values.put(rule.field(), result);
                case DEFAULT -> {
                    if (input.isNew() && input.values().get(rule.field()) == null) {
                        values.put(rule.field(), result);
                    }
                }
                case VISIBLE_WHEN -> visible.put(rule.field(), Boolean.TRUE.equals(result));
                case REQUIRED_WHEN -> {
                    if (Boolean.TRUE.equals(result)) {
                        required.add(rule.field());
                    }
                }
                case READ_ONLY_WHEN -> {
                    if (Boolean.TRUE.equals(result)) {
                        readOnly.add(rule.field());
                    }
                }
                case SCORE -> {
                    Map<?, ?> score = (Map<?, ?>) result;
                    values.put(rule.field(), score.get("score"));
                    if (rule.reasonsField() != null) {
                        values.put(rule.reasonsField(), score.get("reasons"));
                    }
                }
            }
        }
        return new RuleOutcome(values, errors, visible, required, readOnly);
    }

    private Object run(RuleDefinition rule, RuleInput input) {
        Function<RuleInput, Object> script = scripts.get(rule.source());
        if (script == null) {
            throw new IllegalStateException("No script registered for the rule '" + rule.name() + "'");
        }
        try {
            return script.apply(input);
        } catch (RuleFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuleFailedException(rule.name(), rule.sourceName(), e.getMessage(), e);
        }
    }
}
