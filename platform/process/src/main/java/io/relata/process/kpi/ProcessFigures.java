package io.relata.process.kpi;

import java.time.Instant;
import java.util.List;

/**
 * All figures of one process for one period, as of {@code asOf} (stamps written later are ignored).
 *
 * <p>Two populations, as in sales reporting: figures about how cases <em>end</em> ({@link #outcomes},
 * {@link CaseDurations#ended()}, {@link PeriodCount#ended()}) count the cases that ended in the period,
 * whenever they started; figures that follow cases through the pipeline ({@link #conversion},
 * {@link #timeInPhase}, {@link #cycleTimes}, {@link CaseDurations#open()}) count the cases that started in the
 * period ({@link #casesStarted}), up to {@code asOf}.
 */
public record ProcessFigures(
        String process,
        KpiPeriod period,
        Instant asOf,
        int casesStarted,
        List<PeriodCount> casesPerPeriod,
        Outcomes outcomes,
        CaseDurations durations,
        Conversion conversion,
        List<PhaseTime> timeInPhase,
        List<CycleTime> cycleTimes) {

    public ProcessFigures {
        casesPerPeriod = List.copyOf(casesPerPeriod);
        timeInPhase = List.copyOf(timeInPhase);
        cycleTimes = List.copyOf(cycleTimes);
    }
}
