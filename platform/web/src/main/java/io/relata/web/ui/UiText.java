package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.LocalizedText;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/** Labels and display formats in the user's language, for pages and beans. */
@Named("ui")
@RequestScoped
public class UiText {

    @Inject
    UserPreferences prefs;

    public Locale locale() {
        return prefs.getLocale();
    }

    /** A text of the UI's message bundle (io/relata/web/ui/messages*.properties) in the user's language. */
    public String message(String key) {
        return ResourceBundle.getBundle("io.relata.web.ui.messages", locale()).getString(key);
    }

    /** Why an operation was refused, in the user's language where the refusal was worded in it. */
    public String problem(RuntimeException refusal) {
        if (refusal instanceof io.relata.api.record.RecordException e) {
            return e.message(locale().getLanguage());
        }
        if (refusal instanceof io.relata.process.dialog.DialogException e) {
            return e.message(locale().getLanguage());
        }
        return refusal.getMessage();
    }

    public String text(LocalizedText text) {
        return text == null ? "" : text.in(locale());
    }

    /** A piece of a help text: plain text, or (written between backticks in the metadata) code to type as it is. */
    public record HelpPart(String text, boolean code) {

        /** {@code text} in parts: between pairs of backticks code; a backtick without its pair leaves it all text. */
        static java.util.List<HelpPart> split(String text) {
            String[] pieces = text.split("`", -1);
            if (pieces.length % 2 == 0) {
                return java.util.List.of(new HelpPart(text, false));
            }
            java.util.List<HelpPart> parts = new java.util.ArrayList<>();
            for (int i = 0; i < pieces.length; i++) {
                if (!pieces[i].isEmpty()) {
                    parts.add(new HelpPart(pieces[i], i % 2 == 1));
                }
            }
            return parts;
        }
    }

    /**
     * A field's help in the user's language, split into text and code: {@code `opportunities:null`} is shown as code,
     * what a user types into the field as it stands (and which is not translated).
     */
    public java.util.List<HelpPart> helpParts(LocalizedText help) {
        return HelpPart.split(text(help));
    }

    public String label(EntityDefinition entity) {
        return text(entity.label());
    }

    public String plural(EntityDefinition entity) {
        return text(entity.pluralLabel());
    }

    public String label(FieldDefinition field) {
        return text(field.label());
    }

    /** Formats a stored value for display; references are formatted by the caller, who knows the titles. */
    public String format(FieldDefinition field, Object value) {
        if (value == null) {
            return "";
        }
        Locale locale = locale();
        return switch (field.type()) {
            case CHOICE -> field.option((String) value).map(o -> text(o.label())).orElse(value.toString());
            case MULTI_CHOICE -> ((List<?>) value).stream()
                    .map(v -> field.option(v.toString()).map(o -> text(o.label())).orElse(v.toString()))
                    .collect(Collectors.joining(", "));
            case BOOLEAN -> Boolean.TRUE.equals(value) ? (locale.getLanguage().equals("de") ? "Ja" : "Yes")
                    : (locale.getLanguage().equals("de") ? "Nein" : "No");
            case DATE -> ((LocalDate) value).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale));
            case DATE_TIME -> timestamp((OffsetDateTime) value);
            case MONEY -> money((BigDecimal) value, locale);
            case INTEGER -> NumberFormat.getIntegerInstance(locale).format(value);
            case DECIMAL -> {
                NumberFormat format = NumberFormat.getNumberInstance(locale);
                format.setMaximumFractionDigits(field.effectiveScale());
                yield format.format(value);
            }
            default -> value.toString();
        };
    }

    /** A point in time in the server's zone, in the user's language. */
    public String timestamp(OffsetDateTime time) {
        return time.atZoneSameInstant(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale()));
    }

    private static String money(BigDecimal amount, Locale locale) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale.getLanguage().equals("de") ? Locale.GERMANY : locale);
        format.setCurrency(Currency.getInstance("EUR"));
        return format.format(amount);
    }
}
