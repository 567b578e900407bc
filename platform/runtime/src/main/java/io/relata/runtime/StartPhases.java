package io.relata.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How long each step of a start took, for the one log line that says where start-up time goes. Not thread-safe:
 * one start, one thread.
 */
final class StartPhases {

    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Ends the phase that ran since the previous lap (or since this was made) as {@code phase}. */
    void lap(String phase) {
        long now = System.nanoTime();
        millis.merge(phase, (now - mark) / 1_000_000, Long::sum);
        mark = now;
    }

    /** E.g. "database 812 ms, rule engine 1880 ms, metadata 9790 ms". */
    @Override
    public String toString() {
        return millis.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " ms").collect(Collectors.joining(", "));
    }
}
