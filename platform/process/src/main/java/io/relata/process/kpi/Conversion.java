package io.relata.process.kpi;

import java.util.List;

/**
 * The funnel of the cases that started in the period, followed up to the time the figures were computed.
 *
 * @param phases  the open phases in pipeline order
 * @param closed  cases that have ended (in a closing phase now)
 * @param won     of those, the cases in a success phase
 * @param winRate {@code won / closed}; null if none has ended
 */
public record Conversion(List<PhaseConversion> phases, int closed, int won, Double winRate) {

    public Conversion {
        phases = List.copyOf(phases);
    }
}
