package io.relata.api.record;

/**
 * Why a value was refused. {@code field} is the field name (or null for the record as a whole),
 * {@code code} a stable machine-readable code (e.g. {@code required}, {@code too_long},
 * {@code not_a_number}, {@code unknown_option}, {@code unique}, {@code reference_not_found},
 * {@code unknown_field}), {@code message} an English sentence that says what to enter instead.
 */
public record FieldError(String field, String code, String message) {
}
