package io.relata.api.model;

import java.util.List;

/**
 * A section of a record form: a heading (none for an untitled block), how many columns its fields are laid out in,
 * and the fields in reading order.
 */
public record FormSection(LocalizedText label, int columns, List<String> fields) {

    public FormSection {
        fields = List.copyOf(fields);
        if (columns < 1 || columns > 4) {
            throw new IllegalArgumentException("A section has 1 to 4 columns, not " + columns);
        }
    }
}
