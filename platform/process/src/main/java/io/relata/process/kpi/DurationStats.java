package io.relata.process.kpi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collection;

/**
 * Count, mean, median, 90th percentile, minimum and maximum of some durations; all durations are null when
 * {@code count} is 0. Percentiles interpolate linearly between the two nearest values (like PostgreSQL's
 * {@code percentile_cont} and spreadsheets' {@code PERCENTILE.INC}), so the median of 2 and 4 days is 3 days.
 * Mean and percentiles are rounded to the nearest nanosecond.
 */
public record DurationStats(int count, Duration mean, Duration median, Duration p90, Duration min, Duration max) {

    public static final DurationStats NONE = new DurationStats(0, null, null, null, null, null);

    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal NINE_TENTHS = new BigDecimal("0.9");

    public static DurationStats of(Collection<Duration> durations) {
        if (durations.isEmpty()) {
            return NONE;
        }
        long[] nanos = durations.stream().mapToLong(Duration::toNanos).sorted().toArray();
        BigInteger sum = BigInteger.ZERO;
        for (long value : nanos) {
            sum = sum.add(BigInteger.valueOf(value));
        }
        Duration mean = Duration.ofNanos(new BigDecimal(sum)
                .divide(BigDecimal.valueOf(nanos.length), 0, RoundingMode.HALF_UP).longValueExact());
        return new DurationStats(nanos.length, mean, percentile(nanos, HALF), percentile(nanos, NINE_TENTHS),
                Duration.ofNanos(nanos[0]), Duration.ofNanos(nanos[nanos.length - 1]));
    }

    private static Duration percentile(long[] sorted, BigDecimal fraction) {
        BigDecimal rank = fraction.multiply(BigDecimal.valueOf(sorted.length - 1));
        int lower = rank.intValue();
        if (lower + 1 >= sorted.length) {
            return Duration.ofNanos(sorted[lower]);
        }
        BigDecimal weight = rank.subtract(BigDecimal.valueOf(lower));
        BigDecimal value = BigDecimal.valueOf(sorted[lower])
                .add(weight.multiply(BigDecimal.valueOf(sorted[lower + 1] - sorted[lower])));
        return Duration.ofNanos(value.setScale(0, RoundingMode.HALF_UP).longValueExact());
    }
}
