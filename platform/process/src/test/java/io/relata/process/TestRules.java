package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The real JavaScript rule engine for process tests (one per test run: a GraalJS engine is expensive), with a
 * clock that follows the current test's {@link MutableClock} so {@code today} moves with it.
 *
 * <p>{@link #rules()} runs standalone rules (guards, conditions, set-field expressions) with the engine's own
 * {@code validate}/{@code test}/{@code compute} if it has them, and otherwise through {@code evaluate} on the
 * entity carrying only that rule: a condition as a visibleWhen rule of a field name no entity has, an
 * expression as a computed rule of its field.
 */
final class TestRules {

    private static final String CONDITION_FIELD = "__condition";
    private static volatile Clock clock = Clock.systemUTC();
    private static final RuleEngine ENGINE = new RuleEngine(new RuleLimits(100_000, Duration.ofSeconds(10)),
            new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return clock.instant();
                }
            });

    private TestRules() {
    }

    static void useClock(Clock testClock) {
        clock = testClock;
    }

    static RecordRules rules() {
        return new ModelRules();
    }

    /** Standalone rules on the real engine. */
    private static final class ModelRules implements RecordRules {

        @Override
        public RuleOutcome evaluate(RuleInput input) {
            return ENGINE.evaluate(input);
        }

        @Override
        public List<FieldError> validate(RuleDefinition rule, RuleInput input) {
            try {
                return ENGINE.validate(rule, input);
            } catch (UnsupportedOperationException notYet) {
                return ENGINE.evaluate(only(input, as(rule, RuleKind.VALIDATION, null))).errors();
            }
        }

        @Override
        public boolean test(RuleDefinition rule, RuleInput input) {
            try {
                return ENGINE.test(rule, input);
            } catch (UnsupportedOperationException notYet) {
                RuleOutcome outcome = ENGINE.evaluate(only(input, as(rule, RuleKind.VISIBLE_WHEN, CONDITION_FIELD)));
                return Boolean.TRUE.equals(outcome.visible().get(CONDITION_FIELD));
            }
        }

        @Override
        public Object compute(RuleDefinition rule, RuleInput input) {
            try {
                return ENGINE.compute(rule, input);
            } catch (UnsupportedOperationException notYet) {
                return ENGINE.evaluate(only(input, as(rule, RuleKind.COMPUTED, rule.field()))).values().get(rule.field());
            }
        }

        private static RuleDefinition as(RuleDefinition rule, RuleKind kind, String field) {
            return new RuleDefinition(rule.name(), kind, field, null, rule.source(), rule.sourceName(), rule.start());
        }

        private static RuleInput only(RuleInput input, RuleDefinition rule) {
            EntityDefinition entity = input.entity().withRules(List.of(rule));
            return new RuleInput(entity, input.values(), input.previous(), input.actor(), input.lookup());
        }
    }
}
