package io.relata.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.record.FieldError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * Turns what a rule returned into Java values, per rule kind. Runs inside the rule's guarded run, because
 * reading a returned object can run guest code (getters). Anything a kind does not allow is a
 * {@link WrongResult}.
 */
final class RuleResults {

    static final String ERROR_CODE = io.relata.api.record.ErrorCodes.RULE;
    private static final int MAX_MESSAGE = 1000;

    private RuleResults() {
    }

    /** What a rule returned does not fit its kind or field. The message completes "The rule ... ". */
    static final class WrongResult extends RuntimeException {
        WrongResult(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The errors of a validation from what the prelude's {@code validation} runner returned: null (valid), an
     * encoded string for the usual shapes, or the rule's own result for {@link #errors} to read.
     */
    static List<FieldError> validation(Value reduced, EntityDefinition entity, String[] fields, String rule) {
        if (reduced.isNull()) {
            return List.of();
        }
        if (!reduced.isString()) {
            return errors(reduced, entity, rule);
        }
        String s = reduced.asString();
        List<FieldError> errors = new ArrayList<>(2);
        switch (s.charAt(0)) {
            case 'M' -> addMessage(errors, null, s.substring(1));
            case 'L' -> {
                for (int at = 1, end; at < s.length(); at = end + 1) {
                    end = s.indexOf('\0', at);
                    addMessage(errors, null, s.substring(at, end));
                }
            }
            case 'F' -> {
                for (int at = 1, end; at < s.length(); at = end + 1) {
                    int separator = s.indexOf('\0', at);
                    String field = field(fields, s, at, separator);
                    if (field == null) {
                        LocalizedText perLanguage = perLanguage(s, fields);
                        if (perLanguage == null) {
                            throw new WrongResult("returned an error for '" + s.substring(at, separator)
                                    + "', which is not a field of '" + entity.name() + "'");
                        }
                        errors.clear();
                        addMessage(errors, null, perLanguage);
                        break;
                    }
                    end = s.indexOf('\0', separator + 1);
                    addMessage(errors, field, s.substring(separator + 1, end));
                }
            }
            default -> throw new IllegalStateException("unexpected validation encoding " + s.charAt(0));
        }
        return errors;
    }

    /**
     * A {field: message} encoding whose keys are all language codes and none a field: one message for the record
     * in several languages ({@code return {de: '...', en: '...'}}), or null.
     */
    private static LocalizedText perLanguage(String s, String[] fields) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (int at = 1, end; at < s.length(); at = end + 1) {
            int separator = s.indexOf('\0', at);
            end = s.indexOf('\0', separator + 1);
            if (separator - at != 2 || field(fields, s, at, separator) != null) {
                return null;
            }
            texts.put(s.substring(at, separator), s.substring(separator + 1, end));
        }
        return texts.isEmpty() ? null : new LocalizedText(texts);
    }

    static List<FieldError> errors(Value v, EntityDefinition entity, String rule) {
        List<FieldError> errors = new ArrayList<>();
        if (v.isNull() || v.isBoolean() && v.asBoolean()) {
            return errors;
        }
        if (v.isBoolean()) {
            errors.add(new FieldError(null, ERROR_CODE, LocalizedText.of("Der Datensatz erfüllt die Regel '" + rule + "' nicht.",
                    "The record does not meet the rule '" + rule + "'.")));
        } else if (v.isString()) {
            addMessage(errors, null, v.asString());
        } else if (v.hasArrayElements()) {
            for (long i = 0; i < v.getArraySize(); i++) {
                Value item = v.getArrayElement(i);
                if (item.isNull()) {
                    continue;
                }
                LocalizedText text = message(item);
                if (text == null) {
                    throw new WrongResult("returned a list containing " + describe(item)
                            + "; a validation's list holds messages (strings, or {de: ..., en: ...})");
                }
                addMessage(errors, null, text);
            }
        } else if (v.hasMembers() && !v.canExecute() && isPerLanguage(v, entity)) {
            addMessage(errors, null, message(v));
        } else if (v.hasMembers() && !v.canExecute()) {
            for (String field : v.getMemberKeys()) {
                Value message = v.getMember(field);
                if (message == null || message.isNull() || message.isBoolean() && message.asBoolean()) {
                    continue;
                }
                LocalizedText text = message(message);
                if (text == null) {
                    throw new WrongResult("returned " + describe(message) + " for the field '" + field
                            + "'; a validation returns {field: message} with messages as strings or {de: ..., en: ...}");
                }
                if (entity.field(field).isEmpty()) {
                    throw new WrongResult("returned an error for '" + field + "', which is not a field of '"
                            + entity.name() + "'");
                }
                addMessage(errors, field, text);
            }
        } else {
            throw new WrongResult("returned " + describe(v) + "; a validation returns nothing when the record is "
                    + "valid, else a message, a list of messages or {field: message}");
        }
        return errors;
    }

