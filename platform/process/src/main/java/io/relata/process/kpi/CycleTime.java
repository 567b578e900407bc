package io.relata.process.kpi;

/**
 * Time from the first entry into {@code from} to the first entry into {@code to} after it, for the cases
 * that started in the period. Stamps at the same instant count in the order they were written (duration 0).
 *
 * @param enteredFrom cases that entered {@code from}
 * @param durations   for those that went on to enter {@code to} ({@code durations.count()} of them); the
 *                    others have not reached it (yet) and are left out
 */
public record CycleTime(String from, String to, int enteredFrom, DurationStats durations) {
}
