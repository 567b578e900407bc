package io.relata.api.record;

/**
 * A condition on one field. {@code value} may be raw input (a String from a URL) or already typed; the
 * store converts it to the field's type and rejects what does not fit with a {@link ValidationException}.
 * The field may also be a system column: {@code id}, {@code version}, {@code created_at}, {@code updated_at}.
 */
public record Filter(String field, FilterOperator operator, Object value) {
}
