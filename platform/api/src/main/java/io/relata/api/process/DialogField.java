package io.relata.api.process;

import io.relata.api.model.FieldDefinition;

/**
 * A field asked in a dialog step: either a field of the dialog's entity (its definition, so label, type,
 * options and constraints come from the entity; the value is written back on finish) or a dialog-only field
 * that exists just for branching and the summary ({@link #recordField} false).
 *
 * @param definition  the field as shown and validated (for entity fields: the entity's own definition,
 *                    with {@code required} as the step says)
 * @param recordField true if the value is written to the record's field of the same name on finish
 */
public record DialogField(FieldDefinition definition, boolean recordField) {

    public String name() {
        return definition.name();
    }
}
