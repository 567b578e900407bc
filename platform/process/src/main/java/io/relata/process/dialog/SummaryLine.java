package io.relata.process.dialog;

import io.relata.api.model.LocalizedText;
import io.relata.api.process.DialogField;

/**
 * One answered field for the summary screen.
 *
 * @param step      the step's name, to jump back to it
 * @param stepTitle the step's title
 * @param field     the field as the dialog asked it (label, type and options for formatting the value)
 * @param value     the typed answer, or null if left empty
 */
public record SummaryLine(String step, LocalizedText stepTitle, DialogField field, Object value) {

    public LocalizedText label() {
        return field.definition().label();
    }
}
