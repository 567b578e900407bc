package io.relata.runtime.dashboard;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.record.Grouping;
import io.relata.api.record.RecordStore;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The labels of group keys in the viewer's language: an option's label, a user's or team's name, a referenced
 * record's title (only of records the viewer may read), a period as "März 2026", "KW 11 2026" or "Q1 2026". Never a
 * raw value where a label exists.
 */
public final class KeyLabels {

    private static final LocalizedText EMPTY = LocalizedText.of("(leer)", "(empty)");
    private static final LocalizedText YES = LocalizedText.of("Ja", "Yes");
    private static final LocalizedText NO = LocalizedText.of("Nein", "No");
    private static final LocalizedText WEEK = LocalizedText.of("KW {0} {1}", "W{0} {1}");

    private final String language;
    private final Locale locale;
    private final LongFunction<String> userNames;
    private final LongFunction<String> teamNames;

    /** @param userNames a user's display name by id; {@code teamNames} a team's name by id */
    public KeyLabels(String language, LongFunction<String> userNames, LongFunction<String> teamNames) {
        this.language = Objects.requireNonNull(language, "language");
        this.locale = Locale.forLanguageTag(language);
        this.userNames = Objects.requireNonNull(userNames, "userNames");
        this.teamNames = Objects.requireNonNull(teamNames, "teamNames");
    }

    public String language() {
        return language;
    }

    /** The labels of {@code keys}, the values of {@code key} of {@code entity}, read through {@code records}. */
    List<String> labels(EntityDefinition entity, Grouping.Key key, List<Object> keys, RecordStore records) {
        Map<Object, String> titles = new HashMap<>();
        FieldDefinition field = entity.field(key.field()).orElse(null);
        if (key.period() == Grouping.Period.NONE && field != null && field.type() == FieldType.REFERENCE) {
            List<Long> ids = keys.stream().filter(Long.class::isInstance).map(Long.class::cast).toList();
            if (!ids.isEmpty()) {
                titles.putAll(records.titles(field.referenceEntity(), ids));
            }
        }
        List<String> labels = new ArrayList<>();
        for (Object value : keys) {
            labels.add(label(field, key, value, titles));
        }
        return labels;
    }

    private String label(FieldDefinition field, Grouping.Key key, Object value, Map<Object, String> titles) {
        if (value == null) {
            return EMPTY.in(language);
        }
        if (key.period() != Grouping.Period.NONE) {
            return period(key.period(), (LocalDate) value);
        }
        if (key.field().equals("owner_user")) {
            return named(userNames.apply(((Number) value).longValue()), value);
        }
        if (key.field().equals("owner_team")) {
            return named(teamNames.apply(((Number) value).longValue()), value);
        }
        if (field == null) {
            return String.valueOf(value);
        }
        return switch (field.type()) {
            case CHOICE -> field.options().stream().filter(o -> o.value().equals(value)).findFirst()
                    .map(ChoiceOption::label).map(l -> l.in(language)).orElse(String.valueOf(value));
            case BOOLEAN -> (Boolean.TRUE.equals(value) ? YES : NO).in(language);
            case REFERENCE -> named(titles.get(value), value);
            case DATE -> ((LocalDate) value).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale));
            default -> String.valueOf(value);
        };
    }

    /** The period that starts on {@code start}, as its readers name it. */
    public String period(Grouping.Period period, LocalDate start) {
        return switch (period) {
            case DAY, NONE -> start.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale));
            case WEEK -> java.text.MessageFormat.format(WEEK.in(language).replace("{1}", "{1,number,#}"),
                    start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), start.get(IsoFields.WEEK_BASED_YEAR));
            case MONTH -> start.format(DateTimeFormatter.ofPattern("LLL yyyy", locale));
            case QUARTER -> "Q" + start.get(IsoFields.QUARTER_OF_YEAR) + " " + start.getYear();
            case YEAR -> Integer.toString(start.getYear());
        };
    }

    /** A name, or "#id" where none is known to the viewer (a record outside their rows, a removed user). */
    private static String named(String name, Object id) {
        return name == null || name.isBlank() ? "#" + id : name;
    }
}
