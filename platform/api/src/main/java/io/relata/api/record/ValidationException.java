package io.relata.api.record;

import java.util.List;

/** Values that do not fit the metadata; nothing was written. Carries every problem, not just the first. */
public class ValidationException extends RecordException {

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        return errors.size() == 1 ? errors.get(0).message() : errors.size() + " values are invalid";
    }
}
