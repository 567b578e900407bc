package io.relata.api.record;

import io.relata.api.model.LocalizedText;

/**
 * Base of the errors the record store reports to callers; each maps to one HTTP status. {@link #getMessage()}
 * is the English sentence (logs, clients without a language); {@link #message(String)} the sentence in a
 * language the platform speaks, where the error was worded in it.
 */
public abstract class RecordException extends RuntimeException {

    private final LocalizedText text;

    protected RecordException(String message) {
        this(message, (Throwable) null);
    }

    protected RecordException(String message, Throwable cause) {
        super(message, cause);
        this.text = null;
    }

    protected RecordException(LocalizedText text) {
        this(text, null);
    }

    protected RecordException(LocalizedText text, Throwable cause) {
        super(text.in(LocalizedText.FALLBACK_LANGUAGE), cause);
        this.text = text;
    }

    /** The sentence in {@code language} ("de", "en"), or the English one if it was not worded in that language. */
    public String message(String language) {
        return text == null ? getMessage() : text.in(language);
    }
}
