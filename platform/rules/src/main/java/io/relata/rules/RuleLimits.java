package io.relata.rules;

import java.time.Duration;

/**
 * How much one rule may do in one run before it is stopped and fails.
 *
 * @param statementLimit JavaScript statements one run may execute (loops count every iteration); a run over
 *                       it is stopped and its Context discarded
 * @param timeout        wall-clock time one run may take, including reading its result
 */
public record RuleLimits(long statementLimit, Duration timeout) {

    /** 100,000 statements and 200 ms per rule run. */
    public static final RuleLimits DEFAULT = new RuleLimits(100_000, Duration.ofMillis(200));

    public RuleLimits {
        if (statementLimit < 1) {
            throw new IllegalArgumentException("statementLimit must be positive: " + statementLimit);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }
}
