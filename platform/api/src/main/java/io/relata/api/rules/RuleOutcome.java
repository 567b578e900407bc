package io.relata.api.rules;

import io.relata.api.record.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rules of one record decided.
 *
 * @param values   field values set by computed, default and score rules (only those)
 * @param errors   validation errors (code {@code rule}; field null for the record as a whole)
 * @param visible  per field with a visibleWhen rule
 * @param required fields whose requiredWhen rule is true
 * @param readOnly fields whose readOnlyWhen rule is true
 */
public record RuleOutcome(Map<String, Object> values, List<FieldError> errors, Map<String, Boolean> visible,
                          Set<String> required, Set<String> readOnly) {

    public static final RuleOutcome NONE = new RuleOutcome(Map.of(), List.of(), Map.of(), Set.of(), Set.of());

    public RuleOutcome {
        values = values.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        errors = List.copyOf(errors);
        visible = Map.copyOf(visible);
        required = Set.copyOf(required);
        readOnly = Set.copyOf(readOnly);
    }
}
