package io.relata.api.record;

import io.relata.api.model.FieldType;

/**
 * What {@link RecordStore#aggregate} computes over one field of the matching records; empty values are skipped.
 * The database computes it; records are never loaded for it.
 */
public enum Aggregate {
    /** How many matching records have a value in the field (all matching records when no field is given): a Long. */
    COUNT,
    /** The total of a number or money field: a Long for integers, a BigDecimal otherwise. */
    SUM,
    /** The mean of a number or money field, as a BigDecimal. */
    AVERAGE,
    /** The smallest value of a number, money, date or date-time field, in the field's Java type. */
    MIN,
    /** The largest value of a number, money, date or date-time field, in the field's Java type. */
    MAX,
    /** How many different values the field holds among the matching records (e.g. accounts with an order): a Long. */
    COUNT_DISTINCT;

    /** Whether this aggregate can be computed over a field of {@code type}. */
    public boolean accepts(FieldType type) {
        return switch (this) {
            case COUNT -> true;
            case COUNT_DISTINCT -> type != FieldType.MULTI_CHOICE && type != FieldType.LONG_TEXT;
            case SUM, AVERAGE -> type == FieldType.INTEGER || type == FieldType.DECIMAL || type == FieldType.MONEY;
            case MIN, MAX -> type == FieldType.INTEGER || type == FieldType.DECIMAL || type == FieldType.MONEY
                    || type == FieldType.DATE || type == FieldType.DATE_TIME;
        };
    }
}
