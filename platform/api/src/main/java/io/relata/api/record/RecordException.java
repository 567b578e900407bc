package io.relata.api.record;

/** Base of the errors the record store reports to callers; each maps to one HTTP status. */
public abstract class RecordException extends RuntimeException {

    protected RecordException(String message) {
        super(message);
    }

    protected RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