    private static void addMessage(List<FieldError> errors, String field, String message) {
        if (message.isBlank()) {
            return;
        }
        errors.add(new FieldError(field, ERROR_CODE, shortened(message)));
    }

    private static void addMessage(List<FieldError> errors, String field, LocalizedText message) {
        Map<String, String> texts = new LinkedHashMap<>();
        message.values().forEach((language, text) -> {
            if (!text.isBlank()) {
                texts.put(language, shortened(text));
            }
        });
        if (!texts.isEmpty()) {
            errors.add(new FieldError(field, ERROR_CODE, new LocalizedText(texts)));
        }
    }

    private static String shortened(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
    }

    private static boolean isPerLanguage(Value v, EntityDefinition entity) {
        return message(v) != null && v.getMemberKeys().stream().noneMatch(key -> entity.field(key).isPresent());
    }

    /**
     * A message as a rule may give it: a text, or the text per language ({@code {de: '...', en: '...'}}, keys
     * of two letters, values texts); null for anything else.
     */
    static LocalizedText message(Value v) {
        if (v.isString()) {
            return new LocalizedText(Map.of(LocalizedText.FALLBACK_LANGUAGE, v.asString()));
        }
        if (!v.hasMembers() || v.hasArrayElements() || v.canExecute()) {
            return null;
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String language : v.getMemberKeys()) {
            Value text = v.getMember(language);
            if (language.length() != 2 || text == null || !text.isString()) {
                return null;
            }
            texts.put(language, text.asString());
        }
        return texts.isEmpty() ? null : new LocalizedText(texts);
    }

    /** The field whose name is {@code s} from {@code from} to {@code to}, or null (no substring, no hashing). */
    private static String field(String[] fields, String s, int from, int to) {
        int length = to - from;
        for (String field : fields) {
            if (field.length() == length && s.startsWith(field, from)) {
                return field;
            }
        }
        return null;
    }

    /** JavaScript truthiness. */
    static boolean truthy(Value v) {
        if (v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            return d != 0 && !Double.isNaN(d);
        }
        if (v.isString()) {
            return !v.asString().isEmpty();
        }
        return true;
    }

    /** A computed or default value, converted to the Java type of its field. */
    static Object fieldValue(Value v, FieldDefinition field) {
        if (v.isNull()) {
            return null;
        }
        FieldType type = field.type();
        switch (type) {
            case TEXT, LONG_TEXT, CHOICE, EMAIL, PHONE, URL -> {
                if (v.isString()) {
                    return v.asString();
                }
            }
            case INTEGER, REFERENCE, FILE -> {
                if (v.isNumber() && v.fitsInLong()) {
                    return v.asLong();
                }
                if (v.isNumber()) {
                    throw wrongType(v, field, "a whole number (use Math.round)");
                }
            }
            case DECIMAL, MONEY -> {
                if (v.isNumber()) {
                    return decimal(v, field);
                }
                if (v.isString()) { // a decimal(...) result, or a decimal text: exact
                    try {
                        return new BigDecimal(v.asString().trim()).setScale(field.effectiveScale(), RoundingMode.HALF_UP);
                    } catch (NumberFormatException e) {
                        throw wrongType(v, field, expected(type));
                    }
                }
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    return v.asBoolean();
                }
            }
            case DATE -> {
                if (v.isString()) {
                    try {
                        return LocalDate.parse(v.asString());
                    } catch (DateTimeParseException e) {
                        throw wrongType(v, field, "a date like '2025-01-31'");
                    }
                }
                if (v.isDate()) {
                    return v.asDate();
                }
            }
            case DATE_TIME -> {
                if (v.isString()) {
                    try {
                        return OffsetDateTime.parse(v.asString());
                    } catch (DateTimeParseException e) {
                        throw wrongType(v, field, "a date-time like '2025-01-31T09:30:00Z'");
                    }
                }
                if (v.isInstant()) {
                    return OffsetDateTime.ofInstant(v.asInstant(), ZoneOffset.UTC);
                }
            }
            case RECORD_LINK -> {
                if (v.isString()) {
                    return io.relata.api.record.RecordLink.parse(v.asString())
                            .orElseThrow(() -> wrongType(v, field, expected(type)));
                }
            }
            case MULTI_CHOICE -> {
                if (v.hasArrayElements()) {
                    List<String> values = new ArrayList<>();
                    for (long i = 0; i < v.getArraySize(); i++) {
                        Value item = v.getArrayElement(i);
                        if (!item.isString()) {
                            throw wrongType(v, field, "a list of option values (strings)");
                        }
                        values.add(item.asString());
                    }
                    return List.copyOf(values);
                }
            }
        }
        throw wrongType(v, field, expected(type));
    }

