package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.util.List;
import java.util.Optional;

/**
 * A guided dialog: a multi-step, branching screen for one task (lead qualification, needs analysis, tariff
 * change). It runs on a record of {@link #entity} (started from that record's page) and on finish writes
 * the collected values back to it, may create further records and may move the record's phase. A user can
 * leave mid-way and resume where they stopped.
 *
 * @param steps  the first step is where the dialog starts
 * @param finish what happens on finish, after the summary
 */
public record DialogDefinition(
        String name,
        LocalizedText label,
        LocalizedText description,
        String entity,
        List<DialogStep> steps,
        DialogFinish finish,
        SourceLocation source) {

    public DialogDefinition {
        steps = List.copyOf(steps);
    }

    public Optional<DialogStep> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    public DialogStep firstStep() {
        return steps.get(0);
    }
}
