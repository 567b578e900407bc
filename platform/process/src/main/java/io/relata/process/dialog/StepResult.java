package io.relata.process.dialog;

import io.relata.api.record.FieldError;
import java.util.List;

/**
 * What submitting a step did.
 *
 * @param session the session after the step: moved on when there are no errors, else as it was
 * @param errors  why the step's answers were refused, per field ({@code field} null for the step as a
 *                whole); codes as the record store's ({@code required}, {@code not_a_number}, {@code rule}, ...)
 */
public record StepResult(DialogSession session, List<FieldError> errors) {

    public StepResult {
        errors = List.copyOf(errors);
    }

    public boolean accepted() {
        return errors.isEmpty();
    }
}
