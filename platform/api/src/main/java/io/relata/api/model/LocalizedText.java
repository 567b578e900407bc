package io.relata.api.model;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A text in several languages, keyed by ISO language code ("de", "en"). Falls back to English, then to
 * any language present, so a label is never empty.
 */
public record LocalizedText(Map<String, String> values) {

    public static final String FALLBACK_LANGUAGE = "en";

    public LocalizedText {
        Objects.requireNonNull(values, "values");
        values = Map.copyOf(values);
    }

    public static LocalizedText of(String de, String en) {
        return new LocalizedText(Map.of("de", de, "en", en));
    }

    public String in(Locale locale) {
        return in(locale == null ? FALLBACK_LANGUAGE : locale.getLanguage());
    }

    public String in(String language) {
        String text = values.get(language);
        if (text == null) {
            text = values.get(FALLBACK_LANGUAGE);
        }
        if (text == null && !values.isEmpty()) {
            text = values.values().iterator().next();
        }
        return text == null ? "" : text;
    }
}
