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

    /**
     * A plugin's rule functions called directly, without the platform's timeout, class loader and answer checks:
     * for a plugin's own tests and tools that load its metadata with the real rule engine.
     */
    static HostFunctions direct(io.relata.api.plugin.RuleFunctions... plugins) {
        Map<String, io.relata.api.plugin.RuleFunctions> byNamespace = new java.util.TreeMap<>();
        for (io.relata.api.plugin.RuleFunctions functions : plugins) {
            byNamespace.put(functions.namespace(), functions);
        }
        return new HostFunctions() {
            @Override
            public Map<String, List<String>> namespaces() {
                Map<String, List<String>> names = new java.util.TreeMap<>();
                byNamespace.forEach((namespace, functions) ->
                        names.put(namespace, List.copyOf(new java.util.TreeSet<>(functions.functions().keySet()))));
                return names;
            }

            @Override
            public Object call(String namespace, String function, List<Object> arguments) {
                io.relata.api.plugin.RuleFunctions functions = byNamespace.get(namespace);
                io.relata.api.plugin.RuleFunctions.RuleFunction called = functions == null ? null
                        : functions.functions().get(function);
                if (called == null) {
                    throw new IllegalArgumentException("no function " + namespace + "." + function + " is installed");
                }
                return called.apply(arguments);
            }

            @Override
            public String fingerprint() {
                return "direct:" + byNamespace.keySet();
            }
        };
    }

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
