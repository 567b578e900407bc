package io.relata.api.record;

import io.relata.api.model.LocalizedText;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Why a value was refused. {@code field} is the field name (or null for the record as a whole),
 * {@code code} a stable machine-readable code (e.g. {@code required}, {@code too_long},
 * {@code not_a_number}, {@code unknown_option}, {@code unique}, {@code reference_not_found},
 * {@code unknown_field}), {@code text} the sentence that says what to enter instead, in every language the
 * platform speaks (German and English; a rule's message in the languages its author gave).
 * {@link #message()} is the English one, for logs and clients that ask for no language.
 */
public record FieldError(String field, String code, String message, LocalizedText text) {

    public FieldError {
        if (text == null) {
            text = new LocalizedText(Map.of(LocalizedText.FALLBACK_LANGUAGE, message == null ? "" : message));
        }
        if (message == null) {
            message = text.in(LocalizedText.FALLBACK_LANGUAGE);
        }
    }

    /** An error whose sentence exists in one language only (e.g. a rule author's plain text). */
    public FieldError(String field, String code, String message) {
        this(field, code, message, null);
    }

    /** An error with its sentence in several languages; the English one becomes {@link #message()}. */
    public FieldError(String field, String code, LocalizedText text) {
        this(field, code, null, text);
    }

    /** The sentence in {@code language} ("de", "en"), or in English if it was not given in that language. */
    public String message(String language) {
        return text.in(language);
    }

    public String message(Locale locale) {
        return text.in(locale);
    }

    /** Two errors are the same if field, code and English message are: the other languages translate it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FieldError e && Objects.equals(field, e.field) && Objects.equals(code, e.code)
                && Objects.equals(message, e.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, code, message);
    }
}
