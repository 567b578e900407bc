package io.relata.process.kpi;

/**
 * Of the cases that started in the period and entered an open {@code phase}, how many went on: after first
 * entering it, they entered an open phase further along the pipeline or a success phase.
 *
 * @param rate {@code advanced / entered}; null if no case entered the phase
 */
public record PhaseConversion(String phase, int entered, int advanced, Double rate) {
}
