package io.relata.api.rules;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a rule computes, and so what its script must return.
 * <ul>
 *   <li>{@link #VALIDATION}: nothing (or {@code true}) when valid; otherwise a message, a list of messages,
 *       or an object {@code {field: message}} for errors on fields.</li>
 *   <li>{@link #COMPUTED}: the value of its field, recomputed on every save.</li>
 *   <li>{@link #DEFAULT}: the value of its field for a new record, when none was given.</li>
 *   <li>{@link #VISIBLE_WHEN}, {@link #REQUIRED_WHEN}, {@link #READ_ONLY_WHEN}: a boolean for its field.</li>
 *   <li>{@link #SCORE}: a number, or {@code {score: n, reasons: [...]}} where a reason is a text or
 *       {@code {points: n, reason: text}}; stored into its field and, if given, the reasons field.</li>
 *   <li>{@link #CONDITION}: a boolean (JavaScript truthiness), about no field: process conditions (which
 *       process a record follows, automatic moves) and the branches of guided dialogs.</li>
 * </ul>
 * Process guards are {@link #VALIDATION} rules: a message refuses the move.
 */
public enum RuleKind {
    VALIDATION("validation"),
    COMPUTED("computed"),
    DEFAULT("default"),
    VISIBLE_WHEN("visibleWhen"),
    REQUIRED_WHEN("requiredWhen"),
    READ_ONLY_WHEN("readOnlyWhen"),
    SCORE("score"),
    CONDITION("condition");

    private final String yamlName;

    RuleKind(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<RuleKind> fromYamlName(String name) {
        return Arrays.stream(values()).filter(k -> k.yamlName.equals(name)).findFirst();
    }
}
