package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem code of rules and examples: reported with file, line, column, the element and a fix. */
class RuleProblemsTest {

    static final String FILE = "metadata/entities/deal.yaml";

    /** Lines 1–9; tests append fields (from line 10), rules and examples. */
    static final String DEAL = """
            name: deal
            label: {en: Deal}
            pluralLabel: {en: Deals}
            fields:
              name: {type: text, label: {en: Name}, required: true}
              amount: {type: money, label: {en: Amount}}
              phase: {type: text, label: {en: Phase}}
              score: {type: integer, label: {en: Score}}
              reasons: {type: long-text, label: {en: Reasons}}
            """;

    static MetadataFile deal(String more) {
        return new MetadataFile(FILE, DEAL + more);
    }

    static MetadataFile script(String name, String content) {
        return new MetadataFile("metadata/entities/" + name, content);
    }

    @Test
    void missingScriptFileIsReportedAtItsNameWithTheFilesNextToIt() {
        MetadataProblem problem = onlyProblem(deal("""
                rules:
                  - name: deal_score
                    score: {file: deal.scor.js}
                    field: score
                """), script("deal.score.js", "return 1;"), script("other.js", "1"));
        assertAt(problem, FILE, 12, 19, ProblemCode.RULE_FILE_MISSING);
        assertThat(problem.message()).contains("'deal_score'", "'deal.scor.js'", "metadata/entities/deal.scor.js");
        assertThat(problem.fix()).contains("did you mean 'deal.score.js'?", "script files there: deal.score.js, other.js");
    }

    @Test
    void scriptFileOfAnotherFolderIsNotFound() {
        MetadataProblem problem = onlyProblem(deal("  total: {type: money, label: {en: Total}, computed: {file: total.js}}\n"),
                new MetadataFile("/opt/ext/entities/total.js", "record.amount"));
        assertAt(problem, FILE, 10, 61, ProblemCode.RULE_FILE_MISSING);
        assertThat(problem.message()).contains("'total.computed'");
    }

    @Test
    void twoRulesWithTheSameNameAreReportedAtTheSecond() {
        MetadataProblem problem = onlyProblem(deal("""
                rules:
                  - name: amount_positive
                    validation: "record.amount >= 0"
                  - name: amount_positive
                    validation: "record.amount < 1000000"
                """));
        assertAt(problem, FILE, 13, 11, ProblemCode.DUPLICATE_RULE);
        assertThat(problem.message()).contains("'amount_positive'", "twice", "line 11");
        assertThat(problem.fix()).contains("own name");
    }

