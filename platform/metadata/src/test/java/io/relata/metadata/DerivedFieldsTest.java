package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.security.DerivedField;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A field computed from a field a role cannot see is hidden for that role too, unless its grant lists it under
 * showDerived; the loader tells the admin where.
 */
class DerivedFieldsTest {

    static final String ROLE_FILE = "metadata/roles/service.yaml";

    /** Lines 1–13: weighted from amount, bonus from weighted, a score over the whole record, a default. */
    static final String DEAL = """
            name: deal
            label: {en: Deal}
            pluralLabel: {en: Deals}
            fields:
              name: {type: text, label: {en: Name}}
              amount: {type: money, label: {en: Amount}}
              probability: {type: integer, label: {en: Probability}}
              weighted: {type: money, label: {en: Weighted}, computed: "record.amount * record.probability / 100"}
              bonus: {type: money, label: {en: Bonus}, computed: "record.weighted > 1000 ? 50 : 0"}
              size: {type: text, label: {en: Size}, default: "previous?.amount > 5 ? 'big' : 'small'"}
              label_text: {type: text, label: {en: Label}, computed: "record.name + ' (' + record.probability + ')'"}
              score: {type: integer, label: {en: Score}}
              reasons: {type: long-text, label: {en: Reasons}}
            rules:
              - name: deal_score
                score: "({score: Object.keys(record).length, reasons: []})"
                field: score
                reasonsField: reasons
            """;

    static MetadataFile role(String grant) {
        return new MetadataFile(ROLE_FILE, """
                name: service
                label: {en: Service}
                entities:
                """ + grant);
    }

    private static MetadataLoader.Loaded load(MetadataFile... files) throws MetadataException {
        return new MetadataLoader().loadWithWarnings(List.of(files));
    }

    private static EntityGrant grant(MetadataLoader.Loaded loaded) {
        return loaded.model().role("service").orElseThrow().grant("deal").orElseThrow();
    }

    @Test
    void fieldsComputedFromAHiddenFieldAreHiddenTooAndTheAdminIsToldWhere() throws MetadataException {
        MetadataLoader.Loaded loaded = load(entity("deal", DEAL),
                role("  deal: {read: all, fields: {amount: hidden}}\n"));

        EntityGrant deal = grant(loaded);
        assertThat(deal.derived()).containsOnlyKeys("weighted", "bonus", "size", "score", "reasons");
        assertThat(deal.derived().get("weighted")).isEqualTo(new DerivedField("weighted", List.of("amount"),
                "weighted.computed", new io.relata.api.model.SourceLocation("metadata/entities/deal.yaml", 8, 61)));
        assertThat(deal.derived().get("bonus").from()).containsExactly("weighted");
        assertThat(deal.derived().get("score").from()).as("the score reads the whole record")
                .containsExactly("amount", "weighted", "bonus", "size");
        assertThat(deal.fieldAccess("weighted")).isEqualTo(FieldAccess.HIDDEN);
        assertThat(deal.fieldAccess("probability")).isEqualTo(FieldAccess.EDITABLE);
        assertThat(deal.fieldAccess("label_text")).as("computed from visible fields only").isEqualTo(FieldAccess.EDITABLE);

        assertThat(loaded.warnings()).extracting(MetadataProblem::code).containsOnly("DERIVED_FIELD_HIDDEN").hasSize(5);
        assertThat(loaded.warnings()).as("each points at what hides the field they come from: amount")
                .allSatisfy(w -> assertAt(w, ROLE_FILE, 4, 30, ProblemCode.DERIVED_FIELD_HIDDEN));
        MetadataProblem weighted = loaded.warnings().get(0);
        assertThat(weighted.message()).contains("Role 'service' cannot see 'amount' of entity 'deal'",
                "'weighted' either", "the computed rule 'weighted.computed' (metadata/entities/deal.yaml:8:61)");
        assertThat(weighted.fix()).contains("'weighted: hidden'", "'showDerived: [weighted]'");
    }

    @Test
    void showDerivedShowsADerivedFieldAndWhatIsComputedOnlyFromIt() throws MetadataException {
        MetadataLoader.Loaded loaded = load(entity("deal", DEAL),
                role("  deal: {read: all, fields: {amount: hidden, size: hidden, score: hidden, reasons: hidden},"
                        + " showDerived: [weighted]}\n"));

        EntityGrant deal = grant(loaded);
        assertThat(deal.derived()).isEmpty();
        assertThat(deal.fieldAccess("weighted")).isEqualTo(FieldAccess.EDITABLE);
        assertThat(deal.fieldAccess("bonus")).isEqualTo(FieldAccess.EDITABLE);
        assertThat(loaded.warnings()).as("the role file says everything").isEmpty();
    }

    @Test
    void aDerivedFieldTheRoleAsksToSeeIsReportedAtItsEntry() throws MetadataException {
        MetadataLoader.Loaded loaded = load(entity("deal", DEAL), role("""
                  deal:
                    read: all
                    fieldDefault: hidden
                    fields: {name: read-only, probability: read-only, weighted: read-only}
                """));

        assertThat(grant(loaded).fieldAccess("weighted")).isEqualTo(FieldAccess.HIDDEN);
        assertThat(loaded.warnings()).hasSize(1);
        assertAt(loaded.warnings().get(0), ROLE_FILE, 7, 55, ProblemCode.DERIVED_FIELD_HIDDEN);
    }

    @Test
    void processExpressionsThatSetAFieldFromAHiddenOneDeriveItToo() throws MetadataException {
        String deal = DEAL.replace("  score: {type: integer, label: {en: Score}}\n", """
                  score: {type: integer, label: {en: Score}}
                  stage:
                    type: choice
                    label: {en: Stage}
                    options: [{value: open, label: {en: Open}}, {value: won, label: {en: Won}}]
                  won_amount: {type: money, label: {en: Won amount}}
                """);
        MetadataFile process = new MetadataFile("metadata/processes/deal_flow.yaml", """
                name: deal_flow
                entity: deal
                label: {en: Deal flow}
                phaseField: stage
                phases:
                  - name: open
                  - name: won
                    outcome: success
                    onEnter:
                      - set: {won_amount: '=record.amount'}
                transitions:
                  - {from: open, to: won}
                """);

        MetadataLoader.Loaded loaded = load(entity("deal", deal), process,
                role("  deal: {read: all, fields: {amount: hidden}}\n"));

        DerivedField wonAmount = grant(loaded).derived().get("won_amount");
        assertThat(wonAmount.rule()).isEqualTo("deal_flow.won.onEnter.won_amount");
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w.message())
                .contains("'won_amount'", "the set-field expression 'deal_flow.won.onEnter.won_amount' of process 'deal_flow'"));
    }

    @Test
    void aShowDerivedEntryThatChangesNothingIsAWarningAndAnUnknownOneAnError() throws MetadataException {
        MetadataLoader.Loaded loaded = load(entity("deal", DEAL),
                role("  deal: {read: all, showDerived: [label_text]}\n"));
        assertThat(loaded.warnings()).hasSize(1);
        assertAt(loaded.warnings().get(0), ROLE_FILE, 4, 35, ProblemCode.SHOW_DERIVED_NOT_NEEDED);
        assertThat(loaded.warnings().get(0).fix()).contains("remove 'label_text'");

        MetadataProblem problem = onlyProblem(entity("deal", DEAL), role("  deal: {read: all, showDerived: [wieghted]}\n"));
        assertAt(problem, ROLE_FILE, 4, 35, ProblemCode.UNKNOWN_GRANT_FIELD);
        assertThat(problem.fix()).contains("did you mean 'weighted'?");
    }
}
