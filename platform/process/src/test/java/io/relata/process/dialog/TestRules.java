package io.relata.process.dialog;

import io.relata.api.record.FieldError;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.rules.RuleEngine;
import java.util.List;

/**
 * The standalone-rule methods of {@link RecordRules} on the real {@link RuleEngine}, until the engine has them
 * itself: the rule is run as the only rule of the input's entity. A condition runs as a visibleWhen rule of a
 * field no entity has, whose "visible" is the condition's truthiness.
 */
final class TestRules implements RecordRules {

    private static final String CONDITION_FIELD = "__condition";

    private final RuleEngine engine;

    TestRules(RuleEngine engine) {
        this.engine = engine;
    }

    @Override
    public RuleOutcome evaluate(RuleInput input) {
        return engine.evaluate(input);
    }

    @Override
    public List<FieldError> validate(RuleDefinition rule, RuleInput input) {
        if (rule.kind() != RuleKind.VALIDATION) {
            throw new IllegalArgumentException(rule.name() + " is a " + rule.kind() + " rule, not a validation");
        }
        return engine.evaluate(only(rule, input)).errors();
    }

    @Override
    public boolean test(RuleDefinition rule, RuleInput input) {
        if (rule.kind() != RuleKind.CONDITION) {
            throw new IllegalArgumentException(rule.name() + " is a " + rule.kind() + " rule, not a condition");
        }
        RuleDefinition asVisibility = new RuleDefinition(rule.name(), RuleKind.VISIBLE_WHEN, CONDITION_FIELD, null,
                rule.source(), rule.sourceName(), rule.start());
        return engine.evaluate(only(asVisibility, input)).visible().get(CONDITION_FIELD);
    }

    private static RuleInput only(RuleDefinition rule, RuleInput input) {
        return new RuleInput(input.entity().withRules(List.of(rule)), input.values(), input.previous(), input.actor(),
                input.lookup());
    }
}
