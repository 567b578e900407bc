package io.relata.store;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.RecordLink;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns raw input (Strings from forms and URLs, numbers from JSON) or typed values into the Java type of
 * a field ({@link FieldType#javaType()}) and checks it against the field's metadata. Blank text and empty
 * lists become null. Date-times are normalised to UTC and microseconds (what both databases keep).
 * Single-line text is trimmed; long text is kept as given.
 */
public final class ValueConverter {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]+((ext\\.?|x) ?[0-9]+)?");
    private static final int MAX_PLAIN_DIGITS = 1_000;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /**
     * Converts and validates a value to be stored in {@code field}: its type and format, then its limits
     * ({@code min}/{@code max}: {@code too_small}/{@code too_large}; {@code pattern}: {@code pattern}).
     *
     * @return the typed value, or null for no value (null, blank text, empty list)
     */
    public Object convert(FieldDefinition field, Object raw) throws InvalidValueException {
        Object value = convertWithoutLimits(field, raw);
        checkLimits(field, value);
        return value;
    }

    /**
     * Converts and checks a value like {@link #convert} but not against the field's {@code min}, {@code max}
     * and {@code pattern}: for values that are compared, not stored (filters, read-only fields sent back,
     * form values the rules see as the user types).
     */
    public Object convertWithoutLimits(FieldDefinition field, Object raw) throws InvalidValueException {
        if (raw == null) {
            return null;
        }
        return switch (field.type()) {
            case TEXT, CHOICE, EMAIL, PHONE, URL -> text(field, raw, true);
            case LONG_TEXT -> text(field, raw, false);
            case INTEGER, FILE -> toLong(raw);
            case REFERENCE -> reference(raw);
            case DECIMAL, MONEY -> decimal(field, raw);
            case DATE -> toDate(raw);
            case DATE_TIME -> toDateTime(raw);
            case BOOLEAN -> toBoolean(raw);
            case MULTI_CHOICE -> multiChoice(field, raw);
            case RECORD_LINK -> recordLink(raw);
        };
    }

    /**
     * Converts a value to compare {@code field} with in a filter: like {@link #convert} but text is not
     * checked for format or length (a search for "@acme" in an email field is fine), blank text is null
     * (as it is stored), and with {@code checkOptions} a choice must be one of its options. For
     * multi-choice the result is a single option value.
     */
    public Object convertForFilter(FieldDefinition field, Object raw, boolean checkOptions) throws InvalidValueException {
        if (raw == null) {
            return null;
        }
        if (field.type() == FieldType.MULTI_CHOICE || field.type() == FieldType.CHOICE) {
            String value = plainText(raw).strip();
            if (value.isEmpty()) {
                return null;
            }
            if (checkOptions) {
                requireOption(field, value);
            }
            return value;
        }
        if (field.type().isTextual()) {
            String text = plainText(raw);
            return text.isBlank() ? null : text; // blank text is stored as null
        }
        return convertWithoutLimits(field, raw); // "probability > 150" is a question, not a value to store
    }

    // ---- limits ----

    /**
     * A typed value of {@code field} against its {@code min}, {@code max} and {@code pattern}. The messages
     * name the limit; the codes let a user interface word them in the user's language.
     */
    public void checkLimits(FieldDefinition field, Object value) throws InvalidValueException {
        if (value == null) {
            return;
        }
        if (FieldDefinition.takesRange(field.type()) && value instanceof Comparable<?> comparable) {
            if (field.min() != null && compare(comparable, field.min()) < 0) {
                throw field.type() == FieldType.DATE
                        ? InvalidValueException.of(ErrorCodes.TOO_SMALL, "Geben Sie ein Datum ab dem {0} ein",
                                "Enter a date on or after {0}", show(field.min()))
                        : InvalidValueException.of(ErrorCodes.TOO_SMALL, "Geben Sie mindestens {0} ein",
                                "Enter a value of at least {0}", show(field.min()));
            }
            if (field.max() != null && compare(comparable, field.max()) > 0) {
                throw field.type() == FieldType.DATE
                        ? InvalidValueException.of(ErrorCodes.TOO_LARGE, "Geben Sie ein Datum bis zum {0} ein",
                                "Enter a date on or before {0}", show(field.max()))
                        : InvalidValueException.of(ErrorCodes.TOO_LARGE, "Geben Sie höchstens {0} ein",
                                "Enter a value of at most {0}", show(field.max()));
            }
        }
        if (field.pattern() != null && FieldDefinition.takesPattern(field.type()) && value instanceof String text
                && !matches(field.pattern(), text)) {
            throw field.patternMessage() != null
                    ? InvalidValueException.of(ErrorCodes.PATTERN, "Geben Sie {0} ein", "Enter {0}", field.patternMessage())
                    : InvalidValueException.of(ErrorCodes.PATTERN, "Geben Sie einen Wert im erwarteten Format ein"
                            + " (Muster {0})", "Enter a value in the expected format (the pattern {0})", field.pattern());
        }
    }

    @SuppressWarnings("unchecked")
    private static int compare(Comparable<?> value, Object limit) {
        Object typed = value instanceof Long l && limit instanceof BigDecimal ? BigDecimal.valueOf(l) : value;
        return ((Comparable<Object>) typed).compareTo(limit);
    }

    private static String show(Object limit) {
        return limit instanceof BigDecimal decimal ? decimal.stripTrailingZeros().toPlainString() : limit.toString();
    }

    /** Compiled patterns of the models in use; an admin writes a handful, so the cache stays small. */
    private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();
    /** How many characters one match may read: ample for any sane pattern on a field's longest value. */
    private static final int MATCH_STEPS = 1_000_000;

    /**
     * Whether the whole text matches. A pattern that backtracks without end (an admin's "(a+)+$") is stopped
     * after {@value #MATCH_STEPS} steps and counts as not matching, so one value cannot hold a thread.
     */
    static boolean matches(String pattern, String text) {
        Pattern compiled = PATTERNS.computeIfAbsent(pattern, Pattern::compile);
        try {
            return compiled.matcher(new Bounded(text)).matches();
        } catch (Bounded.TooLong e) {
            return false;
        }
    }

    /** A text that refuses to be read more than {@value #MATCH_STEPS} times. */
    private static final class Bounded implements CharSequence {
        private final String text;
        private int steps;

        Bounded(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++steps > MATCH_STEPS) {
                throw new TooLong();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }

        static final class TooLong extends RuntimeException {
            TooLong() {
                super(null, null, false, false);
            }
        }
    }

    // ---- text ----

    private Object text(FieldDefinition field, Object raw, boolean singleLine) throws InvalidValueException {
        String value = plainText(raw);
        if (singleLine) {
            value = value.strip();
        }
        if (value.isBlank()) {
            return null;
        }
        if (value.length() > field.effectiveMaxLength()) {
            throw InvalidValueException.of(ErrorCodes.TOO_LONG, "Geben Sie höchstens {0} Zeichen ein (dieser Wert hat {1})",
                    "Enter at most {0} characters (this value has {1})", field.effectiveMaxLength(), value.length());
        }
        switch (field.type()) {
            case CHOICE -> requireOption(field, value);
            case EMAIL -> {
                if (!EMAIL.matcher(value).matches()) {
                    throw InvalidValueException.of(ErrorCodes.INVALID_EMAIL,
                            "Geben Sie eine E-Mail-Adresse wie name@example.com ein",
                            "Enter an email address like name@example.com");
                }
            }
            case URL -> checkUrl(value);
            case PHONE -> {
                long digits = value.chars().filter(Character::isDigit).count();
                if (!PHONE.matcher(value).matches() || digits < 3) {
                    throw InvalidValueException.of(ErrorCodes.INVALID_PHONE,
                            "Geben Sie eine Telefonnummer aus Ziffern, Leerzeichen und + ( ) - . / ein, wie +49 30 1234567",
                            "Enter a phone number of digits, spaces and + ( ) - . / like +49 30 1234567");
                }
            }
            default -> {
                // plain text: no format
            }
        }
        return value;
    }

    private static String plainText(Object raw) throws InvalidValueException {
        if (raw instanceof CharSequence || raw instanceof Number || raw instanceof Boolean) {
            if (raw instanceof BigDecimal decimal) {
                // toPlainString() of 1e999999999 would build a billion-digit string: refuse before expanding.
                if (Math.abs((long) decimal.precision() - decimal.scale()) > MAX_PLAIN_DIGITS
                        || Math.abs((long) decimal.scale()) > MAX_PLAIN_DIGITS) {
                    throw InvalidValueException.of(ErrorCodes.TOO_LONG, "Geben Sie einen kürzeren Wert ein",
                            "Enter a shorter value");
                }
                return decimal.toPlainString();
            }
            return checkCharacters(raw.toString());
        }
        throw InvalidValueException.of(ErrorCodes.NOT_TEXT, "Geben Sie Text ein, kein(e) {0}", "Enter text, not a {1}",
                describe(raw, "de"), describe(raw, "en"));
    }

    /**
     * Refuses the NUL character (U+0000): PostgreSQL cannot store it in text and H2 would, so the same input
     * would fail on one database only and with a server error. It never belongs in CRM text; it mostly comes
     * from binary data pasted or sent by mistake.
     *
     * @return {@code text} unchanged
     */
    public static String checkCharacters(String text) throws InvalidValueException {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw InvalidValueException.of(ErrorCodes.INVALID_CHARACTER, "Entfernen Sie das NUL-Zeichen (U+0000) an"
                    + " Position {0}; Text kann es nicht enthalten", "Remove the NUL character (U+0000) at position {0};"
                    + " text cannot contain it", nul + 1);
        }
        return text;
    }

    private static void checkUrl(String value) throws InvalidValueException {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw InvalidValueException.of(ErrorCodes.INVALID_URL, "Geben Sie eine Webadresse ein, die mit http:// oder"
                + " https:// beginnt", "Enter a web address starting with http:// or https://");
    }

    private static void requireOption(FieldDefinition field, String value) throws InvalidValueException {
        if (field.option(value).isEmpty()) {
            throw InvalidValueException.of(ErrorCodes.UNKNOWN_OPTION, "'{0}' ist keine Option; wählen Sie eine von: {1}",
                    "'{0}' is not an option; choose one of: {1}", value, optionList(field));
        }
    }

    // ---- numbers ----

    /** A whole number as {@code Long}; used for integer fields, references and the id/version columns. */
    public Long toLong(Object raw) throws InvalidValueException {
        BigDecimal number = number(raw);
        if (number == null) {
            return null;
        }
        if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
            throw InvalidValueException.of(ErrorCodes.NOT_AN_INTEGER, "Geben Sie eine ganze Zahl ohne Nachkommastellen ein",
                    "Enter a whole number without decimals");
        }
        if (number.compareTo(LONG_MIN) < 0 || number.compareTo(LONG_MAX) > 0) {
            throw InvalidValueException.of(ErrorCodes.TOO_MANY_DIGITS, "Geben Sie eine Zahl zwischen {0} und {1} ein",
                    "Enter a number between {0} and {1}", Long.MIN_VALUE, Long.MAX_VALUE);
        }
        return number.longValueExact();
    }

    private Long reference(Object raw) throws InvalidValueException {
        try {
            return toLong(raw);
        } catch (InvalidValueException e) {
            throw InvalidValueException.of(ErrorCodes.NOT_AN_INTEGER, "Geben Sie die ID (eine ganze Zahl) eines Datensatzes"
                    + " ein", "Enter the id (a whole number) of a record");
        }
    }

    /**
     * A {@link RecordLink} from itself, its text {@code entity:id} or a JSON object {@code {entity, id}}.
     * Whether the record exists (and may be linked by the writer) is the store's check.
     */
    private RecordLink recordLink(Object raw) throws InvalidValueException {
        if (raw instanceof RecordLink link) {
            return link;
        }
        InvalidValueException wrong = InvalidValueException.of(ErrorCodes.NOT_A_RECORD_LINK,
                "Geben Sie einen Datensatz als entität:id ein, wie lead:12", "Enter a record as entity:id, like lead:12");
        if (raw instanceof CharSequence text) {
            if (text.toString().isBlank()) {
                return null;
            }
            return RecordLink.parse(text.toString()).orElseThrow(() -> wrong);
        }
        if (raw instanceof java.util.Map<?, ?> map && map.get("entity") instanceof CharSequence entity
                && map.get("id") != null) {
            Long id;
            try {
                id = toLong(map.get("id"));
            } catch (InvalidValueException e) {
                throw wrong;
            }
            if (id == null) {
                throw wrong;
            }
            return RecordLink.parse(entity + ":" + id).orElseThrow(() -> wrong);
        }
        throw wrong;
    }

    private BigDecimal decimal(FieldDefinition field, Object raw) throws InvalidValueException {
        BigDecimal number = number(raw);
        if (number == null) {
            return null;
        }
        int scale = field.effectiveScale();
        int integerDigits = field.effectivePrecision() - scale;
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() > scale) {
            throw InvalidValueException.of(ErrorCodes.TOO_MANY_DIGITS, "Geben Sie höchstens {0} Nachkommastellen ein",
                    "Enter at most {0} digits after the decimal point", scale);
        }
        int digitsBeforePoint = Math.max(stripped.precision() - stripped.scale(), 0);
        if (digitsBeforePoint > integerDigits) {
            throw InvalidValueException.of(ErrorCodes.TOO_MANY_DIGITS, "Geben Sie höchstens {0} Stellen vor dem Komma ein",
                    "Enter at most {0} digits before the decimal point", integerDigits);
        }
        return number.setScale(scale);
    }

    private static BigDecimal number(Object raw) throws InvalidValueException {
        if (raw instanceof BigDecimal decimal) {
            return decimal;
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if (raw instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (raw instanceof Double || raw instanceof Float) {
            double value = ((Number) raw).doubleValue();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw InvalidValueException.of(ErrorCodes.NOT_A_NUMBER, "Geben Sie eine endliche Zahl ein",
                        "Enter a finite number");
            }
            return new BigDecimal(Double.toString(value));
        }
        if (raw instanceof CharSequence text) {
            String value = text.toString().strip();
            if (value.isEmpty()) {
                return null;
            }
            try {
                return new BigDecimal(value);
            } catch (NumberFormatException e) {
                throw InvalidValueException.of(ErrorCodes.NOT_A_NUMBER, "Geben Sie eine Zahl wie 1234.56 ein (Ziffern,"
                        + " wahlweise Minuszeichen und Dezimalpunkt), nicht '{0}'", "Enter a number like 1234.56"
                        + " (digits, optional minus sign and decimal point), not '{0}'", value);
            }
        }
        throw InvalidValueException.of(ErrorCodes.NOT_A_NUMBER, "Geben Sie eine Zahl ein, kein(e) {0}",
                "Enter a number, not a {1}", describe(raw, "de"), describe(raw, "en"));
    }

    // ---- dates ----

    private static LocalDate toDate(Object raw) throws InvalidValueException {
        if (raw instanceof LocalDate date) {
            return date;
        }
        if (raw instanceof CharSequence text) {
            String value = text.toString().strip();
            if (value.isEmpty()) {
                return null;
            }
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw InvalidValueException.of(ErrorCodes.NOT_A_DATE, "Geben Sie ein Datum als JJJJ-MM-TT ein, wie 2024-05-31",
                "Enter a date as YYYY-MM-DD, like 2024-05-31");
    }

    /** A point in time as UTC {@code OffsetDateTime}; used for date-time fields and created_at/updated_at. */
    public OffsetDateTime toDateTime(Object raw) throws InvalidValueException {
        OffsetDateTime value = null;
        if (raw instanceof OffsetDateTime dateTime) {
            value = dateTime;
        } else if (raw instanceof ZonedDateTime zoned) {
            value = zoned.toOffsetDateTime();
        } else if (raw instanceof Instant instant) {
            value = instant.atOffset(ZoneOffset.UTC);
        } else if (raw instanceof CharSequence text) {
            String string = text.toString().strip();
            if (string.isEmpty()) {
                return null;
            }
            value = parseDateTime(string);
        }
        if (value == null) {
            throw InvalidValueException.of(ErrorCodes.NOT_A_DATE_TIME, "Geben Sie Datum und Uhrzeit ein, wie"
                    + " 2024-05-31 14:30 (UTC) oder 2024-05-31T16:30+02:00", "Enter a date and time like 2024-05-31 14:30"
                    + " (UTC) or 2024-05-31T16:30+02:00");
        }
        return value.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * ISO date-times with or without seconds; a space may stand for the 'T' ("2026-12-04 14:30", as people type
     * it); without an offset the time is UTC, the zone every stored date-time is given in. Null if it is none.
     */
    private static OffsetDateTime parseDateTime(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            return OffsetDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(iso).toOffsetDateTime();
            } catch (DateTimeParseException notZoned) {
                try {
                    return java.time.LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    return null;
                }
            }
        }
    }

    // ---- boolean ----

    private static Boolean toBoolean(Object raw) throws InvalidValueException {
        if (raw instanceof Boolean bool) {
            return bool;
        }
        if (raw instanceof CharSequence text) {
            String value = text.toString().strip().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                return null;
            }
            if (value.equals("true")) {
                return Boolean.TRUE;
            }
            if (value.equals("false")) {
                return Boolean.FALSE;
            }
        }
        throw InvalidValueException.of(ErrorCodes.NOT_A_BOOLEAN, "Geben Sie true oder false ein", "Enter true or false");
    }

    // ---- multi-choice ----

    private static List<String> multiChoice(FieldDefinition field, Object raw) throws InvalidValueException {
        List<String> given = new ArrayList<>();
        if (raw instanceof Collection<?> collection) {
            for (Object item : collection) {
                if (item != null) {
                    given.add(plainText(item).strip());
                }
            }
        } else if (raw instanceof CharSequence text) {
            given.addAll(Arrays.asList(checkCharacters(text.toString()).split(",")));
        } else {
            throw InvalidValueException.of(ErrorCodes.NOT_TEXT, "Geben Sie eine Liste von Optionen ein, kein(e) {0}",
                    "Enter a list of options, not a {1}", describe(raw, "de"), describe(raw, "en"));
        }
        Set<String> chosen = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String item : given) {
            String value = item.strip();
            if (value.isEmpty()) {
                continue;
            }
            if (field.option(value).isEmpty() || value.contains(",")) {
                unknown.add(value);
            }
            chosen.add(value);
        }
        if (!unknown.isEmpty()) {
            throw unknown.size() == 1
                    ? InvalidValueException.of(ErrorCodes.UNKNOWN_OPTION, "'{0}' ist keine Option; wählen Sie aus: {1}",
                            "'{0}' is not an option; choose from: {1}", unknown.get(0), optionList(field))
                    : InvalidValueException.of(ErrorCodes.UNKNOWN_OPTION, "'{0}' sind keine Optionen; wählen Sie aus:"
                            + " {1}", "'{0}' are not options; choose from: {1}", String.join("', '", unknown),
                            optionList(field));
        }
        if (chosen.isEmpty()) {
            return null;
        }
        // canonical order: the options' display order
        List<String> ordered = field.options().stream().map(ChoiceOption::value).filter(chosen::contains).toList();
        String stored = toStored(ordered);
        if (stored.length() > field.effectiveMaxLength()) {
            throw InvalidValueException.of(ErrorCodes.TOO_LONG, "Wählen Sie weniger Optionen: zusammen dürfen sie höchstens"
                    + " {0} Zeichen lang sein", "Choose fewer options: together they may take at most {0} characters",
                    field.effectiveMaxLength());
        }
        return ordered;
    }

    /** How a multi-choice value is stored: {@code ,a,b,} so "contains b" is {@code LIKE '%,b,%'}. */
    public static String toStored(List<String> options) {
        return options == null || options.isEmpty() ? null : "," + String.join(",", options) + ",";
    }

    /** The list back from the stored form; null for null. */
    public static List<String> fromStored(String stored) {
        if (stored == null) {
            return null;
        }
        return Arrays.stream(stored.split(",")).filter(s -> !s.isEmpty()).toList();
    }

    /** What kind of value {@code raw} is, in {@code language}: "list", "object", or its Java type's name. */
    private static String describe(Object raw, String language) {
        boolean german = language.equals("de");
        if (raw instanceof Collection<?>) {
            return german ? "Liste" : "list";
        }
        if (raw instanceof java.util.Map<?, ?>) {
            return german ? "Objekt" : "object";
        }
        return raw.getClass().getSimpleName();
    }

    private static String optionList(FieldDefinition field) {
        // retired options are not offered, though a record that holds one keeps it
        return field.options().stream().filter(ChoiceOption::active).map(ChoiceOption::value)
                .collect(Collectors.joining(", "));
    }
}
