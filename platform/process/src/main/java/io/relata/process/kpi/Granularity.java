package io.relata.process.kpi;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The width of the buckets that "cases per period" is counted in; weeks are ISO weeks (Monday to Sunday). */
public enum Granularity {
    DAY,
    WEEK,
    MONTH;

    /** The name used in URLs and JSON: {@code day}, {@code week}, {@code month}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #apiName()}; the error lists the accepted names. */
    public static Granularity parse(String name) {
        return Arrays.stream(values())
                .filter(g -> g.apiName().equalsIgnoreCase(name == null ? "" : name.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown granularity '" + name + "': use one of "
                        + Arrays.stream(values()).map(Granularity::apiName).collect(Collectors.joining(", "))));
    }

    /** The first day of the calendar bucket that holds {@code date}. */
    LocalDate bucketStart(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
    }

    /** The first day of the calendar bucket after the one that starts at {@code bucketStart}. */
    LocalDate next(LocalDate bucketStart) {
        return switch (this) {
            case DAY -> bucketStart.plusDays(1);
            case WEEK -> bucketStart.plusWeeks(1);
            case MONTH -> bucketStart.plusMonths(1);
        };
    }
}
