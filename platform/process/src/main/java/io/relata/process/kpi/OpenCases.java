package io.relata.process.kpi;

import java.time.Duration;

/**
 * Cases that started in the period and are still open at the time the figures were computed.
 *
 * @param meanAge mean time since their start; null if there are none
 */
public record OpenCases(int count, Duration meanAge) {
}
