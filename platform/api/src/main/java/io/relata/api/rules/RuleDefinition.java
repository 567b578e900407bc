package io.relata.api.rules;

import io.relata.api.model.SourceLocation;

/**
 * One rule of an entity.
 *
 * @param name         unique within the entity; shown in error messages and logs
 * @param field        the field the rule is about (computed, default, conditions, score), null for validations
 * @param reasonsField for scores: the long-text field that receives the reasons, or null
 * @param source       the JavaScript as written: an expression (no {@code return}) or a function body
 * @param sourceName   the file the script lives in, as shown to admins (the YAML file for inline rules, the
 *                     .js file otherwise); errors name it
 * @param start        where {@code source} starts in that file, so a script's line/column map to the file's
 * @param dependsOn    for computed and score rules: what of other records the value depends on, so that a change
 *                     there recomputes it — {@code account.industry} (field {@code industry} of the record this
 *                     record's reference {@code account} points to) or {@code ticket.account} (the records of
 *                     {@code ticket} whose reference {@code account} points to this record); empty: nothing
 */
public record RuleDefinition(
        String name,
        RuleKind kind,
        String field,
        String reasonsField,
        String source,
        String sourceName,
        SourceLocation start,
        java.util.List<String> dependsOn) {

    public RuleDefinition {
        dependsOn = dependsOn == null ? java.util.List.of() : java.util.List.copyOf(dependsOn);
    }

    /** A rule that depends on nothing outside its record. */
    public RuleDefinition(String name, RuleKind kind, String field, String reasonsField, String source, String sourceName,
                          SourceLocation start) {
        this(name, kind, field, reasonsField, source, sourceName, start, java.util.List.of());
    }

    /** True if the script is a single expression, whose value is the result. */
    public boolean isExpression() {
        return !source.matches("(?s).*\\breturn\\b.*");
    }
}
