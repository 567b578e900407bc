package io.relata.rules;

import java.time.Duration;

/**
 * How much one rule may do in one run before it is stopped and fails.
 * <p>
 * The statement limit is the deterministic bound: it stops a loop after the same number of steps on any
 * machine. Time is the backstop for work that statements do not count (a built-in filling a huge array, a
 * regular expression that backtracks): the timeout counts the CPU time the rule's thread uses, which a busy
 * machine does not eat, so an overloaded server runs rules more slowly but does not fail them. Checks and
 * examples at metadata load are bound only by statements and CPU time, never by the wall clock: a slow start
 * is slow, it does not fail. Runs on user saves are bound by the wall clock too, at
 * {@link #wallClockLimit()}, so that a starved or stuck run still ends and the user gets an answer. Where the
 * JVM cannot measure thread CPU time, runs on saves are held to the timeout on the wall clock and runs at
 * load to their statements only.
 *
 * @param statementLimit JavaScript statements one run may execute (loops count every iteration); a run over
 *                       it is stopped and its Context discarded
 * @param timeout        CPU time one run may use, including reading its result
 */
public record RuleLimits(long statementLimit, Duration timeout) {

    /**
     * 100,000 statements and 2000 ms of CPU time per rule run: the platform's defaults
     * ({@code CRM_RULES_TIMEOUT_MS}); 200 ms did not allow a cold first run, interpreted, on a busy machine.
     */
    public static final RuleLimits DEFAULT = new RuleLimits(100_000, Duration.ofMillis(2000));

    /** How many times the timeout a run on a user save may take on the wall clock (waiting for a CPU included). */
    public static final int WALL_CLOCK_FACTOR = 10;

    public RuleLimits {
        if (statementLimit < 1) {
            throw new IllegalArgumentException("statementLimit must be positive: " + statementLimit);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The wall-clock time a run on a user save may take: {@link #WALL_CLOCK_FACTOR} times the timeout. */
    public Duration wallClockLimit() {
        return timeout.multipliedBy(WALL_CLOCK_FACTOR);
    }
}