    private static String expected(FieldType type) {
        return switch (type) {
            case INTEGER, REFERENCE, FILE -> "a whole number";
            case DECIMAL, MONEY -> "a number or a decimal (decimal(...))";
            case BOOLEAN -> "true or false";
            case DATE -> "a date like '2025-01-31'";
            case DATE_TIME -> "a date-time like '2025-01-31T09:30:00Z'";
            case MULTI_CHOICE -> "a list of option values (strings)";
            case RECORD_LINK -> "a record as 'entity:id', like 'lead:12'";
            default -> "a string";
        };
    }

    private static WrongResult wrongType(Value v, FieldDefinition field, String expected) {
        return new WrongResult("returned " + describe(v) + " for the " + field.type().yamlName() + " field '"
                + field.name() + "', which takes " + expected);
    }

    private static BigDecimal decimal(Value v, FieldDefinition field) {
        BigDecimal d;
        if (v.fitsInLong()) {
            d = BigDecimal.valueOf(v.asLong());
        } else {
            double x = v.asDouble();
            if (!Double.isFinite(x)) {
                throw wrongType(v, field, "a finite number");
            }
            d = BigDecimal.valueOf(x);
        }
        return d.setScale(field.effectiveScale(), RoundingMode.HALF_UP);
    }

    /** A score and its reasons as lines ("+20 Company given"). */
    record Score(Object value, String reasons) {
    }

    /**
     * A score from what the prelude's {@code score} runner returned: the encoded {@code 'S'} string for the
     * usual {score, reasons} shape, else the rule's own result for {@link #score(Value, FieldDefinition)}.
     */
    static Score reducedScore(Value reduced, FieldDefinition field) {
        if (!reduced.isString()) {
            return score(reduced, field);
        }
        String s = reduced.asString();
        if (s.charAt(0) == 'R') {
            throw new WrongResult("returned " + describeString(s.substring(1)) + "; a score returns a number or "
                    + "{score: number, reasons: [...]}");
        }
        int zero = s.indexOf('\0');
        long integer = integer(s, 1, zero);
        double number = integer != NOT_AN_INTEGER ? integer : Double.parseDouble(s.substring(1, zero));
        boolean hasReasons = s.charAt(zero + 1) == '1';
        String reasons = hasReasons ? s.substring(zero + 2) : null;
        boolean fitsInLong = fitsInLong(number);
        return new Score(scoreValue(number, fitsInLong, (long) number, field, null), reasons);
    }

    private static final long NOT_AN_INTEGER = Long.MIN_VALUE;

