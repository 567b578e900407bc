package io.relata.store;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;

/**
 * One value that {@link ValueConverter} refused: a stable code from {@link ErrorCodes} and the sentence that
 * says what to enter instead, in German and English. {@link #getMessage()} is the English one, for logs.
 */
public class InvalidValueException extends Exception {

    private final String code;
    private final LocalizedText text;

    public InvalidValueException(String code, LocalizedText text) {
        super(text.in(LocalizedText.FALLBACK_LANGUAGE), null, false, false);
        this.code = code;
        this.text = text;
    }

    /** A refusal worded as {@code de} and {@code en} patterns with the same {@code {0}}, {@code {1}}, … arguments. */
    public static InvalidValueException of(String code, String de, String en, Object... args) {
        return new InvalidValueException(code, LocalizedText.format(de, en, args));
    }

    public String code() {
        return code;
    }

    public LocalizedText text() {
        return text;
    }

    public FieldError toFieldError(String field) {
        return new FieldError(field, code, text);
    }
}
