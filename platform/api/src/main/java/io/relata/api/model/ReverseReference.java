package io.relata.api.model;

/**
 * A reference seen from the referenced side: records of {@code sourceEntity} whose {@code sourceField}
 * points to a record of this entity.
 */
public record ReverseReference(EntityDefinition sourceEntity, FieldDefinition sourceField) {

    public ReverseList list() {
        return sourceField.reverseList();
    }
}
