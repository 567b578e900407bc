package io.relata.api.model;

/**
 * Narrows the records a reference picker offers by another field of the same record: only records whose
 * {@code via} field equals this record's {@code field}. On an activity's contact, {@code {field: account, via:
 * account}} offers only the contacts of the activity's account.
 *
 * @param field a reference field of the entity that declares the narrowing (the activity's {@code account})
 * @param via   a reference field of the referenced entity pointing to the same entity (the contact's {@code account})
 */
public record NarrowBy(String field, String via) {
}
