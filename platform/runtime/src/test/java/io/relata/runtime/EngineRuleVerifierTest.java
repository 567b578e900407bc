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
 * The loader with the real rule engine, as the platform wires it: failing examples and a runaway example
 * (stopped by its statements) are reported in the same list as a typo in another file.
 */
class EngineRuleVerifierTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static final MetadataFile DEAL = new MetadataFile("metadata/entities/deal.yaml", """
            name: deal
            label: {en: Deal}
            pluralLabel: {en: Deals}
            fields:
              name: {type: text, label: {en: Name}}
              amount: {type: money, label: {en: Amount}}
              score: {type: integer, label: {en: Score}, computed: "record.amount > 100 ? 2 : 1"}
            examples:
              - {name: big deal, record: {name: A, amount: 500}, expect: {values: {score: 3}}}
            """);

    private static final MetadataFile LOOP = new MetadataFile("metadata/entities/loop.yaml", """
            name: loop
            label: {en: Loop}
            pluralLabel: {en: Loops}
            fields:
              name: {type: text, label: {en: Name}}
            rules:
              - {name: spin, validation: "while (true) {} return null;"}
            examples:
              - {name: spinning, record: {name: B}, expect: {noErrors: true}}
            """);

    private static List<MetadataProblem> problems(MetadataFile... files) {
        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> new MetadataLoader(new EngineRuleVerifier(engine)).load(List.of(files)));
        assertThat(e).as("expected a MetadataException").isNotNull();
        return e.problems();
    }

    @Test
    void failingExamplesAreReportedTogetherWithAProblemOfAnotherFile() {
        MetadataFile role = new MetadataFile("metadata/roles/sales.yaml", "name: sales\nlabel: {en: Sales}\nentities: {deel: {read: all}}\n");

        assertThat(problems(DEAL, LOOP, role)).extracting(MetadataProblem::toString).containsExactly(
                "metadata/entities/deal.yaml:9:5: [RULE_EXAMPLE_FAILED] Example 'big deal' expected score to be 3 but got 2"
                        + " Fix: Correct the rule, or the example's expect if the rule is right.",
                "metadata/entities/loop.yaml:7:38: [RULE_FAILED] Example 'spinning': The rule 'spin' failed: it ran more than"
                        + " 100000 statements. Fix: Make the rule handle this record (values may be null) and return what its"
                        + " kind expects (see docs/rules.md).",
                "metadata/roles/sales.yaml:3:12: [UNKNOWN_GRANT_ENTITY] Role 'sales' grants access to entity 'deel', which"
                        + " does not exist. Fix: did you mean 'deal'? use one of: deal, loop.");
    }
}
