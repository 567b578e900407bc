package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules that are not an entity's own: process guards, conditions and set-field expressions. */
class StandaloneRulesTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The entity's own rules do not run with a standalone rule. */
    private static final EntityDefinition LEAD = lead(validation("always fails", "'entity rule ran'"));

    private static RuleInput input(Object... keysAndValues) {
        return new RuleInput(LEAD, values(keysAndValues), values("stage", "new"), MARIA, RuleInput.RecordLookup.NONE);
    }

    @Test
    void aGuardRefusesWithItsMessageAndSeesThePreviousValues() {
        RuleDefinition guard = rule("won needs amount", RuleKind.VALIDATION, null,
                "record.amount > 0 || {amount: 'A won deal needs an amount (was ' + previous.stage + ')'}");

        assertThat(engine.validate(guard, input("stage", "won"))).containsExactly(
                new FieldError("amount", "rule", "A won deal needs an amount (was new)"));
        assertThat(engine.validate(guard, input("stage", "won", "amount", new BigDecimal("10")))).isEmpty();
    }

    @Test
    void aConditionIsItsJavaScriptTruthiness() {
        RuleDefinition booked = rule("booked", RuleKind.CONDITION, null, "record.close_date != null && user.roles.includes('sales')");

        assertThat(engine.test(booked, input("close_date", LocalDate.of(2025, 4, 1)))).isTrue();
        assertThat(engine.test(booked, input("name", "x"))).isFalse();
        assertThat(engine.test(rule("count", RuleKind.CONDITION, null, "record.employees"), input("employees", 0L))).isFalse();
        assertThat(engine.test(rule("text", RuleKind.CONDITION, null, "record.name"), input("name", "a"))).isTrue();
    }

    @Test
    void anExpressionGivesAValueOfItsFieldsType() {
        RuleDefinition followUp = rule("follow up", RuleKind.COMPUTED, "follow_up", "addDays(today, 14)");
        RuleDefinition total = rule("total", RuleKind.COMPUTED, "total", "record.amount * 2");

        assertThat(engine.compute(followUp, input())).isEqualTo(LocalDate.of(2025, 3, 28));
        assertThat((BigDecimal) engine.compute(total, input("amount", new BigDecimal("21.5"))))
                .isEqualByComparingTo("43");
    }

    @Test
    void aFailingStandaloneRuleNamesItsPosition() {
        RuleDefinition broken = rule("broken condition", RuleKind.CONDITION, null, "record.name.length > 2");

        assertThatThrownBy(() -> engine.test(broken, input()))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("broken condition")
                .hasMessageContaining(FILE + ":20:");
    }

    @Test
    void eachCallRunsOnlyRulesOfItsKind() {
        RuleDefinition condition = rule("c", RuleKind.CONDITION, null, "true");
        assertThatThrownBy(() -> engine.validate(condition, input())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("condition");
        assertThatThrownBy(() -> engine.compute(validation("v", "true"), input()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkCompilesConditionsWithoutAField() {
        EntityDefinition withConditions = LEAD.withRules(List.of(
                rule("fine", RuleKind.CONDITION, null, "record.vip"),
                rule("broken", RuleKind.CONDITION, null, "record.vip &&")));

        List<RuleProblem> problems = engine.check(withConditions);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).code()).isEqualTo(RuleProblem.RULE_SYNTAX);
        assertThat(problems.get(0).message()).contains("broken");
    }
}
