package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.util.List;

/**
 * One phase of a process.
 *
 * @param name           the value of the process's phase field in this phase
 * @param label          as shown; null means the label of the phase field's choice option
 * @param outcome        open, or how a closing phase ends the case
 * @param requiredFields fields that must have a value to enter (and stay in) this phase
 * @param reasonField    for closing phases: the field that must hold the reason on entering; it is recorded
 *                       with the phase change (reportable); null if no reason is asked
 * @param onEnter        actions run when a record enters this phase (also when a new record starts in it)
 * @param onLeave        actions run when a record leaves this phase
 * @param timers         run once if the record is still in this phase a given time after entering it
 */
public record PhaseDefinition(
        String name,
        LocalizedText label,
        PhaseOutcome outcome,
        List<String> requiredFields,
        String reasonField,
        List<ProcessAction> onEnter,
        List<ProcessAction> onLeave,
        List<TimerDefinition> timers,
        SourceLocation source) {

    public PhaseDefinition {
        requiredFields = List.copyOf(requiredFields);
        onEnter = List.copyOf(onEnter);
        onLeave = List.copyOf(onLeave);
        timers = List.copyOf(timers);
    }

    public boolean isClosing() {
        return outcome.isClosing();
    }
}
