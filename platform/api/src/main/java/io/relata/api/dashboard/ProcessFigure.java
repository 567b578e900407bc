package io.relata.api.dashboard;

import io.relata.api.model.RelativePeriod;
import java.util.Objects;

/**
 * A figure of a process over the cases of a relative period, from the phase stamps of the records the viewer may
 * read: how many cases started, how many converted, how long they took, how long they stayed in each phase, how
 * they ended.
 */
public record ProcessFigure(String process, Measure measure, RelativePeriod period) implements Figure {

    public ProcessFigure {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(period, "period");
    }

    public enum Measure {
        /** cases started in the period, per week or month */
        CASES_STARTED,
        /** the share of the cases started in the period that reached a success phase */
        CONVERSION,
        /** the median days from the first phase to a success phase */
        CYCLE_TIME,
        /** the average days the cases spent in each phase */
        TIME_IN_PHASE,
        /** how the cases that ended in the period ended: per end phase */
        OUTCOMES;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
