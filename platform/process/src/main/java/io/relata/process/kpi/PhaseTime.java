package io.relata.process.kpi;

/**
 * Time spent in an open phase by the cases that started in the period. Each stay that has ended counts
 * once (a case that came back to the phase counts once per stay); stays still going on are not in the
 * durations but in {@code casesInPhaseNow}.
 */
public record PhaseTime(String phase, DurationStats completedStays, int casesInPhaseNow) {
}
