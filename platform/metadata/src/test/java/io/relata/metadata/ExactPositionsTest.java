package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.ACCOUNT;
import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

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
}
