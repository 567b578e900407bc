package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.FieldDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether a literal written in metadata (a process's {@code set}, a dialog's finish values) fits a field, as
 * the record store would take it: the same kinds of values as in YAML ({@link EntityRuleBuilder#plain}),
 * dates as text, within the field's {@code min}/{@code max} and matching its {@code pattern}. Formats the store
 * checks anyway (phone numbers) are only checked for being text.
 */
final class FieldValues {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern URL = Pattern.compile("https?://\\S+");

    private FieldValues() {
    }

    /** What is wrong with storing {@code value} in {@code field}, e.g. "is the text 'high', but ...", or empty. */
    static Optional<String> problem(FieldDefinition field, Object value) {
        String name = q(field.name());
        if (value == null) {
            return field.required() ? Optional.of("empties field " + name + ", which is required") : Optional.empty();
        }
        return typeProblem(field, value, name).or(() -> FieldLimits.problem(field, value));
    }

    private static Optional<String> typeProblem(FieldDefinition field, Object value, String name) {
        String type = field.type().yamlName();
        String mismatch = "is " + describe(value) + ", but field " + name + " of type " + type + " needs "
                + howToWrite(field);
        return switch (field.type()) {
            case TEXT, LONG_TEXT, PHONE -> value instanceof String s ? tooLong(field, s) : Optional.of(mismatch);
            case EMAIL -> value instanceof String s && EMAIL.matcher(s).matches() ? tooLong(field, s) : Optional.of(mismatch);
            case URL -> value instanceof String s && URL.matcher(s).matches() ? tooLong(field, s) : Optional.of(mismatch);
            case INTEGER, REFERENCE, FILE -> value instanceof Long || value instanceof BigInteger b && b.bitLength() < 64
                    ? Optional.empty() : Optional.of(mismatch);
            case DECIMAL, MONEY -> decimal(field, value, mismatch);
            case DATE -> value instanceof String s && parses(() -> LocalDate.parse(s)) ? Optional.empty() : Optional.of(mismatch);
            case DATE_TIME -> value instanceof String s && parses(() -> OffsetDateTime.parse(s))
                    ? Optional.empty() : Optional.of(mismatch);
            case BOOLEAN -> value instanceof Boolean ? Optional.empty() : Optional.of(mismatch);
            case CHOICE -> value instanceof String s && field.option(s).isPresent() ? Optional.empty() : Optional.of(mismatch);
            case MULTI_CHOICE -> value instanceof List<?> list
                    && list.stream().allMatch(v -> v instanceof String s && field.option(s).isPresent())
                    ? Optional.empty() : Optional.of(mismatch);
            // whether the linked record exists is known only when the value is stored
            case RECORD_LINK -> value instanceof String s && io.relata.api.record.RecordLink.parse(s).isPresent()
                    ? Optional.empty() : Optional.of(mismatch);
        };
    }

    /** How a value of the field is written, e.g. "a whole number such as 100", "one of: open, closed". */
    static String howToWrite(FieldDefinition field) {
        return switch (field.type()) {
            case TEXT, LONG_TEXT, PHONE -> "a text (quoted if it contains ': ' or ' #')";
            case EMAIL -> "an e-mail address such as info@example.com";
            case URL -> "an http or https address such as 'https://example.com/book'";
            case INTEGER -> "a whole number such as 100";
            case DECIMAL -> "a number such as 0.75";
            case MONEY -> "an amount such as 1500.00";
            case DATE -> "a date such as 2025-01-31";
            case DATE_TIME -> "a date and time with offset such as '2025-01-31T09:30:00+01:00'";
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of: " + options(field);
            case MULTI_CHOICE -> "a list of some of: " + options(field) + ", e.g. [" + field.options().get(0).value() + "]";
            case REFERENCE -> "the id of a record of " + q(field.referenceEntity()) + " (a whole number)";
            case RECORD_LINK -> "a record as entity:id, such as 'lead:12'";
            case FILE -> "the id of one of the record's files (a whole number)";
        };
    }

    private static String options(FieldDefinition field) {
        return field.options().stream().map(ChoiceOption::value).collect(Collectors.joining(", "));
    }

    private static Optional<String> tooLong(FieldDefinition field, String text) {
        return text.length() > field.effectiveMaxLength()
                ? Optional.of("has " + text.length() + " characters, but field " + q(field.name()) + " takes at most "
                        + field.effectiveMaxLength())
                : Optional.empty();
    }

    private static Optional<String> decimal(FieldDefinition field, Object value, String mismatch) {
        BigDecimal number;
        if (value instanceof Long l) {
            number = BigDecimal.valueOf(l);
        } else if (value instanceof BigInteger b) {
            number = new BigDecimal(b);
        } else if (value instanceof BigDecimal d) {
            number = d;
        } else {
            return Optional.of(mismatch);
        }
        BigDecimal plain = number.stripTrailingZeros();
        if (Math.max(plain.scale(), 0) > field.effectiveScale()) {
            return Optional.of("has more than " + field.effectiveScale() + " digits after the point, which field "
                    + q(field.name()) + " keeps");
        }
        if (plain.precision() - plain.scale() > field.effectivePrecision() - field.effectiveScale()) {
            return Optional.of("is too large for field " + q(field.name()) + " (at most "
                    + (field.effectivePrecision() - field.effectiveScale()) + " digits before the point)");
        }
        return Optional.empty();
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the text " + q(s);
        }
        if (value instanceof Boolean b) {
            return String.valueOf(b);
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof java.util.Map<?, ?>) {
            return "a mapping";
        }
        return "the number " + value;
    }
}
