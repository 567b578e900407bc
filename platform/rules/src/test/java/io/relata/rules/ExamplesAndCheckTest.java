package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Metadata-load checks: rules parse and name real fields, examples hold. */
class ExamplesAndCheckTest {

    private static final SourceLocation EXAMPLE_AT = new SourceLocation(FILE, 60, 7);
    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static final List<RuleDefinition> RULES = List.of(
            validation("lost needs a reason",
                    "record.stage === 'lost' && !record.loss_reason ? {loss_reason: 'Say why.'} : null"),
            rule("stage default", RuleKind.DEFAULT, "stage", "'new'"),
            rule("total", RuleKind.COMPUTED, "total", "record.amount == null ? null : record.amount * 1.19"),
            rule("reason visible", RuleKind.VISIBLE_WHEN, "loss_reason", "record.stage === 'lost'"),
            rule("amount locked", RuleKind.READ_ONLY_WHEN, "amount", "!user.roles.includes('manager')"),
            new RuleDefinition("score", RuleKind.SCORE, "score", "score_reasons",
                    "record.company ? {score: 20, reasons: [{points: 20, reason: 'Company given'}]} : 0", FILE, START));

    private static RuleExample example(String name, Map<String, Object> record, List<String> roles,
                                       Map<String, Object> expect) {
        return new RuleExample(name, record, null, roles, expect, EXAMPLE_AT);
    }

    @Test
    void passingExamplesGiveNoProblems() {
        EntityDefinition lead = lead(RULES, List.of(
                example("lost needs a reason", Map.of("stage", "lost"), List.of(),
                        Map.of("errors", List.of("loss_reason"), "visible", Map.of("loss_reason", true))),
                example("a complete lead", Map.of("stage", "won", "amount", 100, "company", "ACME"), List.of("manager"),
                        Map.of("noErrors", true, "values", Map.of("total", 119.0, "stage", "won"),
                                "readOnly", Map.of("amount", false), "score", 20, "reasons", List.of("Company given"))),
                example("defaults", Map.of("amount", "10.5"), List.of(),
                        Map.of("values", Map.of("stage", "new", "total", "12.50"), "readOnly", Map.of("amount", true)))));

        assertThat(engine.runExamples(lead)).isEmpty();
    }

    @Test
    void everyMismatchIsReportedAtTheExample() {
        EntityDefinition lead = lead(RULES, List.of(
                example("lost needs a reason", Map.of("stage", "lost", "loss_reason", "price"), List.of(),
                        Map.of("errors", List.of("loss_reason"), "visible", Map.of("loss_reason", false),
                                "score", 5, "reasons", List.of("Company given"), "values", Map.of("total", 1)))));

        List<RuleProblem> problems = engine.runExamples(lead);

        assertThat(problems).allSatisfy(p -> {
            assertThat(p.code()).isEqualTo(RuleProblem.RULE_EXAMPLE_FAILED);
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.line()).isEqualTo(60);
            assertThat(p.column()).isEqualTo(7);
        });
        assertThat(problems).extracting(RuleProblem::message).containsExactlyInAnyOrder(
                "Example 'lost needs a reason' expected an error on loss_reason but got none",
                "Example 'lost needs a reason' expected loss_reason to be hidden but it is visible",
                "Example 'lost needs a reason' expected score 5 but got 0",
                "Example 'lost needs a reason' expected the reason 'Company given' but the reasons were: (none)",
                "Example 'lost needs a reason' expected total to be 1 but got nothing");
    }

    @Test
    void aValueTheRulesComputeOutsideTheFieldsLimitsFailsTheExample() {
        EntityDefinition plain = lead(RULES, List.of(
                example("big deal", Map.of("amount", 1000), List.of(), Map.of("values", Map.of("total", 1190)))));
        EntityDefinition limited = plain.withFields(plain.fields().stream()
                .map(f -> f.name().equals("total") ? f.withLimits(null, new java.math.BigDecimal("999.99"), null, null) : f)
                .toList());

        assertThat(engine.runExamples(plain)).isEmpty();
        assertThat(engine.runExamples(limited)).extracting(RuleProblem::message).containsExactly(
                "Example 'big deal': the rules set total to 1190, above the largest value 999.99 the field takes; "
                        + "every save with this outcome would be refused");
    }

    @Test
    void unexpectedErrorsAreReported() {
        EntityDefinition lead = lead(RULES, List.of(
                example("quiet", Map.of("stage", "lost"), List.of(), Map.of("noErrors", true))));

        assertThat(engine.runExamples(lead)).extracting(RuleProblem::message).containsExactly(
                "Example 'quiet' expected no errors but got one on loss_reason: Say why.");
    }

    @Test
    void failingRuleInAnExampleIsReportedAtTheRule() {
        EntityDefinition lead = lead(List.of(validation("throws", """
                const x = 1;
                return record.name.length > 3;""")), List.of(example("no name", Map.of(), List.of(), Map.of())));

        assertThat(engine.runExamples(lead)).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(RuleProblem.RULE_FAILED);
            assertThat(p.line()).isEqualTo(21);
            assertThat(p.message()).startsWith("Example 'no name': The rule 'throws' failed: TypeError");
        });
    }

    @Test
    void exampleWithAnUnknownFieldOrValueIsReported() {
        EntityDefinition lead = lead(RULES, List.of(
                example("typo", Map.of("amuont", 1), List.of(), Map.of()),
                example("bad date", Map.of("close_date", "tomorrow"), List.of(), Map.of()),
                example("bad key", Map.of(), List.of(), Map.of("warnings", List.of()))));

        assertThat(engine.runExamples(lead)).extracting(RuleProblem::message).containsExactly(
                "Example 'typo' cannot be run: 'amuont' is not a field of 'lead'.",
                "Example 'bad date' cannot be run: 'tomorrow' is not a valid date value for 'close_date'.",
                "Example 'bad key' has the unknown expectation 'warnings'.");
    }

    @Test
    void checkAcceptsValidRules() {
        assertThat(engine.check(lead(RULES, List.of()))).isEmpty();
    }

    @Test
    void checkReportsRulesAboutUnknownFields() {
        EntityDefinition lead = lead(rule("ghost", RuleKind.COMPUTED, "ghost_field", "1"),
                new RuleDefinition("score", RuleKind.SCORE, "score", "why", "1", FILE, START));

        assertThat(engine.check(lead)).extracting(RuleProblem::code, RuleProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RuleProblem.RULE_FAILED, "The computed rule 'ghost' of 'lead' is "
                        + "about the field 'ghost_field', which the entity does not have."),
                org.assertj.core.groups.Tuple.tuple(RuleProblem.RULE_FAILED, "The rule 'score' writes its reasons to "
                        + "'why', which is not a field of 'lead'."));
    }

    @Test
    void checkStopsCodeThatRunsWhileTheScriptLoads() {
        // a body that closes the wrapper function early and runs a loop at load time
        EntityDefinition lead = lead(validation("escape", "return 1 }), (function () { while (true) {} })(), (function () {"));

        assertThat(engine.check(lead)).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(RuleProblem.RULE_FAILED);
            assertThat(p.message()).contains("'escape'");
        });
    }

    @Test
    void modeSaysHowRulesRun() {
        assertThat(engine.mode()).startsWith("JavaScript rules run ").containsAnyOf("interpreted", "compiled");
        if (!Runtime.version().toString().startsWith("17") || !engine.mode().contains("compiled")) {
            assertThat(engine.mode()).matches("JavaScript rules run (interpreted|compiled) \\(GraalJS .*\\)");
        }
    }
}
