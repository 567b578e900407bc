package io.relata.bench;

/**
 * A score as the platform stores it: the number and the reasons as lines ("+20 Company given"), null when
 * there are none. The engine's {@code RuleOutcome} holds the same two values in the score and reasons fields.
 */
public record Score(long value, String reasons) {
}
