package io.relata.process;

import static io.relata.process.Models.choice;
import static io.relata.process.Models.field;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A phase's required field that the form's visibleWhen hides in that phase is found (a load warning). */
class HiddenPhaseFieldsTest {

    private static RuleDefinition visibleWhen(String field, String condition) {
        return new RuleDefinition(field + ".visibleWhen", RuleKind.VISIBLE_WHEN, field, null, condition,
                "metadata/entities/ticket.yaml", SourceLocation.UNKNOWN);
    }

    @Test
    void aRequiredFieldTheFormHidesInThePhaseIsFoundAndOneItShowsThereIsNot() {
        EntityDefinition ticket = Models.entity("ticket", "subject", field("subject", FieldType.TEXT),
                        field("resolution", FieldType.LONG_TEXT), field("callback_at", FieldType.DATE_TIME),
                        choice("phase", "open", "waiting", "resolved"))
                .withRules(List.of(visibleWhen("resolution", "record.phase == 'resolved'"),
                        visibleWhen("callback_at", "record.phase == 'open'")));
        MetadataModel model = Models.model(List.of(ticket), List.of(process("service", "ticket", "phase")
                .phases(phase("open"), phase("waiting").requires("callback_at", "subject"),
                        phase("resolved").requires("resolution"))
                .moves("open", "waiting", "resolved").build()), List.of());

        assertThat(HiddenPhaseFields.find(model, TestRules.rules())).containsExactly(
                new HiddenPhaseFields.Hidden("service", "waiting", "callback_at", Models.at("phase.yaml", 2)));
    }
}
