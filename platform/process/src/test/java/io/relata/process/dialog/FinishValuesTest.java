package io.relata.process.dialog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogDefinition;
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

    private final DialogDefinition dialog = LeadQualification.model().dialog(LeadQualification.DIALOG).orElseThrow();

    @Test
    void valuesAreFilledInWithoutHtmlEscaping() {
        var create = new DialogFinish.CreateRecord("activity", Map.of("subject",
                "Call {{record.company}} about {{dialog.topic}}"), null);

        assertThat(FinishValues.resolve(dialog, create, null, Map.of("company", "Müller & Söhne <KG>"),
                Map.of("topic", "\"pricing\""))).containsEntry("subject", "Call Müller & Söhne <KG> about \"pricing\"");
    }

    @Test
    void aBrokenTemplateSaysWhereAndHowToWriteIt() {
        var create = new DialogFinish.CreateRecord("activity", Map.of("subject", "Call {{#record.company}} now"), null);

        assertThatThrownBy(() -> FinishValues.resolve(dialog, create, null, Map.of("company", "Acme"), Map.of()))
                .isInstanceOf(DialogException.class)
                .hasMessageContaining("The value of 'subject' for the new activity in dialog '" + dialog.name() + "'")
                .hasMessageContaining("is not a valid template: ")
                .hasMessageContaining("Write placeholders as {{record.field}} or {{dialog.field}}.");
    }
}
