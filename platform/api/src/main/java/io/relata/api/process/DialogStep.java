package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import java.util.List;

/**
 * One screen of a dialog.
 *
 * @param fields     what the step asks, in order
 * @param validation a validation rule over the dialog's values so far ({@code record} holds the record's
 *                   values overlaid with the dialog's); null for none. Required fields are checked first.
 * @param next       the first branch whose condition holds decides the next step; a branch without a
 *                   condition always holds; no branch (or {@code step: null}) leads to the summary
 * @param finish     what finishing does when the summary follows this step (the dialog's path ended here),
 *                   replacing the dialog's own finish; null to use the dialog's ({@link DialogDefinition#finishAfter})
 */
public record DialogStep(String name, LocalizedText title, LocalizedText help, List<DialogField> fields,
                         RuleDefinition validation, List<DialogBranch> next, SourceLocation source,
                         DialogFinish finish) {

    public DialogStep {
        fields = List.copyOf(fields);
        next = List.copyOf(next);
    }

    /** A step without a finish of its own. */
    public DialogStep(String name, LocalizedText title, LocalizedText help, List<DialogField> fields,
                      RuleDefinition validation, List<DialogBranch> next, SourceLocation source) {
        this(name, title, help, fields, validation, next, source, null);
    }

    /**
     * True if the summary can follow this step: it has no branch, a branch to the summary ({@code step: null})
     * comes before the first branch without condition, or every branch has a condition (none may hold).
     */
    public boolean mayEnd() {
        for (DialogBranch branch : next) {
            if (branch.step() == null) {
                return true;
            }
            if (branch.when() == null) {
                return false;
            }
        }
        return true;
    }

    /** A possible next step. */
    public record DialogBranch(RuleDefinition when, String step, SourceLocation source) {
    }
}
