package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.store.AutomaticChange;
import io.relata.runtime.Platform;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * What a process or a plugin set in a save, as sentences for the user ("Process 'Sales pipeline' set Probability
 * to 50."),
 * so a value the user did not type never changes without a word.
 */
final class ProcessChangeTexts {

    private ProcessChangeTexts() {
    }

    /** One sentence per change, in the user's language, values formatted as on the form. */
    static List<String> lines(List<AutomaticChange> changes, Platform platform, UiText ui) {
        List<String> lines = new ArrayList<>();
        for (AutomaticChange change : changes) {
            EntityDefinition entity = platform.model().entity(change.entity()).orElse(null);
            FieldDefinition field = entity == null ? null : entity.field(change.field()).orElse(null);
            if (field == null) {
                continue; // the model changed under the save
            }
            String prefix = change.plugin().isPresent() ? "record.plugin" : "record.process";
            String source = change.plugin().orElseGet(() -> processLabel(change.by(), platform, ui));
            lines.add(change.value() == null
                    ? MessageFormat.format(ui.message(prefix + "Cleared"), source, ui.label(field))
                    : MessageFormat.format(ui.message(prefix + "Set"), source, ui.label(field),
                            value(field, change.value(), platform, ui)));
        }
        return lines;
    }

    /** The label of the process that set a value, for the hint under a field the form shows as it will be. */
    static String processLabel(String process, Platform platform, UiText ui) {
        if (process == null) {
            return "";
        }
        return platform.model().process(process).map(p -> p.label() == null ? p.name() : ui.text(p.label()))
                .orElse(process);
    }

    private static String value(FieldDefinition field, Object value, Platform platform, UiText ui) {
        if (field.type() == FieldType.REFERENCE) {
            Long id = (Long) value;
            return RecordCells.titlesIfReadable(platform.records(), field.referenceEntity(), List.of(id))
                    .getOrDefault(id, "#" + id);
        }
        return ui.format(field, value);
    }
}
