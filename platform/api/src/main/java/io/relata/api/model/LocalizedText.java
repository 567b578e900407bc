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

    /**
     * A German and an English pattern with the same arguments: {@code {0}}, {@code {1}}, … are replaced by the
     * arguments, a {@code LocalizedText} argument (a field's label, say) by its text in the pattern's language.
     */
    public static LocalizedText format(String de, String en, Object... args) {
        return new LocalizedText(Map.of("de", fill(de, "de", args), "en", fill(en, "en", args)));
    }

    private static String fill(String pattern, String language, Object... args) {
        StringBuilder out = new StringBuilder(pattern.length() + 16 * args.length);
        for (int at = 0; at < pattern.length(); at++) {
            char c = pattern.charAt(at);
            int close = c == '{' ? pattern.indexOf('}', at) : -1;
            if (close > at + 1 && close <= at + 3 && pattern.substring(at + 1, close).chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(pattern.substring(at + 1, close));
                Object arg = index < args.length ? args[index] : null;
                out.append(arg instanceof LocalizedText text ? text.in(language) : String.valueOf(arg));
                at = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
