package io.relata.api.process;

import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;

/**
 * An allowed move from one phase to another.
 *
 * @param guard a validation rule ({@link io.relata.api.rules.RuleKind#VALIDATION}) over the record as it
 *              would be after the move ({@code previous} holds the stored values): nothing or {@code true}
 *              allows the move, a message (or messages, or {@code {field: message}}) refuses it and is shown
 *              to the user; null for no guard
 * @param when  a condition rule ({@link io.relata.api.rules.RuleKind#CONDITION}): if set, the platform makes
 *              this move by itself after a write (or a timer) leaves the record in {@code from} with the
 *              condition true (the guard still applies); null for moves made by users only
 */
public record TransitionDefinition(String from, String to, RuleDefinition guard, RuleDefinition when,
                                   SourceLocation source) {

    public boolean isAutomatic() {
        return when != null;
    }
}
