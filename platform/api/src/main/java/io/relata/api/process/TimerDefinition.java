package io.relata.api.process;

import io.relata.api.model.SourceLocation;
import java.time.Duration;
import java.util.List;

/**
 * "{@link #after} entering the phase, if the record is still in it, do {@link #actions}". Timers are
 * stored when the record enters the phase, cancelled when it leaves, and fire at most once.
 *
 * @param name unique within the phase; shown in logs and the timer list
 */
public record TimerDefinition(String name, Duration after, List<ProcessAction> actions, SourceLocation source) {

    public TimerDefinition {
        actions = List.copyOf(actions);
    }
}
