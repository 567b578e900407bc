package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static io.relata.metadata.ProcessFixtures.CHECK;
import static io.relata.metadata.ProcessFixtures.DIALOG_FILE;
import static io.relata.metadata.ProcessFixtures.FLOW;
import static io.relata.metadata.ProcessFixtures.PROCESS_FILE;
import static io.relata.metadata.ProcessFixtures.TEMPLATE_FILE;
import static io.relata.metadata.ProcessFixtures.assertAt;
import static io.relata.metadata.ProcessFixtures.dialog;
import static io.relata.metadata.ProcessFixtures.process;
import static io.relata.metadata.ProcessFixtures.withBase;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks for metadata that loaded although it could not work as meant: dialogs that never finish, phases no
 * record reaches, durations beyond any sense, placeholders that do not render as written, misspelt phase names
 * in the phase list, and suggestions that would not be valid themselves.
 */
class MissingChecksTest {

    // ---- dialogs ------------------------------------------------------------------------------------------

    @Test
    void aDialogWhoseStepsLeadInACircleNeverFinishes() {
        String yaml = CHECK.replace("""
                      - {field: amount, required: true}
                """, """
                      - {field: amount, required: true}
                    next: [{step: detail}]
                """).replace("""
                    validation: "record.notes ? true : {notes: 'Say something'}"
                """, """
                    validation: "record.notes ? true : {notes: 'Say something'}"
                    next: [{step: fast}]
                """).replace("""
                      - {when: record.urgent, step: fast}
                      - {step: detail}
                """, """
                      - {step: fast}
                """);

        MetadataProblem problem = onlyProblem(withBase(process(FLOW), dialog(yaml)));

        assertAt(problem, DIALOG_FILE, yaml, "fast}]\n", ProblemCode.DIALOG_NEVER_FINISHES);
        assertThat(problem.message()).contains("No path through this dialog reaches the summary",
                "fast → detail → fast");
        assertThat(problem.fix()).contains("'when'", "step: null");
    }

    @Test
    void aLoopAfterAConditionalBranchIsReportedFromTheStepWhereItStarts() {
        String yaml = CHECK.replace("""
                      - {field: amount, required: true}
                """, """
                      - {field: amount, required: true}
                    next: [{step: fast}]
                """);

        MetadataProblem problem = onlyProblem(withBase(process(FLOW), dialog(yaml)));

        assertAt(problem, DIALOG_FILE, yaml, "fast}]\n", ProblemCode.DIALOG_NEVER_FINISHES);
        assertThat(problem.message()).contains("Once at step 'fast', no path reaches the summary", "fast → fast");
    }

    @Test
    void aConditionalBranchBackLeavesTheSummaryReachable() throws MetadataException {
        String yaml = CHECK.replace("""
                      - {field: amount, required: true}
                """, """
                      - {field: amount, required: true}
                    next: [{when: record.urgent, step: detail}]
                """);

        new MetadataLoader().load(List.of(withBase(process(FLOW), dialog(yaml))));
    }

    // ---- processes ----------------------------------------------------------------------------------------

    @Test
    void aClosingPhaseNoTransitionLeadsToIsAnError() {
        String yaml = FLOW.replace("  - {from: offered, to: won}\n", "");

        MetadataProblem problem = onlyProblem(withBase(process(yaml)));

        assertAt(problem, PROCESS_FILE, yaml, "won\n", ProblemCode.PHASE_UNREACHABLE);
        assertThat(problem.message()).contains("Phase 'won', a closing phase, cannot be reached", "'open', the first "
                + "phase", "no case can ever end there");
        assertThat(problem.fix()).contains("'- {from: offered, to: won}'");
    }

    @Test
    void anOpenPhaseNoTransitionLeadsToIsAWarning() throws MetadataException {
        String yaml = FLOW.replace("  - {from: open, to: offered}\n", "  - {from: open, to: won}\n");

        MetadataLoader.Loaded loaded = new MetadataLoader().loadWithWarnings(List.of(withBase(process(yaml))));

        assertThat(loaded.warnings()).singleElement().satisfies(warning -> {
            assertAt(warning, PROCESS_FILE, yaml, "offered\n", ProblemCode.PHASE_UNREACHABLE);
            assertThat(warning.message()).contains("Phase 'offered' cannot be reached");
            assertThat(warning.fix()).contains("'- {from: open, to: offered}'", "or remove the phase");
        });
    }

