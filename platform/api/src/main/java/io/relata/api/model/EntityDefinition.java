package io.relata.api.model;

import java.util.List;
import java.util.Optional;

/**
 * An entity as declared in one metadata file: its labels and its fields in display order.
 *
 * @param name       API and metadata name, lower case (e.g. {@code account}); the table is derived from it
 * @param titleField the field that names a record in pickers, titles and reverse lists
 */
public record EntityDefinition(
        String name,
        LocalizedText label,
        LocalizedText pluralLabel,
        String icon,
        String titleField,
        List<FieldDefinition> fields,
        SourceLocation location) {

    public EntityDefinition {
        fields = List.copyOf(fields);
    }

    public Optional<FieldDefinition> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    public List<FieldDefinition> listedFields() {
        return fields.stream().filter(FieldDefinition::listed).toList();
    }

    public List<FieldDefinition> searchableFields() {
        return fields.stream().filter(FieldDefinition::searchable).toList();
    }
}
