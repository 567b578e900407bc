package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static io.relata.metadata.ProcessFixtures.CHECK;
import static io.relata.metadata.ProcessFixtures.DIALOG_FILE;
import static io.relata.metadata.ProcessFixtures.FLOW;
import static io.relata.metadata.ProcessFixtures.assertAt;
import static io.relata.metadata.ProcessFixtures.dialog;
import static io.relata.metadata.ProcessFixtures.process;
import static io.relata.metadata.ProcessFixtures.withBase;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem code of dialog files: reported with file, line, column, the element and a fix. */
class DialogProblemsTest {

    private static MetadataProblem only(String yaml) {
        return onlyProblem(withBase(process(FLOW), dialog(yaml)));
    }

    private static List<MetadataProblem> all(String yaml) {
        return problems(withBase(process(FLOW), dialog(yaml)));
    }

    @Test
    void theFixtureLoads() throws MetadataException {
        assertThat(new MetadataLoader().load(List.of(withBase(process(FLOW), dialog(CHECK)))).dialogs())
                .containsOnlyKeys("deal_check");
    }

    @Test
    void dialogNameMustMatchTheFileName() {
        String yaml = CHECK.replace("name: deal_check", "name: dealcheck");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "dealcheck", ProblemCode.DIALOG_NAME_MISMATCH);
        assertThat(problem.fix()).contains("name: deal_check");
    }

    @Test
    void sameDialogInTwoDirectoriesIsReportedAtTheSecond() {
        MetadataProblem problem = onlyProblem(withBase(process(FLOW), dialog(CHECK),
                new MetadataFile("/opt/ext/dialogs/deal_check.yaml", CHECK)));
        assertAt(problem, "/opt/ext/dialogs/deal_check.yaml", CHECK, "deal_check", ProblemCode.DUPLICATE_DIALOG);
        assertThat(problem.message()).contains(DIALOG_FILE + ":1:7");
    }

    @Test
    void unknownEntitiesOfTheDialogAndOfRecordsToCreate() {
        String yaml = CHECK.replace("entity: deal", "entity: dael");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "dael", ProblemCode.UNKNOWN_ENTITY);
        assertThat(problem.fix()).contains("did you mean 'deal'?");

        String create = CHECK.replace("entity: note", "entity: note_book");
        problem = only(create);
        assertAt(problem, DIALOG_FILE, create, "note_book", ProblemCode.UNKNOWN_ENTITY);
        assertThat(problem.message()).contains("creates a record of entity 'note_book'");
    }

    @Test
    void stepsHaveUniqueNamesAndBranchesLeadToExistingSteps() {
        String duplicate = CHECK.replace("  - name: detail", "  - name: fast");
        List<MetadataProblem> problems = all(duplicate);
        assertThat(problems).extracting(MetadataProblem::code).contains("DUPLICATE_STEP");
        MetadataProblem problem = problems.stream().filter(p -> p.code().equals("DUPLICATE_STEP")).findFirst().orElseThrow();
        assertAt(problem, DIALOG_FILE, duplicate, "fast\n", 2, ProblemCode.DUPLICATE_STEP);
        assertThat(problem.message()).contains("line 13");

        String unknown = CHECK.replace("{step: detail}", "{step: detial}").replace("  - name: detail", "  - name: detial")
                .replace("step: fast}", "step: fats}");
        problem = only(unknown);
        assertAt(problem, DIALOG_FILE, unknown, "fats", ProblemCode.UNKNOWN_STEP);
        assertThat(problem.message()).contains("Branch 1 of step 'basics' leads to step 'fats'");
        assertThat(problem.fix()).contains("did you mean 'fast'?", "'step: null' for the summary");
    }

    @Test
    void everyStepMustBeReachableFromTheFirst() {
        String yaml = CHECK.replace("      - {when: record.urgent, step: fast}\n", "");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "fast\n", ProblemCode.UNREACHABLE_STEP);
        assertThat(problem.message()).contains("Step 'fast' is never shown", "from 'basics'");
        assertThat(problem.fix()).contains("step: fast}", "or remove the step");
    }

    @Test
    void aBranchAfterOneWithoutConditionIsNeverTaken() {
        String yaml = CHECK.replace("      - {when: record.urgent, step: fast}\n      - {step: detail}\n",
                "      - {step: detail}\n      - {when: record.urgent, step: fast}\n");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("UNREACHABLE_STEP", "UNREACHABLE_STEP");
        assertAt(problems.get(0), DIALOG_FILE, yaml, "{when: record.urgent", ProblemCode.UNREACHABLE_STEP);
        assertThat(problems.get(0).message()).contains("Branch 2 of step 'basics' is never taken", "branch 1 has no 'when'");
        assertAt(problems.get(1), DIALOG_FILE, yaml, "fast\n", ProblemCode.UNREACHABLE_STEP);
    }

    @Test
    void aFieldIsEitherOfTheEntityOrDialogOnlyWithTypeAndLabel() {
        String yaml = CHECK.replace("      - {field: name, required: true}\n", """
                      - {field: name, required: true}
                      - {required: true}
                      - {field: amount, name: total}
                      - {field: email, label: {en: Mail}}
                      - {name: budget}
                      - {name: flag, type: boolean, label: {en: Flag}, options: [{value: x, label: {en: X}}]}
                      - {name: size, type: choice, label: {en: Size}}
                      - {field: name}
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("DIALOG_FIELD_INVALID").hasSize(7);
        assertAt(problems.get(0), DIALOG_FILE, yaml, "{required: true}", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problems.get(0).message()).contains("Field 2 of step 'basics' has neither 'field' nor 'name'");
        assertAt(problems.get(1), DIALOG_FILE, yaml, "{field: amount, name", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problems.get(1).message()).contains("has both 'field' and 'name'");
        assertAt(problems.get(2), DIALOG_FILE, yaml, "label: {en: Mail}", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problems.get(2).message()).contains("its label comes from the entity");
        assertAt(problems.get(3), DIALOG_FILE, yaml, "{name: budget}", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problems.get(3).message()).contains("has no type and no label");
        assertAt(problems.get(4), DIALOG_FILE, yaml, "options: [{value: x", ProblemCode.DIALOG_FIELD_INVALID);
        assertAt(problems.get(5), DIALOG_FILE, yaml, "choice", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problems.get(5).message()).contains("of type choice has no 'options'");
        assertAt(problems.get(6), DIALOG_FILE, yaml, "{field: name}", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problems.get(6).message()).contains("asks 'name' twice (fields 1 and 8)");
    }

    @Test
    void oneDialogOnlyNameHoldsOneTypeAndMustNotShadowAnEntityField() {
        String twoTypes = CHECK.replace("{name: notes, type: long-text", "{name: urgent, type: text")
                .replace("record.notes ? true : {notes:", "record.urgent ? true : {urgent:")
                .replace("{{dialog.notes}}", "{{dialog.urgent}}");
        MetadataProblem problem = only(twoTypes);
        assertAt(problem, DIALOG_FILE, twoTypes, "text,", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problem.message()).contains("'urgent' is asked as text here but as boolean in an earlier step");

        String shadow = CHECK.replace("{name: notes, type: long-text", "{name: reason, type: long-text")
                .replace("record.notes ? true : {notes:", "record.reason ? true : {reason:")
                .replace("{{dialog.notes}}", "{{record.reason}}");
        problem = only(shadow);
        assertAt(problem, DIALOG_FILE, shadow, "reason,", ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problem.fix()).contains("{field: reason}");
    }

    @Test
    void dialogOnlyFieldsUseTheKnownTypes() {
        String yaml = CHECK.replace("type: boolean", "type: boolen");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "boolen", ProblemCode.UNKNOWN_FIELD_TYPE);
        assertThat(problem.message()).contains("Field 2 of step 1 has the unknown type 'boolen'");
        assertThat(problem.fix()).contains("did you mean 'boolean'?");
    }

    @Test
    void askedAndFinishedFieldsMustBeFieldsOfTheirEntities() {
        String yaml = CHECK.replace("{field: amount, required: true}", "{field: amout, required: true}")
                .replace("set: {language: en}", "set: {langauge: en}")
                .replace("deal: '{{record.id}}'", "deel: '{{record.id}}'");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("UNKNOWN_FIELD").hasSize(3);
        assertAt(problems.get(0), DIALOG_FILE, yaml, "amout", ProblemCode.UNKNOWN_FIELD);
        assertThat(problems.get(0).fix()).contains("did you mean 'amount'?", "{name: amout, type: ..., label: ...}");
        assertAt(problems.get(1), DIALOG_FILE, yaml, "langauge", ProblemCode.UNKNOWN_FIELD);
        assertThat(problems.get(1).message()).contains("Finishing sets 'langauge'");
        assertAt(problems.get(2), DIALOG_FILE, yaml, "deel", ProblemCode.UNKNOWN_FIELD);
        assertThat(problems.get(2).message()).contains("not a field of entity 'note'");
    }

    @Test
    void finishSetsLiteralsThatFitButNeverThePhaseField() {
        String yaml = CHECK.replace("set: {language: en}", "set: {language: fr, stage: won, reason: '=record.name', amount: '100'}");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("SET_VALUE_INVALID").hasSize(4);
        assertAt(problems.get(0), DIALOG_FILE, yaml, "fr,", ProblemCode.SET_VALUE_INVALID);
        assertAt(problems.get(1), DIALOG_FILE, yaml, "stage:", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(1).fix()).contains("'movePhase: <phase>'");
        assertAt(problems.get(2), DIALOG_FILE, yaml, "'=record.name'", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(2).message()).contains("are literals");
        assertAt(problems.get(3), DIALOG_FILE, yaml, "'100'", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(3).message()).contains("is the text '100'");
    }

    @Test
    void aRecordToCreateNeedsItsRequiredFieldsUnlessARuleDefaultsThem() {
        String yaml = CHECK.replace("text: 'Check {{record.name}}: {{dialog.notes}}', ", "");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "values:", ProblemCode.REQUIRED_VALUE_MISSING);
        assertThat(problem.message()).contains("no value for the required field 'text'").doesNotContain("'kind'");
        assertThat(problem.fix()).contains("add text: ...");
    }

    @Test
    void placeholdersOfRecordsToCreateNameTheRecordAndTheAnswers() {
        String answer = CHECK.replace("{{dialog.notes}}", "{{dialog.note}}");
        MetadataProblem problem = only(answer);
        assertAt(problem, DIALOG_FILE, answer, "{{dialog.note}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.fix()).contains("did you mean 'notes'?", "use one of: urgent, notes");

        String field = CHECK.replace("Check {{record.name}}", "Check {{record.nam}}");
        problem = only(field);
        assertAt(problem, DIALOG_FILE, field, "{{record.nam}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.message()).contains("field 'nam', which entity 'deal' does not have");
    }

    @Test
    void aTextPerLanguageNeedsGermanAndEnglishEachCheckedForPlaceholdersAndOnlyInTextFields() throws MetadataException {
        String both = CHECK.replace("text: 'Check {{record.name}}: {{dialog.notes}}'",
                "text: {de: 'Prüfen {{record.name}}', en: 'Check {{record.name}}'}");
        assertThat(new MetadataLoader().load(List.of(withBase(process(FLOW), dialog(both)))).dialog("deal_check")
                .orElseThrow().finishes().stream().flatMap(f -> f.creates().stream()).findFirst().orElseThrow()
                .values().get("text"))
                .isEqualTo(io.relata.api.model.LocalizedText.of("Prüfen {{record.name}}", "Check {{record.name}}"));

        String onlyGerman = CHECK.replace("text: 'Check {{record.name}}: {{dialog.notes}}'", "text: {de: 'Prüfen'}");
        MetadataProblem problem = only(onlyGerman);
        assertAt(problem, DIALOG_FILE, onlyGerman, "{de: 'Prüfen'}", ProblemCode.SET_VALUE_INVALID);
        assertThat(problem.message()).contains("per language as [de]", "needs a text for de and one for en");

        String misspelt = CHECK.replace("text: 'Check {{record.name}}: {{dialog.notes}}'",
                "text: {de: 'Prüfen {{record.nam}}', en: 'Check'}");
        problem = only(misspelt);
        assertAt(problem, DIALOG_FILE, misspelt, "{{record.nam}}", ProblemCode.PLACEHOLDER_INVALID);

        String notText = CHECK.replace("deal: '{{record.id}}'", "deal: {de: '1', en: '1'}");
        problem = only(notText);
        assertAt(problem, DIALOG_FILE, notText, "{de: '1', en: '1'}", ProblemCode.SET_VALUE_INVALID);
        assertThat(problem.message()).contains("given per language, but the field holds reference");
    }

    @Test
    void theDialogMovesOnlyToAPhaseOfAProcessOfItsEntity() {
        String yaml = CHECK.replace("movePhase: offered", "movePhase: ofered");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "ofered", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.fix()).contains("did you mean 'offered'?", "open, offered, won, lost");

        problem = onlyProblem(withBase(dialog(CHECK)));
        assertAt(problem, DIALOG_FILE, CHECK, "offered", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.message()).contains("entity 'deal' follows no process");
    }

    @Test
    void conditionsAndValidationsMustNotBeEmpty() {
        String yaml = CHECK.replace("{when: record.urgent, step: fast}", "{when: {file: urgent.js}, step: fast}")
                .replace("validation: \"record.notes ? true : {notes: 'Say something'}\"", "validation: ''");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("RULE_FILE_MISSING", "EMPTY_RULE");
        assertAt(problems.get(0), DIALOG_FILE, yaml, "urgent.js", ProblemCode.RULE_FILE_MISSING);
        assertThat(problems.get(0).message()).contains("'deal_check.basics.next.1.when'", "metadata/dialogs/urgent.js");
        assertAt(problems.get(1), DIALOG_FILE, yaml, "''", ProblemCode.EMPTY_RULE);
    }

    /** CHECK with a finish of its own on the step 'fast' (ends there: no 'next'). */
    private static final String FAST_FINISH = CHECK.replace("""
                  - {field: amount, required: true}
            """, """
                  - {field: amount, required: true}
                finish:
                  set: {language: de}
                  movePhase: won
            """);

    @Test
    void aStepsOwnFinishEndsThePathsThatEndAtTheStep() throws MetadataException {
        var dialog = new MetadataLoader().load(List.of(withBase(process(FLOW), dialog(FAST_FINISH))))
                .dialog("deal_check").orElseThrow();
        assertThat(dialog.finishAfter("fast").movePhase()).isEqualTo("won");
        assertThat(dialog.finishAfter("fast").setFields()).containsEntry("language", "de");
        assertThat(dialog.finishAfter("fast").creates()).isEmpty();
        assertThat(dialog.finishAfter("fast").source().line()).isEqualTo(18);
        // the other way ends as the dialog says
        assertThat(dialog.finishAfter("detail").movePhase()).isEqualTo("offered");
        assertThat(dialog.finishAfter("detail").creates()).hasSize(1);
        assertThat(dialog.finishes()).hasSize(2);
    }

    @Test
    void aStepsOwnFinishIsCheckedLikeTheDialogsAtItsPosition() {
        String yaml = FAST_FINISH.replace("movePhase: won", "movePhase: wn");
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "wn\n", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.fix()).contains("did you mean 'won'?");

        String set = FAST_FINISH.replace("set: {language: de}", "set: {languag: de}");
        problem = only(set);
        assertAt(problem, DIALOG_FILE, set, "languag", ProblemCode.UNKNOWN_FIELD);
    }

    @Test
    void aFinishOnAStepTheSummaryNeverFollowsIsReported() {
        String yaml = CHECK.replace("""
                      - {step: detail}
                """, """
                      - {step: detail}
                    finish: {movePhase: won}
                """);
        MetadataProblem problem = only(yaml);
        assertAt(problem, DIALOG_FILE, yaml, "finish: {movePhase: won}", ProblemCode.FINISH_NEVER_USED);
        assertThat(problem.message()).contains("Step 'basics'", "branch 2 leads to step 'detail' and has no 'when'");
        assertThat(problem.fix()).contains("{step: null}");
    }

    @Test
    void validationsAndBranchConditionsMayReadFieldsOfTheEntityAndOfTheDialog() {
        String yaml = CHECK.replace("{when: record.urgent, step: fast}", "{when: record.urgnet, step: fast}")
                .replace("validation: \"record.notes ? true", "validation: \"record.notes && record.amount || record.nots ? true");
        List<MetadataProblem> problems = problems(withBase(process(FLOW), dialog(yaml)));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("RULE_UNKNOWN_FIELD", "RULE_UNKNOWN_FIELD");
        assertAt(problems.get(0), DIALOG_FILE, yaml, "urgnet", ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(0).message()).contains("'basics.next.1.when'", "entity 'deal' or dialog 'deal_check'");
        assertThat(problems.get(0).fix()).contains("did you mean 'urgent'?");
        assertAt(problems.get(1), DIALOG_FILE, yaml, "nots", ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(1).fix()).contains("did you mean 'notes'?", "urgent, notes");
    }
}
