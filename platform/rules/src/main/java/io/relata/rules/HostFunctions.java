package io.relata.rules;

import java.util.List;
import java.util.Map;

/**
 * Named functions rules may call as {@code namespace.function(...)}: the rule functions of plugins. A rule gets
 * the namespaces its text names as plain objects of functions; a call crosses into the host with plain values
 * only (null, booleans, strings, numbers as BigDecimal, lists and maps of those) and its answer comes back as JSON
 * text, so nothing else of the host becomes reachable from a rule.
 */
public interface HostFunctions {

    /** No functions. */
    HostFunctions NONE = new HostFunctions() {
        @Override
        public Map<String, List<String>> namespaces() {
            return Map.of();
        }

        @Override
        public Object call(String namespace, String function, List<Object> arguments) {
            throw new IllegalArgumentException("no function " + namespace + "." + function + " is installed");
        }

        @Override
        public String fingerprint() {
            return "";
        }
    };

    /** The namespaces with their function names, as in force now (for a metadata check: as they would be). */
    Map<String, List<String>> namespaces();

    /**
     * Calls a function.
     *
     * @return a plain value
     * @throws RuntimeException whose message becomes the rule's error
     */
    Object call(String namespace, String function, List<Object> arguments);

    /** Changes whenever a function's behaviour may have changed (the providers' versions): remembered checks depend on it. */
    String fingerprint();
}
