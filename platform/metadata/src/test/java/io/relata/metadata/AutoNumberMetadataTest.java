package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.AutoNumber;
import io.relata.api.model.MetadataModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text fields the platform numbers on create ({@code autoNumber: {prefix: POL-, digits: 6}}). */
class AutoNumberMetadataTest {

    /** Lines 1–7; the field {@code number} is on line 6. */
    private static final String POLICY = """
            name: policy
            label: {en: Policy}
            pluralLabel: {en: Policies}
            fields:
              holder: {type: text, label: {en: Holder}}
              number: {type: text, label: {en: Number}, required: true, unique: true, maxLength: 20, autoNumber: {prefix: POL-, digits: 6}}
              premium: {type: money, label: {en: Premium}}
            """;
    private static final String FILE = "metadata/entities/policy.yaml";

    @Test
    void theNumberingIsLoadedAndFormatsZeroPaddedCounters() throws MetadataException {
        MetadataModel model = new MetadataLoader().load(List.of(entity("policy", POLICY)));
        AutoNumber numbering = model.entity("policy").orElseThrow().field("number").orElseThrow().autoNumber();

        assertThat(numbering).isEqualTo(new AutoNumber("POL-", 6));
        assertThat(numbering.format(42)).isEqualTo("POL-000042");
        assertThat(numbering.format(1_234_567)).as("a counter wider than the digits").isEqualTo("POL-1234567");
        assertThat(model.entity("policy").orElseThrow().field("holder").orElseThrow().autoNumber()).isNull();
    }

    @Test
    void onlyTextFieldsAreNumbered() {
        MetadataProblem problem = onlyProblem(entity("policy", POLICY.replace(
                "premium: {type: money, label: {en: Premium}}",
                "premium: {type: money, label: {en: Premium}, autoNumber: {digits: 3}}")));
        assertThat(problem.code()).isIn(ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE.name(), ProblemCode.SCHEMA_VIOLATION.name());
        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.line()).isEqualTo(7);
        assertThat(problem.message()).contains("autoNumber");
    }

    @Test
    void aNumberedFieldTakesNoDefaultOrComputedValue() {
        MetadataProblem problem = onlyProblem(entity("policy", POLICY.replace("digits: 6}}", "digits: 6}, default: \"'X'\"}")));
        assertThat(problem.code()).isEqualTo(ProblemCode.CONFLICTING_RULES.name());
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.fix()).contains("remove 'default'");
    }

    @Test
    void theFirstNumberMustFitTheFieldsLength() {
        MetadataProblem problem = onlyProblem(entity("policy", POLICY.replace("maxLength: 20", "maxLength: 8")));
        assertAt(problem, FILE, 6, problem.column(), ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("allows 8 characters", "have 10");
        assertThat(problem.fix()).contains("at least 10");
    }

    @Test
    void digitsAndPrefixAreChecked() {
        MetadataProblem problem = onlyProblem(entity("policy", POLICY.replace("digits: 6", "digits: 0")));
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.message()).contains("digits");
        problem = onlyProblem(entity("policy", POLICY.replace("prefix: POL-", "prefix: \"POL <1>\"")));
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.message()).contains("prefix");
    }
}
