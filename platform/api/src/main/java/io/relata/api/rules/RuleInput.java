package io.relata.api.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.security.Actor;
import java.util.Map;
import java.util.Optional;

/**
 * What the rules of one record see.
 *
 * @param values   the record as it will be stored (typed values; a new record has no id yet)
 * @param previous the stored values before this change; null for a new record
 * @param lookup   reads related records as {@code actor} may see them
 * @param id       the id of the stored record ({@code related.id} in scripts); null for a new record, and where the
 *                 caller has no stored record
 */
public record RuleInput(EntityDefinition entity, Map<String, Object> values, Map<String, Object> previous, Actor actor,
                        RecordLookup lookup, Long id) {

    /** Input without the record's id. */
    public RuleInput(EntityDefinition entity, Map<String, Object> values, Map<String, Object> previous, Actor actor,
                     RecordLookup lookup) {
        this(entity, values, previous, actor, lookup, null);
    }

    public boolean isNew() {
        return previous == null;
    }

    /** Reads a record for a rule, with the permissions of the user the rule runs for. */
    @FunctionalInterface
    public interface RecordLookup {

        RecordLookup NONE = (entity, id) -> Optional.empty();

        /** The record's field values, or empty if it does not exist or the user may not see it. */
        Optional<Map<String, Object>> find(String entity, long id);

        /**
         * Answers a rule's {@code related.count/exists/sum/min/max}: over the records of {@code entity} that
         * match every entry of {@code filter} (field = value; null: the field is empty) and that the user may
         * read. Called with the values a script passed (texts, numbers, booleans, null).
         *
         * @param field the field summed or compared; null for {@link Aggregate#COUNT}
         * @return a count (long), a sum (a number; 0 when nothing matches), a smallest or largest value (null
         *         when nothing matches)
         * @throws IllegalArgumentException when the question cannot be answered as asked (an unknown entity or
         *         field, a field the user may not see, a value that does not fit its field): the rule fails
         *         with this message
         */
        default Object aggregate(String entity, Aggregate aggregate, String field, Map<String, Object> filter) {
            throw new IllegalArgumentException("related records cannot be asked about here");
        }

        /**
         * Answers a rule's {@code related.first}: the first record of {@code entity} in {@code orderBy} order among
         * those that match {@code filter} and that the user may read, as {@link #find} gives it plus its
         * {@code id}; empty when none matches. Ties and an empty order are broken by id, so the answer is stable.
         *
         * @param filter  as for {@link #aggregate}; a value may also be a {@link Condition}
         * @param orderBy field names, each descending if prefixed with {@code -}; empty values come last
         * @throws IllegalArgumentException as for {@link #aggregate}
         * @since 0.10
         */
        default Optional<Map<String, Object>> first(String entity, Map<String, Object> filter,
                                                    java.util.List<String> orderBy) {
            throw new IllegalArgumentException("related records cannot be asked about here");
        }

        /**
         * The same questions answered over every record and field: for rules whose value the platform keeps
         * current ({@link RuleDefinition#dependsOn()}), so that the stored value does not depend on who saved
         * last. This lookup itself where there is no narrower one.
         */
        default RecordLookup asPlatform() {
            return this;
        }
    }

    /**
     * A filter entry of {@code related.*} other than "equals": {@code {valid_from: {lte: today}}} or
     * {@code {valid_until: {gte: today, orEmpty: true}}}. Every bound must hold; with {@code orEmpty} an empty
     * value matches too. {@link Comparison#NOT} with null means "not empty".
     *
     * @since 0.10
     */
    public record Condition(Map<Comparison, Object> bounds, boolean orEmpty) {
        public Condition {
            java.util.EnumMap<Comparison, Object> copy = new java.util.EnumMap<>(Comparison.class);
            copy.putAll(bounds); // null values allowed: {not: null} is "not empty"
            bounds = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * How a {@link Condition} compares: {@code lt}, {@code lte}, {@code gt}, {@code gte} and {@code not} in scripts.
     *
     * @since 0.10
     */
    public enum Comparison {
        LT, LTE, GT, GTE, NOT
    }

    /** What {@link RecordLookup#aggregate} computes. */
    public enum Aggregate {
        COUNT, SUM, MIN, MAX
    }
}
