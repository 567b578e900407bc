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

        assertThat(FinishValues.resolve(dialog, create, null, answers(Map.of("company", "Müller & Söhne <KG>"),
                Map.of("topic", "\"pricing\"")), "en")).containsEntry("subject", "Call Müller & Söhne <KG> about \"pricing\"");
    }

    @Test
    void aBrokenTemplateSaysWhereAndHowToWriteIt() {
        var create = new DialogFinish.CreateRecord("activity", Map.of("subject", "Call {{#record.company}} now"), null);

        assertThatThrownBy(() -> FinishValues.resolve(dialog, create, null, answers(Map.of("company", "Acme"), Map.of()), "en"))
                .isInstanceOf(DialogException.class)
                .hasMessageContaining("The value of 'subject' for the new activity in dialog '" + dialog.name() + "'")
                .hasMessageContaining("is not a valid template: ")
                .hasMessageContaining("Write placeholders as {{record.field}} or {{dialog.field}}.");
    }

    @Test
    void aValueGivenPerLanguageIsWrittenInTheFinishingUsersLanguageWithChoicesAsTheirLabels() {
        var reason = new io.relata.api.model.FieldDefinition("reason", io.relata.api.model.LocalizedText.of("Grund", "Reason"),
                io.relata.api.model.FieldType.CHOICE, false, false, false, false, false, null, null, null,
                java.util.List.of(new io.relata.api.model.ChoiceOption("too_early", io.relata.api.model.LocalizedText.of(
                        "Zu früh", "Too early"))), null, null, null, io.relata.api.model.SourceLocation.UNKNOWN);
        var stays = new io.relata.api.model.FieldDefinition("stays", io.relata.api.model.LocalizedText.of("Bleibt", "Stays"),
                io.relata.api.model.FieldType.BOOLEAN, false, false, false, false, false, null, null, null,
                java.util.List.of(), null, null, null, io.relata.api.model.SourceLocation.UNKNOWN);
        var create = new DialogFinish.CreateRecord("activity", Map.of("subject", io.relata.api.model.LocalizedText.of(
                "Anruf {{record.company}}: {{dialog.reason}}, bleibt: {{dialog.stays}}",
                "Call {{record.company}}: {{dialog.reason}}, stays: {{dialog.stays}}")), null);
        var answers = new FinishValues.Answers(Map.of("company", "Acme"), Map.of(),
                Map.of("reason", "too_early", "stays", true), Map.of("reason", reason, "stays", stays));

        assertThat(FinishValues.resolve(dialog, create, null, answers, "de"))
                .containsEntry("subject", "Anruf Acme: Zu früh, bleibt: ja");
        assertThat(FinishValues.resolve(dialog, create, null, answers, "en"))
                .containsEntry("subject", "Call Acme: Too early, stays: yes");
        assertThat(FinishValues.unknownPlaceholders(create, lead, Set.of("reason", "stays"))).isEmpty();
        assertThat(FinishValues.unknownPlaceholders(create, lead, Set.of("reason"))).contains("{{dialog.stays}}");
    }


    private static FinishValues.Answers answers(Map<String, Object> record, Map<String, Object> dialog) {
        return new FinishValues.Answers(record, Map.of(), dialog, Map.of());
    }

}
