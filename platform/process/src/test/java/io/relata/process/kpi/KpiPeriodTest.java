package io.relata.process.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class KpiPeriodTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void cutsCalendarMonthsAtThePeriodsEnds() {
        KpiPeriod period = new KpiPeriod(LocalDate.of(2025, 1, 15), LocalDate.of(2025, 3, 10), Granularity.MONTH, BERLIN);

        assertThat(period.buckets()).containsExactly(
                new KpiPeriod.Bucket(LocalDate.of(2025, 1, 15), LocalDate.of(2025, 2, 1)),
                new KpiPeriod.Bucket(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1)),
                new KpiPeriod.Bucket(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 10)));
    }

    @Test
    void weeksStartOnMonday() {
        KpiPeriod period = new KpiPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 14), Granularity.WEEK, BERLIN);

        assertThat(period.buckets()).extracting(KpiPeriod.Bucket::from)
                .containsExactly(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 13));
    }

    @Test
    void startsAndEndsAtMidnightInItsZoneAcrossDaylightSaving() {
        KpiPeriod march = new KpiPeriod(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 4, 1), Granularity.DAY, BERLIN);

        assertThat(march.start()).isEqualTo(Instant.parse("2025-02-28T23:00:00Z"));
        assertThat(march.end()).isEqualTo(Instant.parse("2025-03-31T22:00:00Z"));
        assertThat(march.contains(Instant.parse("2025-03-31T21:59:59Z"))).isTrue();
        assertThat(march.contains(Instant.parse("2025-03-31T22:00:00Z"))).isFalse();
        assertThat(march.buckets()).hasSize(31);
    }

    @Test
    void refusesAPeriodThatDoesNotEndAfterItStarts() {
        assertThatThrownBy(() -> new KpiPeriod(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 2, 1), Granularity.DAY, BERLIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The period must end after it starts: from 2025-02-01 to 2025-02-01 (the end day is "
                        + "exclusive; for one day use from 2025-02-01 to 2025-02-02)");
    }

    @Test
    void refusesDailyBucketsOverDecades() {
        assertThatThrownBy(() -> new KpiPeriod(LocalDate.of(2000, 1, 1), LocalDate.of(2025, 1, 1), Granularity.DAY, BERLIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9132 days, more than 5000 buckets: choose week or month as granularity");
    }

    @Test
    void parsesGranularityNamesAndListsThemOnError() {
        assertThat(Granularity.parse("Week")).isEqualTo(Granularity.WEEK);
        assertThatThrownBy(() -> Granularity.parse("quarter"))
                .hasMessage("Unknown granularity 'quarter': use one of day, week, month");
    }

    @Test
    void statsInterpolatePercentilesAndRoundToTheNanosecond() {
        DurationStats stats = DurationStats.of(List.of(Duration.ofNanos(1), Duration.ofNanos(2)));

        assertThat(stats).isEqualTo(new DurationStats(2, Duration.ofNanos(2), Duration.ofNanos(2),
                Duration.ofNanos(2), Duration.ofNanos(1), Duration.ofNanos(2)));
        assertThat(DurationStats.of(List.of(Duration.ofHours(5))))
                .isEqualTo(new DurationStats(1, Duration.ofHours(5), Duration.ofHours(5), Duration.ofHours(5),
                        Duration.ofHours(5), Duration.ofHours(5)));
        assertThat(DurationStats.of(List.of())).isEqualTo(DurationStats.NONE);
    }
}
