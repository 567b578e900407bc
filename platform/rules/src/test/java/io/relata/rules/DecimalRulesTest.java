package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code decimal(x)} in rules: exact decimal arithmetic on the host's BigDecimal, so that money computed by rules
 * is what a calculator (and the tax office) gets, not what binary floating point gets.
 */
class DecimalRulesTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The value the computed rule {@code source} gives the money field {@code total}. */
    static Object total(RuleEngine engine, String source, Object... values) {
        EntityDefinition lead = lead(rule("total", RuleKind.COMPUTED, "total", source));
        RuleOutcome outcome = engine.evaluate(newRecord(lead, values(values)));
        return outcome.values().get("total");
    }

    private static Object total(String source, Object... values) {
        return total(engine, source, values);
    }

    @Test
    void aNetComputedWithDecimalIsExactWhereFloatingPointIsNot() {
        Object[] line = {"amount", new BigDecimal("0.145"), "employees", 3L};
        assertThat(total("record.amount * record.employees", line))
                .as("0.435 in floating point is 0.43499999999999994: rounded down")
                .isEqualTo(new BigDecimal("0.43"));
        assertThat(total("decimal(record.amount).times(record.employees)", line))
                .as("exact 0.435, rounded half-up to the money field's 2 decimals")
                .isEqualTo(new BigDecimal("0.44"));
    }

    @Test
    void chainsRoundingAndComparisons() {
        assertThat(total("decimal(record.amount).times(100 - 12.5).div(100, 4).round(2)", "amount", new BigDecimal("19.99")))
                .as("19.99 less 12.5 % = 17.49125").isEqualTo(new BigDecimal("17.49"));
        assertThat(total("decimal('2.345').round(2, 'half-even')")).isEqualTo(new BigDecimal("2.34"));
        assertThat(total("decimal('2.345').round(2)")).as("half-up by default").isEqualTo(new BigDecimal("2.35"));
        assertThat(total("decimal(1).div(3)")).as("div: 10 decimals, then the field's scale").isEqualTo(new BigDecimal("0.33"));
        assertThat(total("decimal(0.1).plus(0.2).eq(0.3) && !(0.1 + 0.2 === 0.3) ? 1 : 0")).isEqualTo(new BigDecimal("1.00"));
        assertThat(total("decimal(5).minus('7.25').lt(0) && decimal(2).gte(2) && decimal(3).gt('2.99') ? 1 : 0"))
                .isEqualTo(new BigDecimal("1.00"));
        assertThat(total("decimal(10).times(2) > 15 ? 1 : 0")).as("valueOf compares as a number").isEqualTo(new BigDecimal("1.00"));
        assertThat(total("'12.505'")).as("a decimal text is taken exactly").isEqualTo(new BigDecimal("12.51"));
        assertThat(total("JSON.stringify({v: decimal('1.50')}) === '{\"v\":\"1.50\"}' ? 1 : 0")).isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void wrongUseFailsTheRuleWithWhatToDo() {
        assertThatThrownBy(() -> total("decimal(record.amount)", "amount", null))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("decimal expects a number").hasMessageContaining("null");
        assertThatThrownBy(() -> total("decimal(1).div(0)")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("division by zero");
        assertThatThrownBy(() -> total("decimal('abc')")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("'abc' is not a number");
        assertThatThrownBy(() -> total("decimal(1).round(2, 'down')")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("'half-up'");
        assertThatThrownBy(() -> total("decimal(1).round(99)")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("0 to 32 decimals");
        assertThatThrownBy(() -> total("let d = decimal('1.0000001'); for (let i = 0; i < 100; i++) d = d.times(d); return d;"))
                .as("a number cannot grow until memory runs out").isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("more than 64 digits");
        assertThatThrownBy(() -> total("'abc'")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("which takes a number or a decimal");
    }

    @Test
    void decimalsAreFrozen() {
        assertThatThrownBy(() -> total("const d = decimal(1); d.text = '2'; return d;")).isInstanceOf(RuleFailedException.class);
        assertThatThrownBy(() -> total("Object.getPrototypeOf(decimal(1)).plus = () => 5; return 1;"))
                .isInstanceOf(RuleFailedException.class);
        assertThatThrownBy(() -> total("decimal.x = 1; return 1;")).isInstanceOf(RuleFailedException.class);
    }
}
