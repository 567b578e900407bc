package io.relata.api.record;

/** One sort key. Nulls sort last in both directions. Field names as in {@link Filter}. */
public record Sort(String field, boolean descending) {

    public static Sort asc(String field) {
        return new Sort(field, false);
    }

    public static Sort desc(String field) {
        return new Sort(field, true);
    }
}