    @Test
    void ruleNeedsExactlyOneOfValidationAndScore() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: nothing
                  - name: both
                    validation: "true"
                    score: "1"
                    field: score
                """));
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), FILE, 11, 5, ProblemCode.RULE_KIND_MISSING_OR_AMBIGUOUS);
        assertThat(problems.get(0).message()).contains("'nothing'", "neither 'validation' nor 'score'");
        assertThat(problems.get(0).fix()).contains("add 'validation:'", "written on the field");
        assertAt(problems.get(1), FILE, 12, 5, ProblemCode.RULE_KIND_MISSING_OR_AMBIGUOUS);
        assertThat(problems.get(1).message()).contains("'both'", "both 'validation' and 'score'");
        assertThat(problems.get(1).fix()).contains("split it into two rules");
    }

    @Test
    void scoreRuleNeedsANumericFieldAndATextualReasonsField() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: no_field
                    score: "1"
                  - name: text_field
                    score: "1"
                    field: name
                  - name: unknown_field
                    score: "1"
                    field: scor
                  - name: bad_reasons
                    score: "1"
                    field: score
                    reasonsField: amount
                  - name: validation_with_field
                    validation: "true"
                    field: amount
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("SCORE_FIELD_INVALID").hasSize(5);
        assertAt(problems.get(0), FILE, 11, 5, ProblemCode.SCORE_FIELD_INVALID);
        assertThat(problems.get(0).message()).contains("'no_field'", "which field");
        assertThat(problems.get(0).fix()).contains("add 'field:'", "integer or decimal field: score");
        assertAt(problems.get(1), FILE, 15, 12, ProblemCode.SCORE_FIELD_INVALID);
        assertThat(problems.get(1).message()).contains("field 'name' of type text", "integer or decimal");
        assertAt(problems.get(2), FILE, 18, 12, ProblemCode.SCORE_FIELD_INVALID);
        assertThat(problems.get(2).message()).contains("'scor'", "not a field");
        assertThat(problems.get(2).fix()).contains("did you mean 'score'?");
        assertAt(problems.get(3), FILE, 22, 19, ProblemCode.SCORE_FIELD_INVALID);
        assertThat(problems.get(3).message()).contains("the reasons", "field 'amount' of type money", "text or long-text");
        assertThat(problems.get(3).fix()).contains("use one of: name, phase, reasons");
        assertAt(problems.get(4), FILE, 25, 5, ProblemCode.SCORE_FIELD_INVALID);
        assertThat(problems.get(4).message()).contains("Validation 'validation_with_field'", "'field'", "only score rules");
    }

    @Test
    void requiredWhenOnABooleanIsRejected() {
        MetadataProblem problem = onlyProblem(deal("""
                  signed:
                    type: boolean
                    label: {en: Signed}
                    requiredWhen: "record.phase == 'won'"
                """));
        assertAt(problem, FILE, 13, 5, ProblemCode.RULE_ON_WRONG_FIELD_TYPE);
        assertThat(problem.message()).contains("'signed'", "boolean", "always has a value");
        assertThat(problem.fix()).contains("validation", "{signed: 'message'}");
    }

    @Test
    void computedAndOtherRulesOnReferencesAndEveryOtherTypeAreAllowed() throws MetadataException {
        var model = new MetadataLoader().load(List.of(MetadataProblemsTest.entity("account", MetadataProblemsTest.ACCOUNT),
                deal("""
                          account: {type: reference, entity: account, label: {en: Account}, default: "1", readOnlyWhen: "true"}
                          tags: {type: multi-choice, label: {en: Tags}, options: [{value: a, label: {en: A}}], computed: "['a']"}
                          signed: {type: boolean, label: {en: Signed}, visibleWhen: "record.amount > 0", default: "false"}
                        """)));
        assertThat(model.entity("deal").orElseThrow().rules()).hasSize(5);
    }

    @Test
    void twoRulesSettingOneFieldConflict() {
        List<MetadataProblem> problems = problems(deal("""
                  total:
                    type: money
                    label: {en: Total}
                    computed: "record.amount * 2"
                    default: "0"
                    readOnlyWhen: "record.phase == 'won'"
                  kind: {type: text, label: {en: Kind}, required: true, requiredWhen: "record.amount > 0"}
                rules:
                  - name: deal_score
                    score: "10"
                    field: amount
                """.replace("field: amount", "field: score")
                + "  - name: second_score\n    score: \"20\"\n    field: score\n"));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("CONFLICTING_RULES").hasSize(4);
        assertAt(problems.get(0), FILE, 14, 5, ProblemCode.CONFLICTING_RULES);
        assertThat(problems.get(0).message()).contains("'total'", "its computed rule (line 13)", "its default rule");
        assertAt(problems.get(1), FILE, 15, 5, ProblemCode.CONFLICTING_RULES);
        assertThat(problems.get(1).message()).contains("'readOnlyWhen'", "set by its computed rule");
        assertAt(problems.get(2), FILE, 16, 57, ProblemCode.CONFLICTING_RULES);
        assertThat(problems.get(2).message()).contains("'kind'", "always required");
        assertAt(problems.get(3), FILE, 23, 5, ProblemCode.CONFLICTING_RULES);
        assertThat(problems.get(3).message()).contains("'score'", "score rule 'deal_score' (field) (line 20)",
                "score rule 'second_score'");
    }

    @Test
    void blankScriptsAreEmptyRules() {
        List<MetadataProblem> problems = problems(deal("""
                  total: {type: money, label: {en: Total}, computed: "  "}
                  note:
                    type: text
                    label: {en: Note}
                    visibleWhen:
                rules:
                  - name: deal_score
                    score: {file: deal.score.js}
                    field: score
                """), script("deal.score.js", "\n  \n"));
        assertThat(problems).hasSize(3);
        assertAt(problems.get(0), FILE, 10, 54, ProblemCode.EMPTY_RULE);
        assertThat(problems.get(0).message()).contains("'total.computed'", "no script");
        assertThat(problems.get(0).fix()).contains("computed: \"record.amount * 2\"");
        assertAt(problems.get(1), FILE, 14, 5, ProblemCode.EMPTY_RULE);
        assertThat(problems.get(1).message()).contains("'note.visibleWhen'");
        assertAt(problems.get(2), FILE, 17, 19, ProblemCode.EMPTY_RULE);
        assertThat(problems.get(2).message()).contains("'deal_score'", "'deal.score.js'", "empty");
    }

    @Test
    void examplesMayNameOnlyFieldsOfTheEntity() {
        List<MetadataProblem> problems = problems(deal("""
                examples:
                  - name: typos everywhere
                    record: {name: Test, ammount: 5}
                    previous: {phas: open}
                    expect:
                      errors: [record, amuont]
                      values: {scroe: 1}
                      visible: {reasons: true, nmae: true}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("UNKNOWN_EXAMPLE_FIELD").hasSize(5);
        assertAt(problems.get(0), FILE, 12, 26, ProblemCode.UNKNOWN_EXAMPLE_FIELD);
        assertThat(problems.get(0).message()).contains("'typos everywhere'", "'ammount'", "'record'");
        assertThat(problems.get(0).fix()).contains("did you mean 'amount'?", "name, amount, phase, score, reasons");
        assertAt(problems.get(1), FILE, 13, 16, ProblemCode.UNKNOWN_EXAMPLE_FIELD);
        assertThat(problems.get(1).message()).contains("'phas'", "'previous'");
        assertAt(problems.get(2), FILE, 15, 24, ProblemCode.UNKNOWN_EXAMPLE_FIELD);
        assertThat(problems.get(2).fix()).contains("did you mean 'amount'?", "or 'record' for errors on the whole record");
        assertAt(problems.get(3), FILE, 16, 16, ProblemCode.UNKNOWN_EXAMPLE_FIELD);
        assertThat(problems.get(3).message()).contains("'scroe'", "'expect.values'");
        assertAt(problems.get(4), FILE, 17, 32, ProblemCode.UNKNOWN_EXAMPLE_FIELD);
    }

    @Test
    void expectWithUnknownKeysNothingOrContradictionsIsInvalid() {
        List<MetadataProblem> problems = problems(deal("""
                examples:
                  - name: unknown key
                    record: {name: Test}
                    expect: {value: {amount: 1}}
                  - name: nothing
                    record: {name: Test}
                    expect: {}
                  - name: contradiction
                    record: {name: Test}
                    expect: {errors: [amount], noErrors: true}
                  - name: no score rule
                    record: {name: Test}
                    expect: {score: 10, noErrors: false}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("EXAMPLE_EXPECT_INVALID").hasSize(5);
        assertAt(problems.get(0), FILE, 13, 14, ProblemCode.EXAMPLE_EXPECT_INVALID);
        assertThat(problems.get(0).message()).contains("'unknown key'", "'value'");
        assertThat(problems.get(0).fix()).contains("did you mean 'values'?", "errors, noErrors, values");
        assertAt(problems.get(1), FILE, 16, 13, ProblemCode.EXAMPLE_EXPECT_INVALID);
        assertThat(problems.get(1).message()).contains("expects nothing");
        assertAt(problems.get(2), FILE, 19, 32, ProblemCode.EXAMPLE_EXPECT_INVALID);
        assertThat(problems.get(2).message()).contains("no errors and errors");
        assertAt(problems.get(3), FILE, 22, 14, ProblemCode.EXAMPLE_EXPECT_INVALID);
        assertThat(problems.get(3).message()).contains("'score'", "no score rule");
        assertAt(problems.get(4), FILE, 22, 35, ProblemCode.EXAMPLE_EXPECT_INVALID);
        assertThat(problems.get(4).message()).contains("'noErrors: false'");
    }

    @Test
    void expectedReasonsNeedAReasonsFieldAndASingleErrorNameIsChecked() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: deal_score
                    score: "10"
                    field: score
                examples:
                  - name: reasons nowhere
                    record: {name: Test}
                    expect: {score: 10, reasons: big, errors: amout}
                """));
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), FILE, 17, 25, ProblemCode.EXAMPLE_EXPECT_INVALID);
        assertThat(problems.get(0).message()).contains("'reasons nowhere'", "no 'reasonsField'");
        assertAt(problems.get(1), FILE, 17, 47, ProblemCode.UNKNOWN_EXAMPLE_FIELD);
        assertThat(problems.get(1).fix()).contains("did you mean 'amount'?");
    }

    @Test
    void unknownKeysOfRulesAreUnknownKeysOfTheSchema() {
        List<MetadataProblem> problems = problems(deal("""
                  total: {type: money, label: {en: Total}, computed: {fil: total.js}}
                rules:
                  - name: total_positive
                    validaton: "record.total >= 0"
                """));
        assertThat(problems).extracting(MetadataProblem::code)
                .containsExactly("MISSING_KEY", "UNKNOWN_KEY", "RULE_KIND_MISSING_OR_AMBIGUOUS", "UNKNOWN_KEY");
        assertAt(problems.get(0), FILE, 10, 54, ProblemCode.MISSING_KEY);
        assertThat(problems.get(0).message()).contains("'file'");
        assertAt(problems.get(1), FILE, 10, 55, ProblemCode.UNKNOWN_KEY);
        assertThat(problems.get(1).fix()).contains("did you mean 'file'?");
        assertAt(problems.get(3), FILE, 13, 5, ProblemCode.UNKNOWN_KEY);
        assertThat(problems.get(3).fix()).contains("did you mean 'validation'?", "name, validation, score, field, reasonsField");
    }

    @Test
    void ruleThatIsAListAndAnInvalidRuleNameAreInvalidValues() {
        List<MetadataProblem> problems = problems(deal("""
                  total: {type: money, label: {en: Total}, computed: [record.amount]}
                rules:
                  - name: Amount Positive
                    validation: "record.amount >= 0"
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("INVALID_VALUE", "INVALID_VALUE");
        assertAt(problems.get(0), FILE, 10, 54, ProblemCode.INVALID_VALUE);
        assertThat(problems.get(0).message()).contains("'computed' of field 'total'",
                "a text, a number, true/false or a mapping", "a list");
        assertThat(problems.get(0).fix()).contains("{file: name.js}");
        assertAt(problems.get(1), FILE, 12, 11, ProblemCode.INVALID_VALUE);
        assertThat(problems.get(1).message()).contains("'Amount Positive'");
    }

    @Test
    void ruleProblemsOfAFileKeepItsEntityExistingForOthers() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: broken
                """), MetadataProblemsTest.entity("contact", """
                name: contact
                label: {en: Contact}
                pluralLabel: {en: Contacts}
                fields:
                  deal: {type: reference, entity: deal, label: {en: Deal}}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("RULE_KIND_MISSING_OR_AMBIGUOUS");
    }

    @Test
    void aRuleReadingAFieldTheEntityDoesNotHaveIsReportedAtTheNameWithASuggestion() {
        MetadataProblem problem = onlyProblem(deal("""
                  total: {type: money, label: {en: Total}, computed: "record.amount * 2 + record.amout"}
                """));
        assertAt(problem, FILE, 10, 82, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problem.message()).contains("'total.computed'", "'record.amout'", "entity 'deal'", "undefined");
        assertThat(problem.fix()).contains("did you mean 'amount'?", "use one of: name, amount, phase, score, reasons, total.");
    }

    @Test
    void relatedQuestionsNameExistingEntitiesAndFieldsWithSuggestions() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: open_tickets
                    score: |
                      const n = related.count('tiket', {deal: 1});
                      return n + related.sum('ticket', 'hours', {deal: 1, staus: 'open', 'phase': null})
                        + related.max('ticket', 'hour');
                    field: score
                """), new MetadataFile("metadata/entities/ticket.yaml", """
                name: ticket
                label: {en: Ticket}
                pluralLabel: {en: Tickets}
                fields:
                  subject: {type: text, label: {en: Subject}}
                  deal: {type: reference, entity: deal, label: {en: Deal}}
                  status: {type: text, label: {en: Status}}
                  hours: {type: decimal, label: {en: Hours}}
                """));
        assertThat(problems).hasSize(4);
        assertAt(problems.get(0), FILE, 13, 32, ProblemCode.RULE_UNKNOWN_ENTITY);
        assertThat(problems.get(0).message()).contains("'open_tickets'", "related.count", "'tiket'");
        assertThat(problems.get(0).fix()).contains("did you mean 'ticket'?");
        assertAt(problems.get(1), FILE, 14, 59, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(1).message()).contains("'staus'", "related.sum", "entity 'ticket' has no field");
        assertThat(problems.get(1).fix()).contains("did you mean 'status'?");
        assertAt(problems.get(2), FILE, 14, 75, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(2).message()).contains("'phase'");
        assertAt(problems.get(3), FILE, 15, 34, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(3).fix()).contains("did you mean 'hours'?");
    }

    @Test
    void relatedFirstChecksItsFilterWithComparisonsAndItsOrder() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: latest_ticket
                    score: |
                      const t = related.first('ticket', {deal: 1, hours: {gte: 2, orEmpty: true}, statu: {not: 'x'}}, '-hour');
                      return related.first('ticket', {}, ['subject', '-hours', 'subjekt']) == null ? 0 : 1;
                    field: score
                """), new MetadataFile("metadata/entities/ticket.yaml", """
                name: ticket
                label: {en: Ticket}
                pluralLabel: {en: Tickets}
                fields:
                  subject: {type: text, label: {en: Subject}}
                  deal: {type: reference, entity: deal, label: {en: Deal}}
                  status: {type: text, label: {en: Status}}
                  hours: {type: decimal, label: {en: Hours}}
                """));
        assertThat(problems).extracting(MetadataProblem::message).hasSize(3);
        assertAt(problems.get(0), FILE, 13, 83, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(0).message()).contains("'statu'", "related.first");
        assertAt(problems.get(1), FILE, 13, 105, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(1).fix()).contains("did you mean 'hours'?");
        assertAt(problems.get(2), FILE, 14, 65, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(2).fix()).contains("did you mean 'subject'?");
    }

    @Test
    void dependsOnPathsNameAReferencedFieldOrRecordsPointingHere() throws MetadataException {
        MetadataFile ticket = new MetadataFile("metadata/entities/ticket.yaml", """
                name: ticket
                label: {en: Ticket}
                pluralLabel: {en: Tickets}
                fields:
                  subject: {type: text, label: {en: Subject}}
                  deal: {type: reference, entity: deal, label: {en: Deal}}
                  deal_phase: {type: text, label: {en: Deal phase}, computed: "'x'", dependsOn: [deal.phase]}
                """);
        String valid = """
                rules:
                  - name: tickets
                    score: "related.count('ticket', {deal: related.id})"
                    field: score
                    dependsOn: [ticket.deal]
                """;
        assertThat(new MetadataLoader().load(List.of(deal(valid), ticket)).entity("deal").orElseThrow().rules())
                .singleElement().satisfies(rule -> assertThat(rule.dependsOn()).containsExactly("ticket.deal"));

        List<MetadataProblem> problems = problems(deal("""
                  total: {type: money, label: {en: Total}, dependsOn: [ticket.deal]}
                rules:
                  - name: tickets
                    score: "1"
                    field: score
                    dependsOn: [ticket.subject, tiket.deal]
                """), ticket);
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("DEPENDS_ON_INVALID",
                "DEPENDS_ON_INVALID", "DEPENDS_ON_INVALID");
        assertAt(problems.get(0), FILE, 10, 44, ProblemCode.DEPENDS_ON_INVALID);
        assertThat(problems.get(0).message()).contains("no 'computed' next to it");
        assertAt(problems.get(1), FILE, 15, 17, ProblemCode.DEPENDS_ON_INVALID);
        assertThat(problems.get(1).message()).contains("'ticket.subject'");
        assertThat(problems.get(1).fix()).contains("entity.reference (e.g. ticket.deal)");
        assertAt(problems.get(2), FILE, 15, 33, ProblemCode.DEPENDS_ON_INVALID);
    }

    @Test
    void unknownFieldsAreFoundInBlocksScriptFilesAndReadsOfPrevious() {
        List<MetadataProblem> problems = problems(deal("""
                rules:
                  - name: no_shrinking
                    validation: |
                      if (previous && record.amount < previous.amuont) {
                        return {amount: 'less than ' + record['phse']};
                      }
                      return null;
                  - name: deal_score
                    score: {file: deal.score.js}
                    field: score
                """), script("deal.score.js", "const s = record.name ? 10 : 0;\nreturn s + (record.scroe || 0);"));
        assertThat(problems).hasSize(3);
        assertAt(problems.get(0), FILE, 13, 48, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(0).message()).contains("'previous.amuont'");
        assertAt(problems.get(1), FILE, 14, 47, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(1).message()).contains("'record.phse'");
        assertThat(problems.get(1).fix()).contains("did you mean 'phase'?");
        assertAt(problems.get(2), "metadata/entities/deal.score.js", 2, 20, ProblemCode.RULE_UNKNOWN_FIELD);
        assertThat(problems.get(2).fix()).contains("did you mean 'score'?");
    }

    @Test
    void textAndDynamicReadsAreNotCheckedAsFieldNames() throws MetadataException {
        new MetadataLoader().load(List.of(deal("""
                  total: {type: money, label: {en: Total}, computed: "record['amount'] + (record[record.phase] || 0)"}
                rules:
                  - name: note
                    validation: "record.amount > 0 || 'record.nothing is not a field: ' + JSON.stringify(record)"
                """)));
    }
}
