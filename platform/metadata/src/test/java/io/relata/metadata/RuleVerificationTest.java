package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.RuleProblemsTest.FILE;
import static io.relata.metadata.RuleProblemsTest.deal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.ProcessDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pass 3: the loader asks a {@link RuleVerifier} whether scripts compile and examples hold for everything that
 * was built, also when other files have problems, and says where examples were not run and why. The verifier
 * here stands in for the rule engine: it fails every example and, on request, every rule of an entity.
 */
class RuleVerificationTest {

    /** Lines 10–13 after the deal fixture: one rule and one example. */
    private static final String RULE_AND_EXAMPLE = """
            rules:
              - {name: big, validation: "record.amount < 1000"}
            examples:
              - {name: small deal, record: {name: A, amount: 5}, expect: {noErrors: true}}
            """;

    private static final class FakeRules implements RuleVerifier {
        final List<String> calls = new ArrayList<>();
        boolean rulesCompile = true;

        @Override
        public List<MetadataProblem> check(EntityDefinition entity) {
            calls.add("check " + entity.name());
            return rulesCompile ? List.of() : List.of(new MetadataProblem(FILE, 11, 29, "RULE_SYNTAX",
                    "The rule 'big' is not valid JavaScript.", "Correct the script."));
        }

        @Override
        public List<MetadataProblem> runExamples(EntityDefinition entity) {
            calls.add("examples " + entity.name());
            return entity.examples().stream().map(e -> new MetadataProblem(e.location().file(), e.location().line(),
                    e.location().column(), "RULE_EXAMPLE_FAILED", "Example '" + e.name() + "' failed.", "Fix it.")).toList();
        }

        @Override
        public List<MetadataProblem> check(EntityDefinition entity, ProcessDefinition process) {
            calls.add("process " + process.name());
            return List.of();
        }

        @Override
        public List<MetadataProblem> check(EntityDefinition entity, DialogDefinition dialog) {
            calls.add("dialog " + dialog.name());
            return List.of();
        }
    }

    private static List<MetadataProblem> problems(RuleVerifier rules, MetadataFile... files) {
        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> new MetadataLoader(rules).load(List.of(files)));
        assertThat(e).as("expected a MetadataException").isNotNull();
        return e.problems();
    }

    @Test
    void examplesRunAndFailAlongsideAnUnrelatedProblemInAnotherFile() {
        FakeRules rules = new FakeRules();
        MetadataFile brokenRole = new MetadataFile("metadata/roles/sales.yaml", "name: sales\nlable: {en: Sales}\n");

        List<MetadataProblem> problems = problems(rules, deal(RULE_AND_EXAMPLE), brokenRole);

        assertThat(problems).extracting(MetadataProblem::file, MetadataProblem::line, MetadataProblem::code).containsExactly(
                tuple(FILE, 13, "RULE_EXAMPLE_FAILED"),
                tuple("metadata/roles/sales.yaml", 1, "MISSING_KEY"),
                tuple("metadata/roles/sales.yaml", 2, "UNKNOWN_KEY"));
        assertThat(rules.calls).containsExactly("check deal", "examples deal");
    }

    @Test
    void examplesOfAFileWithProblemsAreNotRunAndTheListSaysWhy() {
        FakeRules rules = new FakeRules();
        String yaml = RuleProblemsTest.DEAL.replace("  amount: {type: money", "  amount: {type: mony") + RULE_AND_EXAMPLE;

        List<MetadataProblem> problems = problems(rules, new MetadataFile(FILE, yaml));

        assertThat(problems).extracting(MetadataProblem::code).containsExactly("UNKNOWN_FIELD_TYPE", "EXAMPLES_NOT_RUN");
        MetadataProblem notRun = problems.get(1);
        assertAt(notRun, FILE, 12, 1, ProblemCode.EXAMPLES_NOT_RUN);
        assertThat(notRun.message()).isEqualTo("The example of this file was not run: this file has other problems.");
        assertThat(notRun.fix()).isEqualTo("fix the problems listed for this file; the examples run at the next load.");
        assertThat(rules.calls).isEmpty();
    }

    @Test
    void examplesOfAnEntityWhoseRulesDoNotCompileAreNotRunAndTheListSaysWhy() {
        FakeRules rules = new FakeRules();
        rules.rulesCompile = false;

        List<MetadataProblem> problems = problems(rules, deal(RULE_AND_EXAMPLE));

        assertThat(problems).extracting(MetadataProblem::code).containsExactly("RULE_SYNTAX", "EXAMPLES_NOT_RUN");
        assertAt(problems.get(1), FILE, 12, 1, ProblemCode.EXAMPLES_NOT_RUN);
        assertThat(problems.get(1).message()).isEqualTo(
                "The example of this file was not run: rules of the entity do not compile.");
        assertThat(problems.get(1).fix()).isEqualTo("fix the problems listed for its rules; the examples run at the next load.");
        assertThat(rules.calls).containsExactly("check deal");
    }

    @Test
    void scriptsOfProcessesAndDialogsAreCheckedWhenTheyWereBuilt() throws MetadataException {
        FakeRules rules = new FakeRules();

        new MetadataLoader(rules).load(List.of(ProcessFixtures.withBase(ProcessFixtures.process(ProcessFixtures.FLOW),
                ProcessFixtures.dialog(ProcessFixtures.CHECK))));

        assertThat(rules.calls).contains("check deal", "check note", "process deal_flow", "dialog deal_check")
                .doesNotContain("examples deal", "examples note");
    }

    @Test
    void withoutAVerifierOnlyTheStructureIsChecked() throws MetadataException {
        assertThat(new MetadataLoader().load(List.of(deal(RULE_AND_EXAMPLE))).entity("deal")).isPresent();
    }
}
