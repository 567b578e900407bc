package io.relata.process.kpi;

import java.time.LocalDate;

/**
 * Cases per bucket of the period: {@code started} counts cases whose first stamp falls in the bucket,
 * {@code ended} cases whose end (see {@link Outcomes}) falls in it, whenever they started.
 *
 * @param from first day of the bucket
 * @param to   day after the bucket's last day
 */
public record PeriodCount(LocalDate from, LocalDate to, int started, int ended) {
}
