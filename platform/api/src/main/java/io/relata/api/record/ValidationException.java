package io.relata.api.record;

import io.relata.api.model.LocalizedText;
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

    private static LocalizedText summary(List<FieldError> errors) {
        return errors.size() == 1 ? errors.get(0).text()
                : LocalizedText.format("{0} Werte sind ungültig", "{0} values are invalid", errors.size());
    }
}
