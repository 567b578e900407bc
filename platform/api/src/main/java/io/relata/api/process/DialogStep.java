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
 */
public record DialogStep(String name, LocalizedText title, LocalizedText help, List<DialogField> fields,
                         RuleDefinition validation, List<DialogBranch> next, SourceLocation source) {

    public DialogStep {
        fields = List.copyOf(fields);
        next = List.copyOf(next);
    }

    /** A possible next step. */
    public record DialogBranch(RuleDefinition when, String step, SourceLocation source) {
    }
}
