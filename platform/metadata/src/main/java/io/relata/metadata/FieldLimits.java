package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A field's {@code min}, {@code max} and {@code pattern} as YAML writes them: read into the field's Java type
 * for {@link EntityBuilder}, and the judgement whether a literal value (an example's, a default's, a process's
 * or a dialog's) lies within them, in words an admin can act on. Pure.
 */
final class FieldLimits {

    private FieldLimits() {
    }

    /**
     * The limit {@code node} as a value of the field's Java type ({@code Long}, {@code BigDecimal},
     * {@code LocalDate}), or empty if it is missing or not such a value.
     */
    static Optional<Object> limit(FieldType type, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        return switch (type) {
            case INTEGER -> node.isIntegralNumber() && node.canConvertToLong() ? Optional.of(node.asLong()) : Optional.empty();
            case DECIMAL, MONEY -> node.isNumber() ? Optional.of(node.decimalValue()) : Optional.empty();
            case DATE -> node.isTextual() ? date(node.asText()) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** How a limit of the type is written, for messages: "a whole number such as 0". */
    static String howToWrite(FieldType type) {
        return switch (type) {
            case INTEGER -> "a whole number such as 0";
            case DECIMAL -> "a number such as 0.5";
            case MONEY -> "an amount such as 0 or 1000.00";
            case DATE -> "a date such as 2000-01-01";
            default -> "nothing (this type takes no range)";
        };
    }

    /** Why {@code pattern} is no usable regular expression, or empty. */
    static Optional<String> patternProblem(String pattern) {
        try {
            Pattern.compile(pattern);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(e.getDescription() + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""));
        }
    }

    /**
     * What is wrong with {@code value} (typed like {@link EntityRuleBuilder#plain}: Long, BigDecimal, String)
     * for the field's limits, e.g. "is 150, above the largest value 100 of field 'probability'"; empty if it
     * lies within them or is no value of the field's type (which other checks report).
     */
    static Optional<String> problem(FieldDefinition field, Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = q(field.name());
        if (FieldDefinition.takesRange(field.type())) {
            Comparable<Object> typed = typed(field.type(), value);
            if (typed == null) {
                return Optional.empty();
            }
            if (field.min() != null && typed.compareTo(field.min()) < 0) {
                return Optional.of("is " + show(value) + ", below the smallest value " + show(field.min()) + " of field " + name);
            }
            if (field.max() != null && typed.compareTo(field.max()) > 0) {
                return Optional.of("is " + show(value) + ", above the largest value " + show(field.max()) + " of field " + name);
            }
        }
        if (field.pattern() != null && FieldDefinition.takesPattern(field.type()) && value instanceof String text
                && patternProblem(field.pattern()).isEmpty() && !Pattern.compile(field.pattern()).matcher(text).matches()) {
            return Optional.of("is " + q(text) + ", which does not match the pattern " + q(field.pattern()) + " of field " + name
                    + (field.patternMessage() == null ? "" : " (" + field.patternMessage().in("en") + ")"));
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> typed(FieldType type, Object value) {
        Object typed = switch (type) {
            case INTEGER -> value instanceof Long ? value : null;
            case DECIMAL, MONEY -> value instanceof Long l ? BigDecimal.valueOf(l)
                    : value instanceof java.math.BigInteger b ? new BigDecimal(b) : value instanceof BigDecimal ? value : null;
            case DATE -> value instanceof String s ? date(s).orElse(null) : value instanceof LocalDate ? value : null;
            default -> null;
        };
        return (Comparable<Object>) typed;
    }

    private static Optional<Object> date(String text) {
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String show(Object value) {
        return value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(value);
    }
}
