package io.relata.store;

import java.util.List;

/**
 * A change of the metadata that stored data contradicts: applying it would fail in the database, or leave
 * records the new model cannot hold. The planner finds these before the first statement runs; a plan with
 * conflicts must not be applied (nothing is changed, the model in force keeps serving). The caller turns each
 * into a problem at the line of {@link #key()} of the field, with a code per {@link #kind()}.
 *
 * @param entity   the entity whose field changed
 * @param field    the field (its column)
 * @param kind     what contradicts what
 * @param key      the field's key in the metadata whose value the data contradicts: {@code type}, {@code unique},
 *                 {@code entity}, {@code maxLength}, {@code precision}, {@code scale} or {@code options}
 * @param count    how many records are affected
 * @param examples a few of them, as {@code #12 Acme} (with the value where it helps), for the admin to look up
 * @param message  what is wrong, in English, naming the field, the count and the examples
 * @param fix      what to do, in English
 */
public record SchemaConflict(String entity, String field, Kind kind, String key, long count, List<String> examples,
                             String message, String fix) {

    /** The kinds of contradiction, each with its own problem code. */
    public enum Kind {
        /** The field's type changed to another kind of value (text to date) while records hold values. */
        TYPE_CHANGE_WITH_DATA,
        /** {@code unique: true} on a field whose stored values repeat. */
        DUPLICATE_VALUES,
        /** A reference now points to another entity while records point to records of the old one. */
        REFERENCE_RETARGETED,
        /** A reference whose stored values match no record of the referenced entity (no foreign key could hold). */
        REFERENCE_VALUES_MISSING,
        /** {@code maxLength} lowered below the length of stored values. */
        VALUES_TOO_LONG,
        /** {@code precision} or {@code scale} lowered below stored values. */
        VALUES_TOO_PRECISE,
        /** An option removed (or a field made a choice) while records hold values that are not options. */
        OPTION_IN_USE,
        /** A field changed to email while records hold values that are no email addresses. */
        VALUES_NOT_EMAIL,
        /** A field changed to phone while records hold values that are no phone numbers. */
        VALUES_NOT_PHONE,
        /** A field changed to url while records hold values that are no web addresses. */
        VALUES_NOT_URL
    }

    public SchemaConflict {
        examples = List.copyOf(examples);
    }

    /** E.g. {@code account.code [DUPLICATE_VALUES] Field 'code' … Fix: …}, for the log. */
    @Override
    public String toString() {
        return entity + "." + field + " [" + kind + "] " + message + " Fix: " + fix;
    }
}
