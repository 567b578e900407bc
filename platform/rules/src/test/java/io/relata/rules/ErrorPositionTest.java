package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleKind;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Syntax and runtime errors point at the file, line and column an admin wrote them at. */
class ErrorPositionTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** An inline rule whose first line starts at line 20, column 15 of the YAML file. */
    private static RuleDefinition inline(String source) {
        return validation("inline", source);
    }

    /** A rule in its own file: starts at 1:1. */
    private static RuleDefinition file(String source) {
        return new RuleDefinition("from file", RuleKind.VALIDATION, null, null, source,
                "metadata/entities/lead.rules.js", new SourceLocation("metadata/entities/lead.rules.js", 1, 1));
    }

    private static String failureLocation(RuleDefinition rule) {
        try {
            engine.evaluate(newRecord(lead(rule), values("name", "Anna")));
        } catch (RuleFailedException e) {
            return e.location();
        }
        throw new AssertionError("the rule did not fail");
    }

    @Test
    void syntaxErrorOnTheFirstLineOfAnInlineRuleShiftsTheColumn() {
        List<RuleProblem> problems = engine.check(lead(inline("record.name ==== 'x'")));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(RuleProblem.RULE_SYNTAX);
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.line()).isEqualTo(20);
            // the fourth '=' is column 16 of the script; the script starts at column 15
            assertThat(p.column()).isEqualTo(15 + "record.name ===".length());
            assertThat(p.message()).startsWith("The rule 'inline' is not valid JavaScript: ").doesNotContain("lead.yaml:");
        });
    }

    @Test
    void syntaxErrorOnALaterLineOfAnInlineRuleKeepsTheColumn() {
        List<RuleProblem> problems = engine.check(lead(inline("""
                const a = 1;
                const b = ;
                return a;""")));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(21);
            assertThat(p.column()).isEqualTo(11);
        });
    }

    @Test
    void unfinishedExpressionPointsAtTheEndOfTheRule() {
        List<RuleProblem> problems = engine.check(lead(inline("record.amount +")));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(RuleProblem.RULE_SYNTAX);
            assertThat(p.line()).isEqualTo(20);
            assertThat(p.column()).isEqualTo(15 + "record.amount +".length());
        });
    }

    @Test
    void syntaxErrorInAFileRuleUsesTheFilePositions() {
        List<RuleProblem> problems = engine.check(lead(file("""
                // checks the amount
                if (record.amount > 10 {
                  return 'too much';
                }""")));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("metadata/entities/lead.rules.js");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(24);
        });
    }

    @Test
    void thrownErrorInAMultiLineInlineRuleMapsToItsLine() {
        assertThat(failureLocation(inline("""
                const a = 1;
                if (record.name === 'Anna') {
                    throw new Error('no Annas');
                }
                return null;"""))).isEqualTo(FILE + ":22:11");
    }

    @Test
    void thrownErrorOnTheFirstLineShiftsTheColumn() {
        // the failing property read starts where the expression starts: script column 5 → file column 19
        assertThat(failureLocation(inline("1 + record.name.nope.deeper"))).isEqualTo(FILE + ":20:19");
    }

    @Test
    void thrownErrorInAFileRuleMapsToTheFileLine() {
        assertThat(failureLocation(file("""
                function check(r) {
                  throw new Error('bad ' + r.name);
                }
                return check(record);"""))).isEqualTo("metadata/entities/lead.rules.js:2:9");
    }

    @Test
    void errorInsideAHelperPointsAtTheRuleLineThatCalledIt() {
        assertThat(failureLocation(inline("""
                const d = record.name;
                return addDays(d, 1);"""))).isEqualTo(FILE + ":21:8");
    }

    @Test
    void addingAFieldToTheReadOnlyRecordPointsAtTheAssignment() {
        // GraalJS gives this TypeError no position; the assignment is found in the rule's text
        assertThat(failureLocation(inline("""
                const a = {};
                // record.nme = 1 in a comment does not count
                record.nme = 'x';
                return null;"""))).isEqualTo(FILE + ":22:1");
    }

    @Test
    void assigningToAFieldOfTheReadOnlyRecordInAFilePointsAtTheAssignment() {
        assertThat(failureLocation(file("""
                // sets the name
                const note = 'record.name = 1';
                if (record.name) {
                  record['name'] += '!';
                }
                return null;"""))).isEqualTo("metadata/entities/lead.rules.js:4:3");
    }

    @Test
    void aScoreReturningTextPointsAtTheReturnThatGaveIt() {
        RuleDefinition score = new RuleDefinition("grade", RuleKind.SCORE, "score", null, """
                // grades a lead
                if (record.vip) {
                  return 'high';
                }
                return 10;""", "metadata/entities/lead.score.js", new SourceLocation("metadata/entities/lead.score.js", 1, 1));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead(score), values("name", "Anna", "vip", true))))
                .isInstanceOfSatisfying(RuleFailedException.class, e -> {
                    assertThat(e.location()).isEqualTo("metadata/entities/lead.score.js:3:3");
                    assertThat(e.getMessage()).contains("returned 'high'");
                });
    }

    @Test
    void aScoreReturningAComputedTextPointsAtItsLastReturn() {
        assertThatThrownBy(() -> engine.evaluate(newRecord(lead(new RuleDefinition("grade", RuleKind.SCORE, "score",
                null, "const s = 'x' + record.name;\nif (!s) { return 0; }\nreturn s;", FILE, START)), values("name", "Anna"))))
                .isInstanceOfSatisfying(RuleFailedException.class,
                        e -> assertThat(e.location()).isEqualTo(FILE + ":22:1"));
    }

    @Test
    void failureMessageNamesTheRuleTheDetailAndTheLocation() {
        EntityDefinition lead = lead(inline("""
                const a = 1;
                throw new Error('Boom happened');
                return a;"""));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values())))
                .isInstanceOf(RuleFailedException.class)
                .hasMessage("The rule 'inline' could not be applied (Error: Boom happened); nothing was saved. An "
                        + "administrator can find it at " + FILE + ":21:7.")
                .satisfies(e -> assertThat(((RuleFailedException) e).rule()).isEqualTo("inline"));
    }

    @Test
    void evaluationAfterAFailureOnTheSameThreadWorks() {
        failureLocation(inline("throw new Error('x')"));
        assertThat(engine.evaluate(newRecord(lead(inline("record.name")), values("name", "Anna"))).errors())
                .extracting(e -> e.message()).containsExactly("Anna");
    }
}
