package io.relata.api.rules;

import io.relata.api.record.FieldError;
import java.util.List;

/**
 * Runs the rules of an entity. The record store calls {@link #evaluate} for every create and update,
 * inside the write's transaction and after converting the input: it stores the values the rules set,
 * refuses the write on validation errors, on required-when fields without a value and on changes to
 * read-only-when fields. Forms call it as the user types to show and hide fields.
 */
public interface RecordRules {

    /** No rules at all. */
    RecordRules NONE = input -> RuleOutcome.NONE;

    /**
     * @throws RuleFailedException when a rule fails to run; the write must not happen
     */
    RuleOutcome evaluate(RuleInput input);

    /**
     * Runs one validation rule that is not one of the entity's own (a process guard, a dialog step's
     * validation) over {@code input}: empty when it passes, else its messages.
     *
     * @throws RuleFailedException when the rule fails to run
     */
    default List<FieldError> validate(RuleDefinition rule, RuleInput input) {
        throw new UnsupportedOperationException("These rules cannot run standalone rules");
    }

    /** Runs one {@link RuleKind#CONDITION} rule over {@code input}: its JavaScript truthiness. */
    default boolean test(RuleDefinition rule, RuleInput input) {
        throw new UnsupportedOperationException("These rules cannot run standalone rules");
    }

    /**
     * Runs one expression rule ({@link RuleKind#COMPUTED}, about a field of {@code input.entity()}) and returns
     * its value converted to that field's type (process actions that set fields from expressions).
     */
    default Object compute(RuleDefinition rule, RuleInput input) {
        throw new UnsupportedOperationException("These rules cannot run standalone rules");
    }
}
