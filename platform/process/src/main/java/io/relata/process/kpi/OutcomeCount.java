package io.relata.process.kpi;

import io.relata.api.process.PhaseOutcome;

/**
 * How many of the cases that ended in the period ended in one closing phase.
 *
 * @param share {@code count} divided by all cases that ended in the period; null if none ended
 */
public record OutcomeCount(String phase, PhaseOutcome outcome, int count, Double share) {
}
