package io.relata.process.kpi;

/**
 * How long cases take.
 *
 * @param ended from start to end, for the cases that ended in the period (see {@link Outcomes})
 * @param open  the cases that started in the period and are still open
 */
public record CaseDurations(DurationStats ended, OpenCases open) {
}
