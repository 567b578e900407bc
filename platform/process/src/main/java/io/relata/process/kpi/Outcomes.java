package io.relata.process.kpi;

import java.util.List;

/**
 * How the cases that ended in the period ended. A case has ended when its latest stamp enters a closing
 * phase; it ended at the first stamp of that closing streak (a won deal corrected to lost ended when it was
 * won, with outcome and reason of the last stamp). A case that was closed and reopened has not ended.
 *
 * @param ended    cases that ended in the period, whenever they started
 * @param byPhase  every closing phase of the process, in pipeline order (also those with no case)
 * @param byReason per closing phase (pipeline order), the reasons by count, most frequent first; none for a phase
 *                 whose reason field the viewer may not see
 */
public record Outcomes(int ended, List<OutcomeCount> byPhase, List<ReasonCount> byReason) {

    public Outcomes {
        byPhase = List.copyOf(byPhase);
        byReason = List.copyOf(byReason);
    }
}
