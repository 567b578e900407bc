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
 * @param finish what happens on finish, after the summary, unless the last step answered has a finish of its
 *               own ({@link #finishAfter})
 * @param roles  who may run it: users holding one of these roles (administrators always); empty: every user who
 *               may change the record
 */
public record DialogDefinition(
        String name,
        LocalizedText label,
        LocalizedText description,
        String entity,
        List<DialogStep> steps,
        DialogFinish finish,
        SourceLocation source,
        List<String> roles) {

    public DialogDefinition {
        steps = List.copyOf(steps);
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** A dialog every user who may change the record may run. */
    public DialogDefinition(String name, LocalizedText label, LocalizedText description, String entity,
                            List<DialogStep> steps, DialogFinish finish, SourceLocation source) {
        this(name, label, description, entity, steps, finish, source, List.of());
    }

    /** Whether a user holding {@code userRoles} may run it (administrators are not asked here). */
    public boolean openTo(java.util.Collection<String> userRoles) {
        return roles.isEmpty() || userRoles.stream().anyMatch(roles::contains);
    }

    public Optional<DialogStep> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    public DialogStep firstStep() {
        return steps.get(0);
    }

    /**
     * What finishing does after a path that ended at {@code lastStep}: that step's own finish, else the
     * dialog's ({@link DialogFinish#NOTHING} if neither has one). So a dialog can end differently per branch.
     */
    public DialogFinish finishAfter(String lastStep) {
        DialogFinish own = step(lastStep == null ? "" : lastStep).map(DialogStep::finish).orElse(null);
        if (own != null) {
            return own;
        }
        return finish == null ? DialogFinish.NOTHING : finish;
    }

    /** The dialog's finish and the steps' own, for checks. */
    public java.util.List<DialogFinish> finishes() {
        java.util.List<DialogFinish> all = new java.util.ArrayList<>();
        if (finish != null) {
            all.add(finish);
        }
        steps.stream().map(DialogStep::finish).filter(java.util.Objects::nonNull).forEach(all::add);
        return all;
    }
}
