package io.relata.api.model;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A field of an entity as declared in metadata.
 *
 * @param name            column and API name: lower case, digits and underscores, starting with a letter
 * @param maxLength       for textual types: the longest value accepted; null means the type's default
 * @param precision       for decimal and money: total digits; null means the type's default
 * @param scale           for decimal and money: digits after the point; null means the type's default
 * @param options         for choice and multi-choice: the allowed values, in display order; else empty
 * @param referenceEntity for references: the name of the referenced entity; else null
 * @param reverseList     for references: how the referencing records are listed on the referenced
 *                        entity; never null for references (defaults are filled in by the loader)
 * @param listed          shown as a column in list views
 * @param searchable      included in the contains-search of list views and the API
 * @param indexed         gets a database index (unique fields are always indexed)
 * @param min             for integer, decimal, money and date: the smallest value accepted, of the field's
 *                        Java type ({@link FieldType#javaType()}: {@code Long}, {@code BigDecimal},
 *                        {@code LocalDate}); null: no lower limit
 * @param max             like {@code min}, the largest value accepted; null: no upper limit
 * @param pattern         for text, long-text, email, phone and url: a Java regular expression the whole value
 *                        must match (on top of the type's own format); null: any text
 * @param patternMessage  what a value matching {@code pattern} looks like, per language, shown when a value
 *                        does not match (e.g. "five digits, like 10115"); null: a generic message
 * @param narrowBy        for references: which records the picker offers, narrowed by another field of the same
 *                        record (the contacts of the chosen account); null: all readable records
 * @param autoNumber      for text: numbered by the platform on create ({@link AutoNumber}); null: typed by users
 */
public record FieldDefinition(
        String name,
        LocalizedText label,
        FieldType type,
        boolean required,
        boolean unique,
        boolean indexed,
        boolean searchable,
        boolean listed,
        Integer maxLength,
        Integer precision,
        Integer scale,
        List<ChoiceOption> options,
        String referenceEntity,
        ReverseList reverseList,
        LocalizedText help,
        Object min,
        Object max,
        String pattern,
        LocalizedText patternMessage,
        SourceLocation location,
        NarrowBy narrowBy,
        AutoNumber autoNumber) {

    public static final int DEFAULT_TEXT_LENGTH = 255;
    public static final int DEFAULT_LONG_TEXT_LENGTH = 32_000;
    public static final int DEFAULT_EMAIL_LENGTH = 254;
    public static final int DEFAULT_PHONE_LENGTH = 40;
    public static final int DEFAULT_URL_LENGTH = 2_000;
    public static final int DEFAULT_DECIMAL_PRECISION = 19;
    public static final int DEFAULT_DECIMAL_SCALE = 4;
    public static final int MONEY_SCALE = 2;

    public FieldDefinition {
        options = options == null ? List.of() : List.copyOf(options);
        checkLimit("min", min, type);
        checkLimit("max", max, type);
    }

    /** A field that is not numbered automatically. */
    public FieldDefinition(String name, LocalizedText label, FieldType type, boolean required, boolean unique,
                           boolean indexed, boolean searchable, boolean listed, Integer maxLength, Integer precision,
                           Integer scale, List<ChoiceOption> options, String referenceEntity, ReverseList reverseList,
                           LocalizedText help, Object min, Object max, String pattern, LocalizedText patternMessage,
                           SourceLocation location, NarrowBy narrowBy) {
        this(name, label, type, required, unique, indexed, searchable, listed, maxLength, precision, scale, options,
                referenceEntity, reverseList, help, min, max, pattern, patternMessage, location, narrowBy, null);
    }

    /** A field whose picker is not narrowed by another field. */
    public FieldDefinition(String name, LocalizedText label, FieldType type, boolean required, boolean unique,
                           boolean indexed, boolean searchable, boolean listed, Integer maxLength, Integer precision,
                           Integer scale, List<ChoiceOption> options, String referenceEntity, ReverseList reverseList,
                           LocalizedText help, Object min, Object max, String pattern, LocalizedText patternMessage,
                           SourceLocation location) {
        this(name, label, type, required, unique, indexed, searchable, listed, maxLength, precision, scale, options,
                referenceEntity, reverseList, help, min, max, pattern, patternMessage, location, null, null);
    }

    /** A field without value limits ({@code min}, {@code max}, {@code pattern}). */
    public FieldDefinition(String name, LocalizedText label, FieldType type, boolean required, boolean unique,
                           boolean indexed, boolean searchable, boolean listed, Integer maxLength, Integer precision,
                           Integer scale, List<ChoiceOption> options, String referenceEntity, ReverseList reverseList,
                           LocalizedText help, SourceLocation location) {
        this(name, label, type, required, unique, indexed, searchable, listed, maxLength, precision, scale, options,
                referenceEntity, reverseList, help, null, null, null, null, location);
    }

    /** The same field with other value limits. */
    public FieldDefinition withLimits(Object newMin, Object newMax, String newPattern, LocalizedText newPatternMessage) {
        return new FieldDefinition(name, label, type, required, unique, indexed, searchable, listed, maxLength, precision,
                scale, options, referenceEntity, reverseList, help, newMin, newMax, newPattern, newPatternMessage,
                location, narrowBy, autoNumber);
    }

    /** The types {@code min} and {@code max} apply to. */
    public static boolean takesRange(FieldType type) {
        return switch (type) {
            case INTEGER, DECIMAL, MONEY, DATE -> true;
            default -> false;
        };
    }

    /** The types {@code pattern} applies to. */
    public static boolean takesPattern(FieldType type) {
        return switch (type) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL -> true;
            default -> false;
        };
    }

    private static void checkLimit(String key, Object limit, FieldType type) {
        if (limit == null) {
            return;
        }
        boolean fits = switch (type) {
            case INTEGER -> limit instanceof Long;
            case DECIMAL, MONEY -> limit instanceof BigDecimal;
            case DATE -> limit instanceof LocalDate;
            default -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException(key + " of a " + type + " field must be a " + type.javaType().getSimpleName()
                    + (takesRange(type) ? "" : " (and " + type + " fields take no range)") + ", not " + limit);
        }
    }

    /** The longest text this field accepts, type defaults applied. */
    public int effectiveMaxLength() {
        if (maxLength != null) {
            return maxLength;
        }
        return switch (type) {
            case LONG_TEXT -> DEFAULT_LONG_TEXT_LENGTH;
            case EMAIL -> DEFAULT_EMAIL_LENGTH;
            case PHONE -> DEFAULT_PHONE_LENGTH;
            case URL -> DEFAULT_URL_LENGTH;
            case MULTI_CHOICE -> DEFAULT_URL_LENGTH;
            default -> DEFAULT_TEXT_LENGTH;
        };
    }

    public int effectivePrecision() {
        return precision != null ? precision : DEFAULT_DECIMAL_PRECISION;
    }

    public int effectiveScale() {
        if (scale != null) {
            return scale;
        }
        return type == FieldType.MONEY ? MONEY_SCALE : DEFAULT_DECIMAL_SCALE;
    }

    public Optional<ChoiceOption> option(String value) {
        return options.stream().filter(o -> o.value().equals(value)).findFirst();
    }
}