    @Test
    void theShippedProcessesReachEveryPhase() throws Exception {
        MetadataLoader.Loaded loaded = new MetadataLoader().loadWithWarnings(
                MetadataFiles.read(List.of(ShippedMetadataTest.METADATA), MetadataLimits.DEFAULT));

        assertThat(loaded.warnings()).extracting(MetadataProblem::code)
                .doesNotContain("PHASE_UNREACHABLE", "UNKNOWN_FOLDER", "PLACEHOLDER_STYLE");
    }

    @Test
    void aDurationBeyondTenYearsIsRefusedWithTheMaximum() {
        for (String duration : List.of("P99999999999999D", "P9999999999999999999D", "PT999999999999H", "P3654D")) {
            String yaml = FLOW.replace("  - name: offered\n", """
                      - name: offered
                        timers:
                          - {name: wait, after: %s, do: [{move: lost}]}
                    """.formatted(duration));

            MetadataProblem problem = onlyProblem(withBase(process(yaml)));

            assertAt(problem, PROCESS_FILE, yaml, duration, ProblemCode.DURATION_TOO_LONG);
            assertThat(problem.message()).contains(duration, "longer than the ten years ('P3653D')");
            assertThat(problem.fix()).contains("at most 'P3653D'");
        }
    }

    @Test
    void aTimerCountsFromAPhaseEntryOrFromADateFieldAndSaysWhichClearly() {
        String template = FLOW.replace("  - name: offered\n", """
                  - name: offered
                    timers:
                      - {name: remind, %s, do: [{move: lost}]}
                """);
        record Case(String timer, String needle, ProblemCode code, String message, String fix) {
        }
        for (Case c : List.of(
                new Case("label: {en: Remind}", "{name: remind", ProblemCode.MISSING_KEY,
                        "says neither 'after' nor 'before'", "'before: P60D' with 'of: end_date'"),
                new Case("after: P1D, before: P2D", "before", ProblemCode.INVALID_VALUE, "has both 'after' and 'before'",
                        "keep one"),
                new Case("before: P2D", "before", ProblemCode.MISSING_KEY, "fires 'before', but not before which date",
                        "add 'of:'"),
                new Case("before: P2D, of: amount", "amount", ProblemCode.FIELD_TYPE_MISMATCH,
                        "counts from field 'amount', which has type money", "use a date or date-time field: signed_on."),
                new Case("after: P2D, of: closes_on", "closes_on", ProblemCode.UNKNOWN_FIELD,
                        "counts from field 'closes_on', which entity 'deal' does not have", "use one of"))) {
            String yaml = template.formatted(c.timer());

            MetadataProblem problem = onlyProblem(withBase(process(yaml)));

            assertAt(problem, PROCESS_FILE, yaml, c.needle(), c.code());
            assertThat(problem.message()).as(c.timer()).contains(c.message());
            assertThat(problem.fix()).as(c.timer()).contains(c.fix());
        }
    }

    @Test
    void anIntegrationsAnswerGoesIntoFieldsTheEntityHas() {
        String yaml = FLOW.replace("  - name: offered\n", """
                  - name: offered
                    onEnter:
                      - integration: {name: credit_check, operation: check, answer: {amount: limit, verdict: decision}}
                """);

        MetadataProblem problem = onlyProblem(withBase(process(yaml)));

        assertAt(problem, PROCESS_FILE, yaml, "verdict", ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.message()).contains("sets 'verdict', which is not a field of entity 'deal'");
    }

    @Test
    void tenYearsAreAccepted() throws MetadataException {
        String yaml = FLOW.replace("  - name: offered\n", """
                  - name: offered
                    timers:
                      - {name: wait, after: P3653D, do: [{move: lost}]}
                """);

        new MetadataLoader().load(List.of(withBase(process(yaml))));
    }

    // ---- placeholders -------------------------------------------------------------------------------------

    private static String subject(String text) {
        return ProcessFixtures.WELCOME.replace("subject: {en: 'Welcome, {{record.name}}'}", "subject: {en: '" + text + "'}");
    }

    private static MetadataProblem onlyTemplateProblem(String yaml) {
        return onlyProblem(new MetadataFile("metadata/entities/deal.yaml", ProcessFixtures.DEAL),
                new MetadataFile(TEMPLATE_FILE, yaml));
    }

