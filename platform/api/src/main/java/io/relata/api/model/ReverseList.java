package io.relata.api.model;

/**
 * How a reference appears on the referenced entity: the list of records that point to it (an
 * account's contacts). {@code name} identifies the list on the referenced entity.
 */
public record ReverseList(String name, LocalizedText label) {
}
