package io.relata.process.kpi;

/**
 * How many of the cases that ended in the period in {@code phase} gave {@code reason} (the text recorded with
 * the closing stamp; null when no reason was recorded).
 *
 * @param share {@code count} divided by the cases that ended in {@code phase}
 */
public record ReasonCount(String phase, String reason, int count, double share) {
}