    @Test
    void aSpaceInsideAPlaceholderNameIsReportedAtTheSpace() {
        String yaml = subject("Hi {{record. name}}");

        MetadataProblem problem = onlyTemplateProblem(yaml);

        assertAt(problem, TEMPLATE_FILE, yaml, " name}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.message()).contains("'{{record. name}}'", "space inside its name", "renders empty");
        assertThat(problem.fix()).contains("'{{record.name}}'");
    }

    @Test
    void spacesAroundANameRenderAndAreAccepted() throws MetadataException {
        new MetadataLoader().load(List.of(new MetadataFile("metadata/entities/deal.yaml", ProcessFixtures.DEAL),
                new MetadataFile(TEMPLATE_FILE, subject("Hi {{ record.name }}{{# record.email }}!{{/ record.email }}"))));
    }

    @Test
    void aSpaceBeforeAnAmpersandRendersNothingAndIsReportedAtTheAmpersand() {
        String yaml = subject("Hi {{ &record.name}}");

        MetadataProblem problem = onlyTemplateProblem(yaml);

        assertAt(problem, TEMPLATE_FILE, yaml, "&record", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.fix()).contains("'{{record.name}}'");
    }

    @Test
    void aThirdClosingBraceIsReportedWhereItStands() {
        String yaml = subject("Hi {{record.name}}}!");

        MetadataProblem problem = onlyTemplateProblem(yaml);

        assertAt(problem, TEMPLATE_FILE, yaml, "}!", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.message()).contains("printed as text");
        assertThat(problem.fix()).contains("{{record.name}}");
    }

    @Test
    void tripleBracesRenderButAreAWarningAtTheirPosition() throws MetadataException {
        String yaml = subject("Hi {{{record.name}}}");

        MetadataLoader.Loaded loaded = new MetadataLoader().loadWithWarnings(List.of(
                new MetadataFile("metadata/entities/deal.yaml", ProcessFixtures.DEAL), new MetadataFile(TEMPLATE_FILE, yaml)));

        assertThat(loaded.warnings()).singleElement().satisfies(warning -> {
            assertAt(warning, TEMPLATE_FILE, yaml, "{{{", ProblemCode.PLACEHOLDER_STYLE);
            assertThat(warning.message()).contains("three braces", "'{{record.name}}'");
            assertThat(warning.fix()).isEqualTo("write '{{record.name}}'.");
        });
    }

    // ---- phase typos and suggestions ----------------------------------------------------------------------

    @Test
    void aPhaseMisspeltInThePhaseListAndOneTransitionIsReportedAtThePhaseList() {
        String yaml = FLOW.replace("  - name: offered\n", "  - name: offerd\n")
                .replace("{from: open, to: offered}", "{from: open, to: offerd}")
                .replace("  - {from: '*', to: lost}", "  - {from: '*', to: lost}\n  - {from: lost, to: offered}");

        MetadataProblem problem = onlyProblem(withBase(process(yaml)));

        assertAt(problem, PROCESS_FILE, yaml, "offerd", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.message()).contains("Phase 'offerd' is misspelt", "'offered', named at lines 15 and 17",
                "'offerd' is also written at line 14");
        assertThat(problem.fix()).isEqualTo("rename the phase to 'offered', and write 'offered' instead of 'offerd' at "
                + "line 14.");
    }

    @Test
    void aTransitionMisspeltWhileTheRightPhaseIsNamedElsewhereSuggestsThePhase() {
        String yaml = FLOW.replace("{from: offered, to: won}", "{from: ofered, to: won}");

        MetadataProblem problem = onlyProblem(withBase(process(yaml)));

        assertAt(problem, PROCESS_FILE, yaml, "ofered", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.fix()).contains("did you mean 'offered'?");
    }

    @Test
    void aNameWithASpaceIsNeverSuggested() {
        String yaml = CHECK.replace("  - name: fast\n", "  - name: fast step\n").replace("step: fast}", "step: fast_step}");

        List<MetadataProblem> problems = problems(withBase(process(FLOW), dialog(yaml)));

        assertThat(problems).extracting(MetadataProblem::code).contains("UNKNOWN_STEP");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).doesNotContain("did you mean 'fast step'"));
    }

    @Test
    void suggestionsAreOnlyNamesTheSchemasAccept() {
        assertThat(Suggestions.closest("first_nme", List.of("first name", "last_name", ""))).isEmpty();
        assertThat(Suggestions.closest("lable", List.of("label", "la bel"))).contains("label");
        assertThat(Suggestions.closest("lead.scor.js", List.of("lead.score.js"))).contains("lead.score.js");
        assertThat(Suggestions.closest("long_text", List.of("long-text"))).contains("long-text");
    }
}
