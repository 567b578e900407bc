package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static io.relata.metadata.ProcessFixtures.FLOW;
import static io.relata.metadata.ProcessFixtures.PROCESS_FILE;
import static io.relata.metadata.ProcessFixtures.assertAt;
import static io.relata.metadata.ProcessFixtures.process;
import static io.relata.metadata.ProcessFixtures.withBase;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem code of process files: reported with file, line, column, the element and a fix. */
class ProcessProblemsTest {

    private static MetadataProblem only(String yaml) {
        return onlyProblem(withBase(process(yaml)));
    }

    private static List<MetadataProblem> all(String yaml) {
        return problems(withBase(process(yaml)));
    }

    @Test
    void theFixtureLoads() throws MetadataException {
        assertThat(new MetadataLoader().load(List.of(withBase(process(FLOW)))).processes()).containsOnlyKeys("deal_flow");
    }

    @Test
    void processNameMustMatchTheFileName() {
        String yaml = FLOW.replace("name: deal_flow", "name: dealflow");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "dealflow", ProblemCode.PROCESS_NAME_MISMATCH);
        assertThat(problem.fix()).contains("name: deal_flow", "'dealflow.yaml'");
    }

    @Test
    void sameProcessInTwoDirectoriesIsReportedAtTheSecond() {
        MetadataProblem problem = onlyProblem(withBase(process(FLOW),
                new MetadataFile("/opt/ext/processes/deal_flow.yaml", FLOW)));
        assertAt(problem, "/opt/ext/processes/deal_flow.yaml", FLOW, "deal_flow", ProblemCode.DUPLICATE_PROCESS);
        assertThat(problem.message()).contains("defined twice", PROCESS_FILE + ":1:7");
    }

    @Test
    void unknownEntityIsReportedWithTheClosestName() {
        String yaml = FLOW.replace("entity: deal", "entity: dael");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "dael", ProblemCode.UNKNOWN_ENTITY);
        assertThat(problem.fix()).contains("did you mean 'deal'?", "use one of: deal, note");
    }

    @Test
    void phaseFieldMustBeAChoiceFieldOfTheEntity() {
        String unknown = FLOW.replace("phaseField: stage", "phaseField: stag");
        MetadataProblem problem = only(unknown);
        assertAt(problem, PROCESS_FILE, unknown, "stag", ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.fix()).contains("did you mean 'stage'?", "language, stage");

        String text = FLOW.replace("phaseField: stage", "phaseField: name");
        problem = only(text);
        assertAt(problem, PROCESS_FILE, text, "name\nphases", ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problem.message()).contains("'name' has type text", "choice field");
    }

    @Test
    void phaseMustBeAnOptionOfThePhaseField() {
        String yaml = FLOW.replace("  - name: offered\n", "  - name: offered\n  - name: signed\n");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "signed", ProblemCode.PHASE_NOT_AN_OPTION);
        assertThat(problem.message()).contains("'signed'", "'stage'", "'deal'");
        assertThat(problem.fix()).contains("- {value: signed", "metadata/entities/deal.yaml:", "open, offered, won, lost");
    }

    @Test
    void optionOfThePhaseFieldWithoutAPhaseIsAnError() {
        String yaml = FLOW.replace("  - name: won\n    outcome: success\n", "").replace("  - {from: offered, to: won}\n", "");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "stage", ProblemCode.OPTION_WITHOUT_PHASE);
        assertThat(problem.message()).contains("Option 'won'", "no process of entity 'deal'");
        assertThat(problem.fix()).contains("add a phase or remove the option", "- name: won");
    }

    @Test
    void optionsMayBeSpreadOverTheProcessesOfOneEntity() throws MetadataException {
        String first = FLOW.replace("  - name: won\n    outcome: success\n", "").replace("  - {from: offered, to: won}\n", "")
                .replace("phaseField: stage", "phaseField: stage\nappliesWhen: \"record.amount > 1000\"");
        String second = FLOW.replace("name: deal_flow", "name: deal_simple").replace("  - name: offered\n", "")
                .replace("  - {from: open, to: offered}\n  - {from: offered, to: won}\n", "  - {from: open, to: won}\n");
        var model = new MetadataLoader().load(List.of(withBase(process(first),
                new MetadataFile("metadata/processes/deal_simple.yaml", second))));
        assertThat(model.processesOf("deal")).extracting(p -> p.name()).containsExactly("deal_flow", "deal_simple");
    }

    @Test
    void aProcessWithoutConditionShadowsTheNextOneOfTheSameEntity() {
        String second = FLOW.replace("name: deal_flow", "name: deal_other");
        MetadataProblem problem = onlyProblem(withBase(process(FLOW),
                new MetadataFile("metadata/processes/deal_other.yaml", second)));
        assertAt(problem, "metadata/processes/deal_other.yaml", second, "deal_other", ProblemCode.PROCESS_SHADOWED);
        assertThat(problem.message()).contains("'deal_other' never applies", "'deal_flow' (" + PROCESS_FILE + ":1:7)");
        assertThat(problem.fix()).contains("give 'deal_flow' an 'appliesWhen'", "file-name order");
    }

    @Test
    void twoPhasesWithTheSameNameAreReportedAtTheSecond() {
        String yaml = FLOW.replace("  - name: offered\n", "  - name: offered\n  - name: 'open'\n");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "'open'", ProblemCode.DUPLICATE_PHASE);
        assertThat(problem.message()).contains("'open' appears twice", "line 6");
    }

    @Test
    void transitionsBetweenUnknownPhasesAreReportedAtEachName() {
        String yaml = FLOW.replace("  - {from: offered, to: won}", "  - {from: [open, ofered], to: wonn}");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), PROCESS_FILE, yaml, "ofered", ProblemCode.UNKNOWN_PHASE);
        assertThat(problems.get(0).message()).contains("starts from 'ofered'");
        assertThat(problems.get(0).fix()).contains("did you mean 'offered'?", "or '*' for every open phase");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "wonn", ProblemCode.UNKNOWN_PHASE);
        assertThat(problems.get(1).message()).contains("leads to 'wonn'", "Phase 'won' (line 8) is named by no transition");
        assertThat(problems.get(1).fix()).isEqualTo("write 'won' instead of 'wonn' at line 15.");
    }

    @Test
    void aMisspeltPhaseIsReportedOnceAtItsNameWithTheNameTheTransitionsUse() {
        String yaml = FLOW.replace("  - name: offered\n", "  - name: offerd\n");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "offerd", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.message()).isEqualTo("Phase 'offerd' is misspelt: it is not an option of the phase field "
                + "'stage' and no transition or move names it, while they name 'offered' (lines 14 and 15), which is an "
                + "option but not a phase.");
        assertThat(problem.fix()).isEqualTo("rename the phase to 'offered'.");
    }

    @Test
    void aMisspeltNameInATransitionIsReportedOnceAtTheTransitionWithThePhaseNobodyNames() {
        String yaml = FLOW.replace("  - {from: offered, to: won}", "  - {from: offered, to: wonn}\n  - {from: open, to: wonn}");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "wonn", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.message()).isEqualTo("The transition leads to 'wonn', which is not a phase of this process. "
                + "The same name is used at lines 15 and 16. Phase 'won' (line 8) is named by no transition or move.");
        assertThat(problem.fix()).isEqualTo("write 'won' instead of 'wonn' at lines 15 and 16.");
    }

    @Test
    void whenThePhaseFieldCannotTellBothFixesAreNamedTheMoreCommonNameFirst() {
        String yaml = FLOW.replace("phaseField: stage", "phaseField: stag").replace("  - name: offered\n", "  - name: offerd\n");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "offerd", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.message()).isEqualTo("Phase 'offerd' is named by no transition or move, while 'offered', named "
                + "at lines 14 and 15, is not a phase of this process: one of the two names is misspelt.");
        assertThat(problem.fix()).isEqualTo("rename the phase to 'offered', or write 'offerd' at lines 14 and 15.");
    }

    @Test
    void whenBothNamesMissAnOptionTheOptionIsSuggestedForBoth() {
        String yaml = FLOW.replace("  - name: offered\n", "  - name: offerd\n").replace("to: offered}", "to: ofered}")
                .replace("from: offered,", "from: ofered,");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "offerd", ProblemCode.UNKNOWN_PHASE);
        assertThat(problem.fix()).isEqualTo("write 'offered', the option of 'stage', in both places: as the phase name "
                + "and at lines 14 and 15.");
    }

    @Test
    void keysDedentedOutOfAToDoAreOneIndentationProblem() {
        String yaml = FLOW.replace("  - name: offered\n", """
                  - name: offered
                    onEnter:
                      - todo:
                          subject: {en: Call the customer}
                        assignTo: owner
                        due: P3D
                """);
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "assignTo", ProblemCode.KEY_INDENTATION);
        assertThat(problem.message()).isEqualTo("Are these keys indented correctly? 'assignTo' (line 11) and 'due' "
                + "(line 12) are read as part of onEnter action 1 of phase 2, where they do not fit, but would fit in key "
                + "'todo' of onEnter action 1 of phase 2 above them.");
        assertThat(problem.fix()).isEqualTo("indent them by 2 more spaces, to line up with 'subject' (line 10).");
    }

    @Test
    void theSameMoveWrittenTwiceIsReportedButStarMovesGiveWayToExplicitOnes() {
        String yaml = FLOW + "  - {from: [offered], to: won}\n  - {from: open, to: lost}\n";
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "{from: [offered]", ProblemCode.DUPLICATE_TRANSITION);
        assertThat(problem.message()).contains("from 'offered' to 'won'", "line 15");

        String stars = FLOW + "  - {from: '*', to: 'lost'}\n";
        problem = only(stars);
        assertAt(problem, PROCESS_FILE, stars, "'lost'", ProblemCode.DUPLICATE_TRANSITION);
        assertThat(problem.message()).contains("from: '*' to 'lost'", "line 16");
    }

    @Test
    void reasonsAreOnlyAskedForClosingPhasesAndNeedATextualField() {
        String open = FLOW.replace("  - name: offered\n", "  - name: offered\n    reasonField: name\n");
        MetadataProblem problem = only(open);
        assertAt(problem, PROCESS_FILE, open, "reasonField: name", ProblemCode.REASON_FIELD_ON_OPEN_PHASE);
        assertThat(problem.fix()).contains("outcome: failure");

        String date = FLOW.replace("reasonField: reason", "reasonField: signed_on");
        problem = only(date);
        assertAt(problem, PROCESS_FILE, date, "signed_on", ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problem.fix()).contains("text, long-text or choice", "name, language, stage, reason");

        String unknown = FLOW.replace("reasonField: reason", "reasonField: reasn");
        problem = only(unknown);
        assertAt(problem, PROCESS_FILE, unknown, "reasn", ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.fix()).contains("did you mean 'reason'?");
    }

    @Test
    void requiredFieldsMustBeFieldsOfTheEntity() {
        String yaml = FLOW.replace("  - name: offered\n", "  - name: offered\n    requires: [amount, amont]\n");
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "amont", ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.message()).contains("Phase 'offered' requires field 'amont'");
        assertThat(problem.fix()).contains("did you mean 'amount'?", "metadata/entities/deal.yaml");
    }

    @Test
    void setValuesMustFitTheirFields() {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter:
                      - set:
                          amount: lots
                          stage: won
                          weighted: 5
                          name: null
                          language: fr
                          signed_on: 2025-13-01
                          nme: x
                          reason: '=record.name'
                          email: '==not an address'
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("SET_VALUE_INVALID", "SET_VALUE_INVALID",
                "SET_VALUE_INVALID", "SET_VALUE_INVALID", "SET_VALUE_INVALID", "SET_VALUE_INVALID", "UNKNOWN_FIELD",
                "SET_VALUE_INVALID");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "lots", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(0).message()).contains("is the text 'lots'", "type money");
        assertThat(problems.get(0).fix()).contains("an amount such as 1500.00", "'=' followed by a JavaScript expression");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "stage: won", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(1).message()).contains("is the phase field");
        assertThat(problems.get(1).fix()).contains("'move: <phase>'");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "weighted: 5", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(2).message()).contains("set by rule 'weighted.computed'");
        assertAt(problems.get(3), PROCESS_FILE, yaml, "null", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(3).message()).contains("empties field 'name', which is required");
        assertAt(problems.get(4), PROCESS_FILE, yaml, "fr", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(4).fix()).contains("one of: de, en");
        assertAt(problems.get(5), PROCESS_FILE, yaml, "2025-13-01", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(5).fix()).contains("a date such as 2025-01-31");
        assertAt(problems.get(6), PROCESS_FILE, yaml, "nme", ProblemCode.UNKNOWN_FIELD);
        assertThat(problems.get(6).fix()).contains("did you mean 'name'?");
        assertAt(problems.get(7), PROCESS_FILE, yaml, "'==not an address'", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(7).message()).contains("the text '=not an address'", "type email");
    }

    @Test
    void aSetValueOutsideTheFieldsLimitsIsRefused() {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter: [{set: {amount: -5}}]
                """);
        MetadataProblem problem = only(yaml);
        assertAt(problem, PROCESS_FILE, yaml, "-5", ProblemCode.SET_VALUE_INVALID);
        assertThat(problem.message()).contains("is -5, below the smallest value 0 of field 'amount'");
    }

    @Test
    void forceGoesOnlyWithASetAction() {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter:
                      - {set: {amount: 100}, force: true}
                      - {move: lost, force: true}
                      - {force: false}
                """).replace("  - {from: '*', to: lost}\n", "  - {from: '*', to: lost}\n  - {from: won, to: lost}\n");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("ACTION_INVALID", "ACTION_INVALID");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "force", 2, ProblemCode.ACTION_INVALID);
        assertThat(problems.get(0).message()).contains("has 'force', which only a 'set' action takes");
        assertThat(problems.get(0).fix()).contains("{set: {probability: 100}, force: true}");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "force", 3, ProblemCode.ACTION_INVALID);
    }

    @Test
    void durationsMustBePositiveAndOfFixedLength() {
        String yaml = FLOW.replace("  - name: offered\n", """
                  - name: offered
                    timers:
                      - name: reminder
                        after: P1M
                        do: [{move: lost}]
                      - name: reminder
                        after: PT0S
                        do: [{move: lost}]
                      - name: nudge
                        after: soon
                        do: [{todo: {subject: {en: Nudge}, due: P2W}}]
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("DURATION_INVALID", "DUPLICATE_TIMER",
                "DURATION_INVALID", "DURATION_INVALID", "DURATION_INVALID");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "P1M", ProblemCode.DURATION_INVALID);
        assertThat(problems.get(0).message()).contains("Timer 'reminder' of phase 'offered' fires 'after' 'P1M'",
                "years, months or weeks, whose length is not fixed");
        assertThat(problems.get(0).fix()).contains("'P30D'", "'PT1M' would be 1 minutes");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "reminder", 2, ProblemCode.DUPLICATE_TIMER);
        assertThat(problems.get(1).message()).contains("line 9");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "PT0S", ProblemCode.DURATION_INVALID);
        assertThat(problems.get(2).message()).contains("is zero");
        assertAt(problems.get(3), PROCESS_FILE, yaml, "soon", ProblemCode.DURATION_INVALID);
        assertThat(problems.get(3).message()).contains("is not an ISO-8601 duration");
        assertThat(problems.get(3).fix()).contains("'PT8H' (8 hours)");
        assertAt(problems.get(4), PROCESS_FILE, yaml, "P2W", ProblemCode.DURATION_INVALID);
        assertThat(problems.get(4).message()).contains("The to-do of action 1 of timer 'nudge' in phase 'offered' is due");
        assertThat(problems.get(4).fix()).contains("'P14D'");
    }

    @Test
    void anActionDoesExactlyOneThingAndNeverMovesOnLeave() {
        String yaml = FLOW.replace("  - name: open\n", """
                  - name: open
                    onEnter:
                      - {set: {amount: 1}, move: offered}
                      - {}
                    onLeave:
                      - move: won
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).hasSize(3);
        assertAt(problems.get(0), PROCESS_FILE, yaml, "{set: {amount: 1}", ProblemCode.ACTION_INVALID);
        assertThat(problems.get(0).message()).contains("has set and move", "exactly one thing");
        assertThat(problems.get(0).fix()).contains("'- set: ...', '- move: ...'");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "{}", ProblemCode.ACTION_INVALID);
        assertThat(problems.get(1).message()).contains("Action 2 of onEnter in phase 'open' is empty");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "move: won", ProblemCode.ACTION_INVALID);
        assertThat(problems.get(2).message()).contains("'onLeave'");
    }

    @Test
    void aMoveNeedsATransitionToAKnownPhase() {
        String yaml = FLOW.replace("  - name: open\n", """
                  - name: open
                    timers:
                      - {name: skip, after: P1D, do: [{move: won}]}
                      - {name: typo, after: P2D, do: [{move: wonn}]}
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), PROCESS_FILE, yaml, "won}", ProblemCode.MOVE_WITHOUT_TRANSITION);
        assertThat(problems.get(0).message()).contains("leads to 'won', but no transition leads from 'open' there");
        assertThat(problems.get(0).fix()).contains("'- {from: open, to: won}'", "move to one of: offered, lost");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "wonn", ProblemCode.UNKNOWN_PHASE);
        assertThat(problems.get(1).fix()).contains("did you mean 'won'?");
    }

    @Test
    void mailsNeedAKnownTemplateAndRecipientsKnownRolesAndAddressFields() {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter:
                      - mail: {template: welcom, to: owner}
                      - mail: {template: welcome, to: {role: manger}}
                      - mail: {template: welcome, to: {field: amount}}
                      - mail: {template: welcome, to: {field: mail}}
                      - mail: {template: welcome, to: {address: boss@example.com}}
                      - todo: {subject: {en: Call}, assignTo: {role: manager}}
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code)
                .containsExactly("UNKNOWN_TEMPLATE", "UNKNOWN_ROLE", "FIELD_TYPE_MISMATCH", "UNKNOWN_FIELD");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "welcom,", ProblemCode.UNKNOWN_TEMPLATE);
        assertThat(problems.get(0).fix()).contains("did you mean 'welcome'?", "metadata/templates/welcom.yaml");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "manger", ProblemCode.UNKNOWN_ROLE);
        assertThat(problems.get(1).fix()).contains("did you mean 'manager'?");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "amount}", ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problems.get(2).message()).contains("type money", "no e-mail address");
        assertThat(problems.get(2).fix()).contains("name, email");
        assertAt(problems.get(3), PROCESS_FILE, yaml, "mail}", ProblemCode.UNKNOWN_FIELD);
        assertThat(problems.get(3).fix()).contains("did you mean 'email'?");
    }

    @Test
    void aRecipientIsExactlyOneKindAndToDosGoToUsers() {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter:
                      - todo: {subject: {en: Call}, assignTo: {field: email}}
                      - mail: {template: welcome, to: {user: ann, role: manager}}
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), PROCESS_FILE, yaml, "field: email", ProblemCode.RECIPIENT_INVALID);
        assertThat(problems.get(0).fix()).contains("'owner', {user: login} or {role: name}");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "{user: ann", ProblemCode.RECIPIENT_INVALID);
        assertThat(problems.get(1).message()).contains("has user and role");
    }

    @Test
    void toDoSubjectsNameFieldsOfTheEntityInWellFormedPlaceholders() {
        String unknown = FLOW.replace("  - name: open\n", """
                  - name: open
                    onEnter:
                      - todo: {subject: {en: 'Call {{record.nmae}} about {{phase.label}}'}}
                """);
        MetadataProblem problem = only(unknown);
        assertAt(problem, PROCESS_FILE, unknown, "{{record.nmae}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.message()).contains("the subject of the to-do", "field 'nmae', which entity 'deal' does not have");
        assertThat(problem.fix()).contains("did you mean 'name'?", "id, version");

        String unclosed = unknown.replace("{{record.nmae}}", "{{record.name}").replace("{{phase.label}}", "{{phase.nam}}");
        List<MetadataProblem> problems = all(unclosed);
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), PROCESS_FILE, unclosed, "{{record.name}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(0).message()).contains("not closed with '}}'");
        assertAt(problems.get(1), PROCESS_FILE, unclosed, "{{phase.nam}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(1).fix()).contains("did you mean 'name'?", "use one of: name, label");
    }

    @Test
    void scriptsOfGuardsConditionsAndExpressionsMustExistAndNotBeEmpty() {
        String yaml = FLOW.replace("  - {from: offered, to: won}", """
                  - {from: offered, to: won, guard: {file: won_guard.js}, when: ' '}
                """.stripTrailing()).replace("    outcome: success\n", """
                    outcome: success
                    onEnter: [{set: {reason: '='}}]
                """);
        List<MetadataProblem> problems = problems(withBase(process(yaml),
                new MetadataFile("metadata/processes/won-guard.js", "return;")));
        assertThat(problems).hasSize(3);
        assertAt(problems.get(0), PROCESS_FILE, yaml, "'='", ProblemCode.EMPTY_RULE);
        assertThat(problems.get(0).fix()).contains("'=addDays(today, 14)'", "'=='");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "won_guard.js", ProblemCode.RULE_FILE_MISSING);
        assertThat(problems.get(1).message()).contains("'deal_flow.offered->won.guard'", "metadata/processes/won_guard.js");
        assertThat(problems.get(1).fix()).contains("did you mean 'won-guard.js'?", "script files there: won-guard.js");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "' '", ProblemCode.EMPTY_RULE);
        assertThat(problems.get(2).fix()).contains("when: \"record.meeting_at != null\"");
    }

    @Test
    void schemaProblemsNameThePhaseAndSuggestKeys() {
        String yaml = FLOW.replace("    outcome: success\n", "    outcom: success\n")
                .replace("    outcome: failure\n", "    outcome: lost\n")
                .replace("  - {from: '*', to: lost}", "  - {from: '*', to: '*'}");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("UNKNOWN_KEY", "INVALID_VALUE",
                "INVALID_VALUE");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "outcom:", ProblemCode.UNKNOWN_KEY);
        assertThat(problems.get(0).message()).contains("in phase 3");
        assertThat(problems.get(0).fix()).contains("did you mean 'outcome'?");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "lost\n", 2, ProblemCode.INVALID_VALUE);
        assertThat(problems.get(1).message()).contains("Key 'outcome' of phase 4");
        assertThat(problems.get(1).fix()).contains("open, success, failure");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "'*'}", ProblemCode.INVALID_VALUE);
        assertThat(problems.get(2).message()).contains("Key 'to' of transition 3");
    }

    @Test
    void duplicateKeysAndUnknownRecipientsAreReportedWhereTheyAre() {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    outcome: failure
                    onEnter: [{mail: {template: welcome, to: owner_user}}]
                """);
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("DUPLICATE_KEY", "INVALID_VALUE");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "outcome: failure", ProblemCode.DUPLICATE_KEY);
        assertThat(problems.get(0).message()).contains("'outcome' appears twice", "line 9");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "owner_user", ProblemCode.INVALID_VALUE);
        assertThat(problems.get(1).message()).contains("invalid value 'owner_user'");
        assertThat(problems.get(1).fix()).contains("owner (the record's owner), {user: login}, {role: name}");
    }

    @Test
    void missingRequiredKeysAreNamedWithTheirMeaning() {
        String yaml = FLOW.replace("phaseField: stage\n", "");
        MetadataProblem problem = only(yaml);
        MetadataProblemsTest.assertAt(problem, PROCESS_FILE, 1, 1, ProblemCode.MISSING_KEY);
        assertThat(problem.message()).isEqualTo("The process is missing the required key 'phaseField'.");
        assertThat(problem.fix()).contains("choice field");
    }

    @Test
    void aBrokenEntityDoesNotMakeItsProcessFailAsWell() {
        List<MetadataProblem> problems = problems(
                new MetadataFile("metadata/entities/deal.yaml", ProcessFixtures.DEAL.replace("type: money", "type: mony")),
                new MetadataFile("metadata/roles/manager.yaml", ProcessFixtures.MANAGER),
                new MetadataFile(ProcessFixtures.TEMPLATE_FILE, ProcessFixtures.WELCOME),
                process(FLOW.replace("    outcome: success\n", "    outcome: success\n    onEnter: [{mail: {template: welcome, to: owner}}]\n")));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("UNKNOWN_FIELD_TYPE", "UNKNOWN_FIELD_TYPE");
    }

    @Test
    void guardsConditionsAndSetExpressionsMayReadOnlyFieldsOfTheEntity() {
        String yaml = FLOW.replace("  - {from: offered, to: won}\n",
                        "  - {from: offered, to: won, guard: \"record.amont > 0 || {amount: 'Give an amount'}\"}\n"
                                + "  - {from: open, to: lost, when: \"record.reson != null\"}\n")
                .replace("    outcome: success\n", "    outcome: success\n    onEnter:\n"
                        + "      - set: {signed_on: '=record.sigend_on ?? today'}\n");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code)
                .containsOnly("RULE_UNKNOWN_FIELD").hasSize(3);
        assertAt(problems.get(0), PROCESS_FILE, yaml, "sigend_on", ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(0).message()).contains("'record.sigend_on'", "entity 'deal'");
        assertThat(problems.get(0).fix()).contains("did you mean 'signed_on'?");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "amont", ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(1).message()).contains("offered->won.guard");
        assertThat(problems.get(1).fix()).contains("did you mean 'amount'?");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "reson", ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(2).fix()).contains("did you mean 'reason'?");
    }

    @Test
    void actionsOnOtherRecordsNameRealEntitiesFieldsAndLinks() throws MetadataException {
        String valid = FLOW.replace("    outcome: success\n", "    outcome: success\n    onEnter:\n"
                + "      - create: {entity: note, link: deal, values: {text: 'Won {{record.name}}', kind: call}}\n");
        assertThat(new MetadataLoader().load(List.of(withBase(process(valid)))).processes()).containsOnlyKeys("deal_flow");

        String yaml = FLOW.replace("    outcome: success\n", "    outcome: success\n    onEnter:\n"
                + "      - update: {record: email, set: {status: done}}\n"
                + "      - create: {entity: nots, values: {text: a}}\n"
                + "      - create: {entity: note, link: text, values: {txt: a, kind: '=record.name', deal: '{{record.nme}}'}}\n");
        List<MetadataProblem> problems = all(yaml);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("FIELD_TYPE_MISMATCH", "UNKNOWN_ENTITY",
                "FIELD_TYPE_MISMATCH", "UNKNOWN_FIELD", "SET_VALUE_INVALID", "PLACEHOLDER_INVALID");
        assertAt(problems.get(0), PROCESS_FILE, yaml, "email, set", ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problems.get(0).fix()).contains("reference or record-link");
        assertAt(problems.get(1), PROCESS_FILE, yaml, "nots", ProblemCode.UNKNOWN_ENTITY);
        assertThat(problems.get(1).fix()).contains("did you mean 'note'?");
        assertAt(problems.get(2), PROCESS_FILE, yaml, "text, values", ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problems.get(2).message()).contains("cannot hold a deal");
        assertAt(problems.get(3), PROCESS_FILE, yaml, "txt", ProblemCode.UNKNOWN_FIELD);
        assertThat(problems.get(3).fix()).contains("did you mean 'text'?");
        assertAt(problems.get(4), PROCESS_FILE, yaml, "'=record.name'", ProblemCode.SET_VALUE_INVALID);
        assertThat(problems.get(4).message()).contains("literal values");
    }
}
