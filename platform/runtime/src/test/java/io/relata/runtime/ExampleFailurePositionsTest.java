package io.relata.runtime;

import io.relata.runtime.EngineRuleVerifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.MetadataProblem;
import io.relata.rules.RuleEngine;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runtime errors of rules found by running examples at load point at the line of the rule's text that caused
 * them, in the YAML file or the script file, as thrown errors and endless loops do: also the errors GraalJS
 * reports without a position (an assignment to the read-only record) and results of the wrong kind.
 */
class ExampleFailurePositionsTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static final String DEAL = """
            name: deal
            label: {en: Deal}
            pluralLabel: {en: Deals}
            fields:
              name: {type: text, label: {en: Name}}
              score: {type: integer, label: {en: Score}}
            rules:
            %s
            examples:
              - {name: a deal, record: {name: A}, expect: {noErrors: true}}
            """;

    private static MetadataProblem only(MetadataFile... files) {
        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> new MetadataLoader(new EngineRuleVerifier(engine)).load(List.of(files)));
        assertThat(e).as("expected a MetadataException").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void assigningToTheRecordInAnInlineRulePointsAtTheAssignmentsLine() {
        MetadataProblem problem = only(new MetadataFile("metadata/entities/deal.yaml", DEAL.formatted("""
                  - name: sets
                    validation: |
                      const a = 1;
                      record.score = 5;
                      return null;
                """)));

        assertThat(problem.code()).isEqualTo("RULE_FAILED");
        assertThat(problem.line()).isEqualTo(11);
        assertThat(problem.message()).contains("Cannot add new property \"score\"");
    }

    @Test
    void aScoreFileReturningTextPointsAtItsReturn() {
        MetadataProblem problem = only(new MetadataFile("metadata/entities/deal.yaml", DEAL.formatted("""
                  - {name: grade, score: {file: deal.score.js}, field: score}
                """)), new MetadataFile("metadata/entities/deal.score.js", """
                // grades a deal
                if (record.name) {
                  return 'high';
                }
                return 1;
                """));

        assertThat(problem.file()).isEqualTo("metadata/entities/deal.score.js");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.column()).isEqualTo(3);
        assertThat(problem.message()).contains("returned 'high'");
    }
}