    /** The integer JavaScript wrote between {@code from} and {@code to} (up to 15 digits), else NOT_AN_INTEGER. */
    private static long integer(String s, int from, int to) {
        boolean negative = from < to && s.charAt(from) == '-';
        int at = negative ? from + 1 : from;
        if (at == to || to - at > 15) {
            return NOT_AN_INTEGER;
        }
        long value = 0;
        for (; at < to; at++) {
            char c = s.charAt(at);
            if (c < '0' || c > '9') {
                return NOT_AN_INTEGER;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    /** Whether interop would call this double a long: integral, not -0, in range. */
    private static boolean fitsInLong(double d) {
        return d >= -0x1p63 && d < 0x1p63 && d == Math.rint(d) && !(d == 0 && Double.doubleToRawLongBits(d) != 0);
    }

    static Score score(Value v, FieldDefinition field) {
        Value number = v;
        List<String> lines = new ArrayList<>();
        if (!v.isNumber()) {
            if (v.isNull() || !v.hasMembers() || v.hasArrayElements() || v.canExecute()) {
                throw new WrongResult("returned " + describe(v) + "; a score returns a number or "
                        + "{score: number, reasons: [...]}");
            }
            number = v.getMember("score");
            if (number == null || !number.isNumber()) {
                throw new WrongResult("returned an object whose 'score' is "
                        + (number == null ? "missing" : describe(number)) + "; it must be a number");
            }
            Value reasons = v.getMember("reasons");
            if (reasons != null && !reasons.isNull()) {
                if (!reasons.hasArrayElements()) {
                    throw new WrongResult("returned 'reasons' as " + describe(reasons) + "; it must be a list");
                }
                for (long i = 0; i < reasons.getArraySize(); i++) {
                    lines.add(reason(reasons.getArrayElement(i)));
                }
            }
        }
        double score = number.asDouble();
        boolean fitsInLong = number.fitsInLong();
        Object value = scoreValue(score, fitsInLong, fitsInLong ? number.asLong() : 0, field,
                Double.isFinite(score) ? null : describe(number));
        return new Score(value, lines.isEmpty() ? null : String.join("\n", lines));
    }

    /** @param described how the score reads in a message, or null for its number */
    private static Object scoreValue(double score, boolean fitsInLong, long asLong, FieldDefinition field,
                                     String described) {
        if (!Double.isFinite(score)) {
            String text = described != null ? described
                    : fitsInLong ? Long.toString(asLong) : Double.toString(score);
            throw new WrongResult("returned the score " + text + "; it must be a finite number");
        }
        return switch (field.type()) {
            case INTEGER -> fitsInLong ? asLong : Math.round(score);
            case DECIMAL, MONEY -> (fitsInLong ? BigDecimal.valueOf(asLong) : BigDecimal.valueOf(score))
                    .setScale(field.effectiveScale(), RoundingMode.HALF_UP);
            default -> throw new WrongResult("stores a score in the " + field.type().yamlName() + " field '"
                    + field.name() + "'; a score field must be integer or decimal");
        };
    }

    private static String reason(Value item) {
        if (item.isString()) {
            return item.asString();
        }
        if (item.hasMembers() && !item.hasArrayElements() && !item.canExecute()) {
            Value points = item.getMember("points");
            Value reason = item.getMember("reason");
            if (points != null && points.isNumber() && reason != null && reason.isString()) {
                double p = points.asDouble();
                String number = points.fitsInLong() ? Long.toString(points.asLong()) : BigDecimal.valueOf(p)
                        .stripTrailingZeros().toPlainString();
                return (p >= 0 ? "+" : "") + number + " " + reason.asString();
            }
        }
        throw new WrongResult("returned the reason " + describe(item) + "; a reason is a text or "
                + "{points: number, reason: text}");
    }

    private static String describeString(String s) {
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }

    /** A short description of a returned value for messages. */
    static String describe(Value v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.asBoolean());
        }
        if (v.isNumber()) {
            return v.fitsInLong() ? Long.toString(v.asLong()) : Double.toString(v.asDouble());
        }
        if (v.isString()) {
            return describeString(v.asString());
        }
        if (v.hasArrayElements()) {
            return "a list";
        }
        if (v.canExecute()) {
            return "a function";
        }
        if (v.isHostObject() || v.isProxyObject()) {
            return "a host object";
        }
        Value meta = v.getMetaObject();
        if (meta != null && meta.isMetaObject() && !"Object".equals(meta.getMetaSimpleName())) {
            return "a " + meta.getMetaSimpleName();
        }
        return "an object";
    }
}
