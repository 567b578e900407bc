package io.relata.api.record;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of a {@link io.relata.api.model.FieldType#RECORD_LINK record-link} field: a record of any entity,
 * named by entity and id ("the lead 12 this activity is about"). Written as text {@code entity:id}
 * ({@code lead:12}) in the REST API, filters, rules and YAML; {@link #toString()} gives that form.
 *
 * @param entity the linked record's entity name
 * @param id     the linked record's id
 */
public record RecordLink(String entity, long id) {

    private static final Pattern TEXT = Pattern.compile("([a-z][a-z0-9_]{0,39}):(\\d{1,19})");

    public RecordLink {
        Objects.requireNonNull(entity, "entity");
    }

    /** {@code lead:12}, or empty if the text is not of that form. */
    public static Optional<RecordLink> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = TEXT.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecordLink(matcher.group(1), Long.parseLong(matcher.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // more than a long holds
        }
    }

    /** {@code entity:id}, e.g. {@code lead:12}: the form the API, rules and YAML use. */
    @Override
    public String toString() {
        return entity + ":" + id;
    }
}
