package io.relata.api.rules;

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
}
