package io.relata.api.rules;

import io.relata.api.model.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * An example record with the outcome the entity's rules must produce for it, written by the admin next to
 * the rules and run on every metadata load: a failing example blocks the load.
 *
 * @param record   field values of the example record (raw YAML values)
 * @param previous values before the change, for rules that look at {@code previous}; null for a new record
 * @param roles    roles of the user the example runs for (empty: no roles)
 * @param expect   expected outcome: {@code errors} (list of field names, or "record"), {@code noErrors}
 *                 (true), {@code values} (field → value after computed/default/score rules),
 *                 {@code visible}/{@code required}/{@code readOnly} (field → boolean), {@code score}
 *                 (number) and {@code reasons} (list of texts that must appear)
 * @param language the language of the user the example runs for ({@code user.language}); null: English
 * @param related  records of other entities by entity name (raw YAML values, {@code id} included when given):
 *                 what {@code related.*} answers from and {@code lookup} finds; an entity not listed cannot be
 *                 asked about
 */
public record RuleExample(String name, Map<String, Object> record, Map<String, Object> previous, List<String> roles,
                          Map<String, Object> expect, SourceLocation location, String language,
                          Map<String, List<Map<String, Object>>> related) {

    public RuleExample {
        related = related == null ? Map.of() : Map.copyOf(related);
    }

    public RuleExample(String name, Map<String, Object> record, Map<String, Object> previous, List<String> roles,
                       Map<String, Object> expect, SourceLocation location, String language) {
        this(name, record, previous, roles, expect, location, language, Map.of());
    }

    public RuleExample(String name, Map<String, Object> record, Map<String, Object> previous, List<String> roles,
                       Map<String, Object> expect, SourceLocation location) {
        this(name, record, previous, roles, expect, location, null, Map.of());
    }
}
