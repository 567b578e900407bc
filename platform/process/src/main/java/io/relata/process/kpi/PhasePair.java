package io.relata.process.kpi;

import java.util.Objects;

/** Two phases to measure the cycle time between: from first entering {@code from} to next entering {@code to}. */
public record PhasePair(String from, String to) {

    public PhasePair {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
