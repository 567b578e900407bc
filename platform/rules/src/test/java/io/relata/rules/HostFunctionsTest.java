package io.relata.rules;

import static io.relata.rules.Fixtures.CLOCK;
import static io.relata.rules.Fixtures.lead;
import static io.relata.rules.Fixtures.newRecord;
import static io.relata.rules.Fixtures.rule;
import static io.relata.rules.Fixtures.validation;
import static io.relata.rules.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules calling host functions (a plugin's rule functions) as {@code namespace.function(...)}. */
class HostFunctionsTest {

    private final RuleEngine engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    private final List<List<Object>> received = new ArrayList<>();

    /** insurance.premium(sum, rate), insurance.echo(x) and insurance.refuse() which throws. */
    private HostFunctions insurance(String version) {
        return new HostFunctions() {
            @Override
            public Map<String, List<String>> namespaces() {
                return Map.of("insurance", "2".equals(version) ? List.of("premium", "echo", "refuse", "discount")
                        : List.of("premium", "echo", "refuse"));
            }

            @Override
            public Object call(String namespace, String function, List<Object> arguments) {
                received.add(arguments);
                return switch (function) {
                    case "premium" -> ((BigDecimal) arguments.get(0)).multiply((BigDecimal) arguments.get(1));
                    case "echo" -> arguments.get(0);
                    case "discount" -> new BigDecimal("0.1");
                    default -> throw new IllegalArgumentException("the tariff table has no row for this age");
                };
            }

            @Override
            public String fingerprint() {
                return "insurance " + version;
            }
        };
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aComputedRuleCallsAPluginFunctionWithPlainValues() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(rule("premium", RuleKind.COMPUTED, "amount",
                "insurance.premium(record.total, 0.015)"));

        Object amount = engine.evaluate(newRecord(lead, values("total", new BigDecimal("200000")))).values().get("amount");

        assertThat(new BigDecimal(String.valueOf(amount))).isEqualByComparingTo("3000");
        assertThat(received).containsExactly(List.of(new BigDecimal("200000"), new BigDecimal("0.015")));
    }

    @Test
    void listsAndObjectsCrossAsPlainValuesAndComeBackFrozen() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(validation("roundtrip", """
                const back = insurance.echo({ages: [30, 31], name: 'Kim', vip: true, none: null});
                if (Object.isFrozen(back) && back.ages[1] === 31 && back.name === 'Kim') { return null; }
                return 'not the same';
                """));

        assertThat(engine.evaluate(newRecord(lead, values())).errors()).isEmpty();
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("ages", List.of(new BigDecimal("30"), new BigDecimal("31")));
        expected.put("name", "Kim");
        expected.put("vip", true);
        expected.put("none", null);
        assertThat(received.get(0).get(0)).isEqualTo(expected);
    }

    @Test
    void aFunctionThatRefusesFailsTheRuleWithItsMessage() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(rule("premium", RuleKind.COMPUTED, "amount", "insurance.refuse(record.employees)"));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values("employees", 3L))))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("insurance.refuse: the tariff table has no row for this age");
    }

    @Test
    void aRuleCannotHandAFunctionOrAHostObjectToTheHost() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(rule("premium", RuleKind.COMPUTED, "amount", "insurance.echo(() => 1)"));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values())))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("insurance.echo takes texts, numbers, true/false, null, lists and objects");
    }

    @Test
    void rulesThatDoNotNameANamespaceMayUseItsNameForThemselves() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(validation("own variable", "let insurance = 'none'; return record.name ? null : insurance;"));

        assertThat(engine.evaluate(newRecord(lead, values("name", null))).errors()).extracting(FieldError::message)
                .containsExactly("none");
    }

    @Test
    void aNamespaceThatIsNotInstalledIsAnUnknownName() {
        EntityDefinition lead = lead(rule("premium", RuleKind.COMPUTED, "amount", "insurance.premium(1, 2)"));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values())))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("insurance is not defined");
    }

    @Test
    void aFunctionAddedByANewVersionIsCallableAfterTheFunctionsChange() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(rule("discount", RuleKind.COMPUTED, "rating", "insurance.discount ? insurance.discount() : -1"));
        assertThat(new BigDecimal(String.valueOf(engine.evaluate(newRecord(lead, values())).values().get("rating"))))
                .isEqualByComparingTo("-1");

        engine.useFunctions(insurance("2"));

        assertThat(new BigDecimal(String.valueOf(engine.evaluate(newRecord(lead, values())).values().get("rating"))))
                .isEqualByComparingTo("0.1");
        assertThat(engine.functions().fingerprint()).isEqualTo("insurance 2");
    }

    @Test
    void aRuleCannotCloseItsWrapperToKeepStateWhenItNamesANamespace() {
        engine.useFunctions(insurance("1"));
        EntityDefinition lead = lead(rule("escape", RuleKind.COMPUTED, "amount",
                "return insurance.premium(1, 2);\n}); let kept = 0; return (function (record) {'use strict'; return kept++;"));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values())))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("closes the function it is wrapped in");
    }
}
