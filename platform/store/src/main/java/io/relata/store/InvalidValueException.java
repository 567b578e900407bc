package io.relata.store;

import io.relata.api.record.FieldError;

/** One value that {@link ValueConverter} refused: a stable code from {@link ErrorCodes} and a sentence. */
public class InvalidValueException extends Exception {

    private final String code;

    public InvalidValueException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public FieldError toFieldError(String field) {
        return new FieldError(field, code, getMessage());
    }
}
