package io.relata.api.record;

/**
 * The stable codes of {@link FieldError}s, once for the whole platform: the record store's value checks, the rules,
 * the processes, the dialogs and the plugins report with these, the REST API returns them, and clients may switch on
 * them. Messages may change (and exist in German and English); codes do not. <b>Stable API.</b>
 */
public final class ErrorCodes {

    /** A required field is empty: the field's {@code required}, or a phase's {@code requires}. */
    public static final String REQUIRED = "required";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String READ_ONLY_FIELD = "read_only_field";
    public static final String TOO_LONG = "too_long";
    public static final String NOT_TEXT = "not_text";
    /** Text with a character no database column may hold (NUL, U+0000: PostgreSQL refuses it in text). */
    public static final String INVALID_CHARACTER = "invalid_character";
    public static final String NOT_A_NUMBER = "not_a_number";
    public static final String NOT_AN_INTEGER = "not_an_integer";
    public static final String TOO_MANY_DIGITS = "too_many_digits";
    /** A number or date below the field's {@code min}. */
    public static final String TOO_SMALL = "too_small";
    /** A number or date above the field's {@code max}. */
    public static final String TOO_LARGE = "too_large";
    /** A text that does not match the field's {@code pattern}. */
    public static final String PATTERN = "pattern";
    public static final String NOT_A_DATE = "not_a_date";
    public static final String NOT_A_DATE_TIME = "not_a_date_time";
    public static final String NOT_A_BOOLEAN = "not_a_boolean";
    public static final String UNKNOWN_OPTION = "unknown_option";
    /** An option retired in the metadata ({@code active: false}): kept where stored, refused as a new value. */
    public static final String RETIRED_OPTION = "retired_option";
    public static final String INVALID_EMAIL = "invalid_email";
    public static final String INVALID_URL = "invalid_url";
    public static final String INVALID_PHONE = "invalid_phone";
    public static final String REFERENCE_NOT_FOUND = "reference_not_found";
    /** A record-link value that is not {@code entity:id}. */
    public static final String NOT_A_RECORD_LINK = "not_a_record_link";
    public static final String UNIQUE = "unique";
    /** A filter operator that does not apply to the field's type (e.g. {@code contains} on a number). */
    public static final String INVALID_OPERATOR = "invalid_operator";
    /** A filter operator that needs a value got none. */
    public static final String MISSING_VALUE = "missing_value";
    public static final String INVALID_CURSOR = "invalid_cursor";
    /** A validation rule of the entity refused the record (set by the rules, passed on by the store). */
    public static final String RULE = "rule";
    /** A computed, default or score rule produced a value that does not fit its field: the rule needs fixing. */
    public static final String RULE_VALUE = "rule_value";

    // ---- processes ----

    /** A phase move the process does not allow (no transition, unknown phase, emptied phase). */
    public static final String PHASE_MOVE = "phase_move";
    /** A closing phase needs its reason field. */
    public static final String REASON_REQUIRED = "reason_required";
    /** A transition's guard refused the move. */
    public static final String GUARD = "guard";
    /** A process's set-field value (an expression) does not fit the field. */
    public static final String PROCESS_VALUE = "process_value";

    // ---- dialogs ----

    /** The record changed since the dialog read it. */
    public static final String CONCURRENT_UPDATE = "concurrent_update";
    /** The user may not do what the dialog's finish would do. */
    public static final String ACCESS_DENIED = "access_denied";

    // ---- plugins ----

    /** A plugin's record listener failed (threw, timed out); the save is refused with the plugin's message. */
    public static final String PLUGIN_FAILED = "plugin_failed";

    private ErrorCodes() {
    }
}
