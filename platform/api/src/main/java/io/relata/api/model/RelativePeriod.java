package io.relata.api.model;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;

/**
 * A period relative to today, as dashboards filter by it ("this quarter", "last 90 days"). Calendar periods
 * ({@code this_month}) run from the first to the last day of the unit; rolling ones ({@code last_30_days}) end with
 * today, or start with it ({@code next_30_days}). The previous period of a calendar period is the unit before; of a
 * rolling one, the as many days before.
 */
public enum RelativePeriod {
    TODAY, YESTERDAY,
    THIS_WEEK, LAST_WEEK,
    THIS_MONTH, LAST_MONTH, NEXT_MONTH,
    THIS_QUARTER, LAST_QUARTER, NEXT_QUARTER,
    THIS_YEAR, LAST_YEAR,
    LAST_7_DAYS, LAST_30_DAYS, LAST_90_DAYS, LAST_365_DAYS,
    /** this month and the eleven before */
    LAST_12_MONTHS,
    NEXT_30_DAYS, NEXT_90_DAYS,
    /** this month and the eleven after */
    NEXT_12_MONTHS;

    /** The days {@code from} (inclusive) to {@code until} (exclusive). */
    public record Range(LocalDate from, LocalDate until) {
        public Range {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(until, "until");
            if (!from.isBefore(until)) {
                throw new IllegalArgumentException("a range ends after it starts: " + from + " to " + until);
            }
        }

        public boolean contains(LocalDate day) {
            return !day.isBefore(from) && day.isBefore(until);
        }
    }

    /** The name in YAML: {@code last_90_days}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The days of this period as of {@code today}. */
    public Range range(LocalDate today) {
        LocalDate week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate month = today.withDayOfMonth(1);
        LocalDate quarter = today.with(IsoFields.DAY_OF_QUARTER, 1);
        LocalDate year = today.withDayOfYear(1);
        return switch (this) {
            case TODAY -> new Range(today, today.plusDays(1));
            case YESTERDAY -> new Range(today.minusDays(1), today);
            case THIS_WEEK -> new Range(week, week.plusWeeks(1));
            case LAST_WEEK -> new Range(week.minusWeeks(1), week);
            case THIS_MONTH -> new Range(month, month.plusMonths(1));
            case LAST_MONTH -> new Range(month.minusMonths(1), month);
            case NEXT_MONTH -> new Range(month.plusMonths(1), month.plusMonths(2));
            case THIS_QUARTER -> new Range(quarter, quarter.plusMonths(3));
            case LAST_QUARTER -> new Range(quarter.minusMonths(3), quarter);
            case NEXT_QUARTER -> new Range(quarter.plusMonths(3), quarter.plusMonths(6));
            case THIS_YEAR -> new Range(year, year.plusYears(1));
            case LAST_YEAR -> new Range(year.minusYears(1), year);
            case LAST_7_DAYS -> new Range(today.minusDays(6), today.plusDays(1));
            case LAST_30_DAYS -> new Range(today.minusDays(29), today.plusDays(1));
            case LAST_90_DAYS -> new Range(today.minusDays(89), today.plusDays(1));
            case LAST_365_DAYS -> new Range(today.minusDays(364), today.plusDays(1));
            case LAST_12_MONTHS -> new Range(month.minusMonths(11), month.plusMonths(1));
            case NEXT_30_DAYS -> new Range(today, today.plusDays(30));
            case NEXT_90_DAYS -> new Range(today, today.plusDays(90));
            case NEXT_12_MONTHS -> new Range(month, month.plusMonths(12));
        };
    }

    /** The period before {@link #range}: the calendar unit before, or as many days before a rolling period. */
    public Range previous(LocalDate today) {
        Range range = range(today);
        return switch (this) {
            case THIS_WEEK, LAST_WEEK -> new Range(range.from().minusWeeks(1), range.from());
            case THIS_MONTH, LAST_MONTH, NEXT_MONTH -> new Range(range.from().minusMonths(1), range.from());
            case THIS_QUARTER, LAST_QUARTER, NEXT_QUARTER -> new Range(range.from().minusMonths(3), range.from());
            case THIS_YEAR, LAST_YEAR -> new Range(range.from().minusYears(1), range.from());
            case LAST_12_MONTHS, NEXT_12_MONTHS -> new Range(range.from().minusMonths(12), range.from());
            default -> new Range(range.from().minusDays(ChronoUnit.DAYS.between(range.from(), range.until())),
                    range.from());
        };
    }
}
