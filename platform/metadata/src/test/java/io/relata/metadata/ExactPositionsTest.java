package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.ACCOUNT;
import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Problems whose position the parser alone would get wrong: reported where the admin must look. */
class ExactPositionsTest {

    private static final String LONG_ACCOUNT = ACCOUNT + """
              city: {type: text, label: {de: Ort, en: City}}
              street: {type: text, label: {de: Straße, en: Street}}
              zip: {type: text, label: {de: PLZ, en: ZIP}}
            """;

    @Test
    void anUnterminatedDoubleQuoteIsReportedWhereItOpens() {
        MetadataProblem problem = onlyProblem(entity("account",
                LONG_ACCOUNT.replace("label: {de: Firma, en: Account}", "label: {de: \"Firma, en: Account}")));

        assertAt(problem, "metadata/entities/account.yaml", 2, 13, ProblemCode.YAML_SYNTAX);
        assertThat(problem.message()).contains("never closed", "end of the file");
        assertThat(problem.fix()).contains("close the text with a \"");
    }

    @Test
    void anUnterminatedSingleQuoteIsReportedWhereItOpens() {
        MetadataProblem problem = onlyProblem(entity("account",
                LONG_ACCOUNT.replace("city: {type: text, label: {de: Ort", "city: {type: text, label: {de: 'Ort")));

        assertAt(problem, "metadata/entities/account.yaml", 6, 34, ProblemCode.YAML_SYNTAX);
        assertThat(problem.fix()).contains("close the text with a '", "''");
    }

    @Test
    void aNulCharacterInAValidFileIsReportedAtItsOwnPosition() {
        MetadataProblem problem = onlyProblem(entity("account",
                ACCOUNT.replace("pluralLabel: {de: Firmen", "pluralLabel: {de: Fir\u0000men")));

        assertAt(problem, "metadata/entities/account.yaml", 3, 22, ProblemCode.CONTROL_CHARACTER);
        assertThat(problem.message()).contains("U+0000", "NUL");
        assertThat(problem.fix()).contains("delete the character");
    }

    @Test
    void anotherControlCharacterIsReportedLikeANul() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT.replace("name: account", "name: acc\u0007ount")));

        assertAt(problem, "metadata/entities/account.yaml", 1, 10, ProblemCode.CONTROL_CHARACTER);
        assertThat(problem.message()).contains("U+0007");
    }

    @Test
    void tabsAndWindowsLineEndsAreNoControlCharacters() throws MetadataException {
        new MetadataLoader().load(java.util.List.of(entity("account", ACCOUNT.replace("\n", "\r\n")
                .replace("# ", "#\t"))));
    }

    // ---- keys indented wrongly: one KEY_INDENTATION problem, never a cascade or a bare syntax error ----------

    private static final String BLOCK_ACCOUNT = """
            name: account
            label: {de: Firma, en: Account}
            pluralLabel: {de: Firmen, en: Accounts}
            fields:
              name:
                type: text
                label: {de: Name, en: Name}
                required: true
                maxLength: 100
              city: {type: text, label: {de: Ort, en: City}}
            """;

    @Test
    void aFieldAttributeDedentedInTheMiddleIsOneIndentationProblemAtIt() {
        String yaml = BLOCK_ACCOUNT.replace("    required: true", "  required: true");

        MetadataProblem problem = onlyProblem(entity("account", yaml));

        assertAt(problem, "metadata/entities/account.yaml", 8, 3, ProblemCode.KEY_INDENTATION);
        assertThat(problem.message()).contains("'required'", "'label', line 7", "'maxLength', line 9");
        assertThat(problem.fix()).isEqualTo("indent it by 2 more spaces, to line up with 'label' (line 7).");
    }

    @Test
    void aFieldAttributeDedentedToTheEndIsReadAsMeant() {
        String yaml = BLOCK_ACCOUNT.replace("    maxLength: 100\n", "  maxLength: 100\n")
                .replace("  city: {type: text, label: {de: Ort, en: City}}\n", "");

        MetadataProblem problem = onlyProblem(entity("account", yaml));

        assertAt(problem, "metadata/entities/account.yaml", 9, 3, ProblemCode.KEY_INDENTATION);
        assertThat(problem.fix()).contains("indent it by 2 more spaces");
    }

    @Test
    void aFieldAttributeBetweenTwoLevelsOrTooDeepIsOneIndentationProblem() {
        String between = BLOCK_ACCOUNT.replace("    label: {de: Name", "   label: {de: Name");
        MetadataProblem problem = onlyProblem(entity("account", between));
        assertAt(problem, "metadata/entities/account.yaml", 7, 4, ProblemCode.KEY_INDENTATION);
        assertThat(problem.fix()).isEqualTo("indent it by 1 more space, to line up with 'type' (line 6).");

        String deep = BLOCK_ACCOUNT.replace("    required: true", "      required: true");
        problem = onlyProblem(entity("account", deep));
        assertAt(problem, "metadata/entities/account.yaml", 8, 7, ProblemCode.KEY_INDENTATION);
        assertThat(problem.fix()).isEqualTo("indent it by 2 fewer spaces, to line up with 'label' (line 7).");
    }

    @Test
    void aPhaseAttributeDedentedToTheListIsOneIndentationProblemAtIt() {
        String yaml = ProcessFixtures.FLOW.replace("    outcome: success", "  outcome: success");

        MetadataProblem problem = onlyProblem(ProcessFixtures.withBase(ProcessFixtures.process(yaml)));

        ProcessFixtures.assertAt(problem, ProcessFixtures.PROCESS_FILE, yaml, "outcome: success",
                ProblemCode.KEY_INDENTATION);
        assertThat(problem.message()).contains("'outcome'", "where the items of the list start ('- ' at line 8)");
        assertThat(problem.fix()).isEqualTo("indent it by 2 more spaces, to line up with 'name' (line 8).");
    }

    @Test
    void aStepAttributeDedentedToTheListLinesUpWithTheNearestKeyOfItsStep() {
        String yaml = ProcessFixtures.CHECK.replace("    validation: \"record.notes", "  validation: \"record.notes");

        MetadataProblem problem = onlyProblem(ProcessFixtures.withBase(ProcessFixtures.process(ProcessFixtures.FLOW),
                ProcessFixtures.dialog(yaml)));

        ProcessFixtures.assertAt(problem, ProcessFixtures.DIALOG_FILE, yaml, "validation", ProblemCode.KEY_INDENTATION);
        assertThat(problem.fix()).isEqualTo("indent it by 2 more spaces, to line up with 'fields' (line 19).");
    }

    @Test
    void aGrantAttributeDedentedInTheMiddleIsOneIndentationProblem() {
        String yaml = """
                name: sales
                label: {de: Vertrieb, en: Sales}
                entities:
                  account:
                    create: true
                  read: all
                    update: team
                """;

        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), RoleProblemsTest.role("sales", yaml));

        assertAt(problem, "metadata/roles/sales.yaml", 6, 3, ProblemCode.KEY_INDENTATION);
        assertThat(problem.fix()).isEqualTo("indent it by 2 more spaces, to line up with 'create' (line 5).");
    }

    @Test
    void aColonInATextIsStillASyntaxError() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT.replace("name: account", "name: account: x")));

        assertThat(problem.code()).isEqualTo(ProblemCode.YAML_SYNTAX.name());
        assertThat(List.of(problem.line(), problem.column())).containsExactly(1, 14);
    }
}
