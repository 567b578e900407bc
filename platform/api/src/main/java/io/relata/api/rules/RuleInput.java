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
 */
public record RuleInput(EntityDefinition entity, Map<String, Object> values, Map<String, Object> previous, Actor actor,
                        RecordLookup lookup) {

    public boolean isNew() {
        return previous == null;
    }

    /** Reads a record for a rule, with the permissions of the user the rule runs for. */
    @FunctionalInterface
    public interface RecordLookup {

        RecordLookup NONE = (entity, id) -> Optional.empty();

        /** The record's field values, or empty if it does not exist or the user may not see it. */
        Optional<Map<String, Object>> find(String entity, long id);
    }
}
