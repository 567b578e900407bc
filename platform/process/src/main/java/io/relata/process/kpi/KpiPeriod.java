package io.relata.process.kpi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The period the figures are about: the days {@code from} (inclusive) to {@code to} (exclusive), counted in
 * {@code zone} (a day starts at midnight there, so a stamp at 23:30 UTC may belong to the next day in Berlin),
 * split into calendar buckets of {@code granularity}; the first and last bucket are cut at the period's ends.
 */
public record KpiPeriod(LocalDate from, LocalDate to, Granularity granularity, ZoneId zone) {

    /** Beyond this a chart is unreadable and the request probably a mistake (daily buckets over 13 years). */
    public static final int MAX_BUCKETS = 5_000;

    public KpiPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(zone, "zone");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("The period must end after it starts: from " + from + " to " + to
                    + " (the end day is exclusive; for one day use from " + from + " to " + from.plusDays(1) + ")");
        }
        long days = ChronoUnit.DAYS.between(from, to);
        if (granularity == Granularity.DAY && days > MAX_BUCKETS) {
            throw new IllegalArgumentException("The period " + from + " to " + to + " has " + days
                    + " days, more than " + MAX_BUCKETS + " buckets: choose week or month as granularity");
        }
    }

    /** The instant the period starts (midnight of {@code from} in {@code zone}). */
    public Instant start() {
        return from.atStartOfDay(zone).toInstant();
    }

    /** The instant the period ends, exclusive (midnight of {@code to} in {@code zone}). */
    public Instant end() {
        return to.atStartOfDay(zone).toInstant();
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    /** The buckets in order, as [start, end) days, cut at the period's ends. */
    public List<Bucket> buckets() {
        List<Bucket> buckets = new ArrayList<>();
        LocalDate bucketStart = from;
        while (bucketStart.isBefore(to)) {
            LocalDate next = granularity.next(granularity.bucketStart(bucketStart));
            LocalDate bucketEnd = next.isAfter(to) ? to : next;
            buckets.add(new Bucket(bucketStart, bucketEnd));
            bucketStart = bucketEnd;
        }
        return buckets;
    }

    /** One bucket: the days {@code from} (inclusive) to {@code to} (exclusive). */
    public record Bucket(LocalDate from, LocalDate to) {
    }
}
