package io.relata.process.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogFinish;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FinishValuesTest {

    private final EntityDefinition lead = LeadQualification.model().entity("lead").orElseThrow();

    @Test
    void sectionsAndCommentsNameValuesLikePlainPlaceholders() {
        var create = new DialogFinish.CreateRecord("activity", Map.of("subject",
                "Call {{record.company}}{{#record.company}}, {{record.company}}{{/record.company}}{{^dialog.budget}} (no budget){{/dialog.budget}}{{! note }}"),
                null);

        assertThat(FinishValues.unknownPlaceholders(create, lead, Set.of("budget"))).isEmpty();
    }

    @Test
    void unknownNamesAreReportedAsWritten() {
        var create = new DialogFinish.CreateRecord("activity", Map.of("subject", "{{#record.nope}}x{{/record.nope}} {{other.x}}"), null);

        assertThat(FinishValues.unknownPlaceholders(create, lead, Set.of()))
                .containsExactly("{{#record.nope}}", "{{/record.nope}}", "{{other.x}}");
    }
}
