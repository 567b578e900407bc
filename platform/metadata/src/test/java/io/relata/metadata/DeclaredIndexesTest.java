package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.IndexDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Composite indexes an entity declares ({@code indexes}), as the loader reads and checks them. */
class DeclaredIndexesTest {

    private static final String LEAD_FILE = "metadata/entities/lead.yaml";

    /** Lines 1–11; the index list starts on line 9. */
    private static final String LEAD = """
            name: lead
            label: {en: Lead}
            pluralLabel: {en: Leads}
            fields:
              status: {type: choice, label: {en: Status}, options: [{value: new, label: {en: New}}]}
              received_at: {type: date-time, label: {en: Received}}
              notes: {type: long-text, label: {en: Notes}}
              about: {type: record-link, label: {en: About}}
            indexes:
              - fields: [status, -received_at]
              - fields: [owner_user, -created_at]
            """;

    @Test
    void declaredIndexesKeepTheirFieldsDirectionsAndPositions() throws MetadataException {
        EntityDefinition lead = new MetadataLoader().load(List.of(entity("lead", LEAD))).entity("lead").orElseThrow();

        assertThat(lead.indexes()).extracting(IndexDefinition::keys).containsExactly(
                List.of(new IndexDefinition.Key("status", false), new IndexDefinition.Key("received_at", true)),
                List.of(new IndexDefinition.Key("owner_user", false), new IndexDefinition.Key("created_at", true)));
        assertThat(lead.indexes().get(0).location().line()).isEqualTo(10);
        assertThat(lead.indexes().get(1).location().line()).isEqualTo(11);
    }

    @Test
    void anUnknownFieldIsReportedAtItsPositionWithTheClosestName() {
        MetadataProblem problem = onlyProblem(entity("lead", LEAD.replace("-received_at]", "-recieved_at]")));

        assertAt(problem, LEAD_FILE, 10, 22, ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.message()).contains("'recieved_at'");
        assertThat(problem.fix()).contains("did you mean 'received_at'?");
    }

    @Test
    void longTextsRecordLinksIdRepeatedFieldsAndRepeatedIndexesAreRefused() {
        String bad = LEAD.replace("[owner_user, -created_at]", "[notes, about]")
                + "  - fields: [status, id]\n  - fields: [status, -status]\n  - fields: [status, -received_at]\n";

        List<MetadataProblem> found = problems(entity("lead", bad));

        assertThat(found).extracting(p -> p.code() + "@" + p.line() + ":" + p.column()).containsExactlyInAnyOrder(
                "FIELD_TYPE_MISMATCH@11:14", "FIELD_TYPE_MISMATCH@11:21", "INDEX_INVALID@12:22",
                "INDEX_INVALID@13:22", "INDEX_INVALID@14:5");
        assertThat(found).filteredOn(p -> p.line() == 11 && p.column() == 14).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'notes' of type long-text"));
        assertThat(found).filteredOn(p -> p.line() == 14).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("declared twice"));
    }

    @Test
    void theSchemaRefusesAnEmptyIndexAndABadName() {
        assertAt(onlyProblem(entity("lead", LEAD.replace("[owner_user, -created_at]", "[]"))), LEAD_FILE, 11, 13,
                ProblemCode.INVALID_VALUE);
        assertAt(onlyProblem(entity("lead", LEAD.replace("[owner_user, -created_at]", "[Status]"))), LEAD_FILE, 11,
                14, ProblemCode.INVALID_VALUE);
    }
}
