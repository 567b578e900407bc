package io.relata.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the records of an entity are named, e.g. {@code "{first_name} {last_name}"}: literal text and field
 * placeholders. A placeholder whose value is empty, or that the viewer may not see, is left out together with
 * the literal text around it that only separated it from its neighbours, so a hidden first name never shows as a gap.
 *
 * @param text the template as written in the metadata
 */
public record TitleTemplate(String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");

    /** The field names of the placeholders, in order of appearance (repeats kept once). */
    public List<String> fields() {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /**
     * The title with every placeholder replaced by {@code valueOf(field)}; null or blank values (and fields the
     * caller maps to null because they are hidden) drop out with the separator before them. Null if no placeholder
     * has a value.
     */
    public String render(Function<String, String> valueOf) {
        StringBuilder title = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(text);
        int literalStart = 0;
        String lead = null;
        boolean any = false;
        boolean lastShown = false;
        while (matcher.find()) {
            String literal = text.substring(literalStart, matcher.start());
            literalStart = matcher.end();
            lead = lead == null ? literal : lead; // text before the first placeholder (e.g. "No. ") always leads
            String value = valueOf.apply(matcher.group(1));
            lastShown = value != null && !value.isBlank();
            if (!lastShown) {
                continue; // the separator before a missing value goes with it
            }
            title.append(any ? literal : lead).append(value.strip());
            any = true;
        }
        if (!any) {
            return null;
        }
        if (lastShown) {
            title.append(text.substring(literalStart)); // a closing ")" belongs to the value before it
        }
        return title.toString().strip().replaceAll("\\s{2,}", " ");
    }
}
