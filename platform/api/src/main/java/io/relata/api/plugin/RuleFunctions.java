package io.relata.api.plugin;

import java.util.List;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Named pure functions that JavaScript rules may call, under a namespace: a plugin with namespace
 * {@code insurance} and a function {@code premium} is called from a rule as {@code insurance.premium(...)}.
 * The functions are passed into the rule sandbox as plain callable values; nothing else of the host or the
 * plugin becomes reachable from a rule.
 *
 * <p><b>When</b>: whenever a rule that calls a function runs: on every save and on every form change of a
 * record of an entity with such a rule, and when metadata is checked (the rules' examples run). <b>Thread</b>:
 * the thread of the rule, with the plugin call timeout. <b>May not</b>: depend on anything but its arguments
 * (no clock, no database, no network, no randomness): a rule's examples must give the same answer every time,
 * or the metadata that uses it is refused.
 */
public interface RuleFunctions extends ExtensionPoint {

    /** The name rules use before the dot: letters, digits and underscores, starting with a lower-case letter. */
    String namespace();

    /** The functions by name (same syntax as the namespace). */
    Map<String, RuleFunction> functions();

    /** One pure function. */
    @FunctionalInterface
    interface RuleFunction {
        /**
         * @param arguments the rule's arguments as plain values: {@code null}, {@code Boolean}, {@code String},
         *                  {@code java.math.BigDecimal} for numbers, {@code List} and {@code Map} of those
         * @return a value of the same kinds
         * @throws IllegalArgumentException with a sentence for the rule author when the arguments do not fit;
         *                                  it becomes the rule's error
         */
        Object apply(List<Object> arguments);
    }
}
