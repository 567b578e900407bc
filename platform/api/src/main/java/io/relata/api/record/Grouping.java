package io.relata.api.record;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Figures of records grouped in the database ({@code GROUP BY}), within the caller's rows: for each combination of
 * the {@link #by} keys, the {@link #measures}. Used by the forecast (open amounts per owner and month) and by
 * charts.
 *
 * @param by       the keys: a field, or the system columns {@code owner_user} and {@code owner_team}; a date or
 *                 date-time field (also {@code created_at}, {@code updated_at}) by day, week, month, quarter or year
 * @param measures what is computed per group
 * @param zone     where the days of date-time values begin and end, for their periods (a timestamp at 23:30 UTC on
 *                 31 January is in February in Berlin); date fields have no zone
 * @since 0.10
 */
public record Grouping(List<Key> by, List<Measure> measures, ZoneId zone) {

    public Grouping {
        by = List.copyOf(by);
        measures = List.copyOf(measures);
        Objects.requireNonNull(zone, "zone");
        if (measures.isEmpty()) {
            throw new IllegalArgumentException("a grouping needs at least one measure");
        }
    }

    /** A grouping whose date-time periods are cut in UTC. */
    public Grouping(List<Key> by, List<Measure> measures) {
        this(by, measures, ZoneOffset.UTC);
    }

    /** How a date or date-time field is grouped. */
    public enum Period {
        /** the value itself */
        NONE,
        DAY,
        /** the ISO week, from Monday */
        WEEK,
        MONTH,
        QUARTER,
        YEAR
    }

    /**
     * A key of the grouping.
     *
     * @param period for a date or date-time field, the period its values are grouped by (the group's key is the
     *               period's first day, a {@code LocalDate}); {@link Period#NONE} for any other field
     */
    public record Key(String field, Period period) {
        public Key {
            Objects.requireNonNull(field, "field");
            period = period == null ? Period.NONE : period;
        }

        public static Key of(String field) {
            return new Key(field, Period.NONE);
        }

        public static Key month(String dateField) {
            return new Key(dateField, Period.MONTH);
        }
    }

    /** An aggregate of a field ({@code field} null: {@link Aggregate#COUNT} of the records). */
    public record Measure(Aggregate aggregate, String field) {
        public Measure {
            Objects.requireNonNull(aggregate, "aggregate");
        }
    }

    /**
     * One group: the values of the keys (in the order of {@link #by}; a period as its first day) and of the measures
     * (in the order of {@link #measures}; a sum over nothing is null).
     */
    public record Group(List<Object> keys, List<Object> values) {
        public Group {
            keys = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(keys));
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }
    }
}
