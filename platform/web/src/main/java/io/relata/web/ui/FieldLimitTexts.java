package io.relata.web.ui;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import java.text.MessageFormat;

/**
 * A field's {@code min}, {@code max} and {@code pattern} in the user's language: the hint under its input and
 * the message when the record store refused a value for them (the store's own messages are English).
 */
final class FieldLimitTexts {

    private FieldLimitTexts() {
    }

    /** "From 0 to 100", "At least 0", "Format: five digits, e.g. 10115"; null for a field without limits. */
    static String hint(FieldDefinition field, UiText ui) {
        boolean date = field.type() == FieldType.DATE;
        if (field.min() != null && field.max() != null) {
            return format(ui, "field.limit.range", show(field, field.min(), ui), show(field, field.max(), ui));
        }
        if (field.min() != null) {
            return format(ui, date ? "field.limit.dateMin" : "field.limit.min", show(field, field.min(), ui));
        }
        if (field.max() != null) {
            return format(ui, date ? "field.limit.dateMax" : "field.limit.max", show(field, field.max(), ui));
        }
        if (field.pattern() != null && field.patternMessage() != null) {
            return format(ui, "field.limit.pattern", ui.text(field.patternMessage()));
        }
        return null;
    }

    /** The store's refusal of a value for a limit, in the user's language; any other error as the store said it. */
    static String error(FieldDefinition field, FieldError error, UiText ui) {
        boolean date = field.type() == FieldType.DATE;
        return switch (error.code()) {
            case ErrorCodes.TOO_SMALL -> field.min() == null ? error.message(ui.locale())
                    : format(ui, date ? "field.error.dateTooEarly" : "field.error.tooSmall", show(field, field.min(), ui));
            case ErrorCodes.TOO_LARGE -> field.max() == null ? error.message(ui.locale())
                    : format(ui, date ? "field.error.dateTooLate" : "field.error.tooLarge", show(field, field.max(), ui));
            case ErrorCodes.PATTERN -> field.patternMessage() == null ? ui.message("field.error.patternGeneric")
                    : format(ui, "field.error.pattern", ui.text(field.patternMessage()));
            default -> error.message(ui.locale());
        };
    }

    private static String show(FieldDefinition field, Object limit, UiText ui) {
        return ui.format(field, limit);
    }

    private static String format(UiText ui, String key, Object... arguments) {
        return new MessageFormat(ui.message(key), ui.locale()).format(arguments);
    }
}
