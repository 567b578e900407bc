package io.relata.runtime;

import io.relata.plugins.ExtensionRegistry;
import io.relata.plugins.PluginCallException;
import io.relata.rules.HostFunctions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The rule functions of the enabled plugins, as the rule engine calls them. While a plugin change is checked, the
 * thread that checks it sees the functions of the candidate set of plugins instead ({@link #checking}), so a new
 * plugin's rule examples can call its own functions before it is in force.
 */
final class PluginRuleFunctions implements HostFunctions {

    private final ExtensionRegistry inForce;
    private final ThreadLocal<ExtensionRegistry> candidate = new ThreadLocal<>();

    PluginRuleFunctions(ExtensionRegistry inForce) {
        this.inForce = inForce;
    }

    private ExtensionRegistry registry() {
        ExtensionRegistry checking = candidate.get();
        return checking != null ? checking : inForce;
    }

    /** Runs {@code work} on this thread with the functions of {@code candidate}. */
    <T> T checking(ExtensionRegistry candidate, Callable<T> work) throws Exception {
        this.candidate.set(candidate);
        try {
            return work.call();
        } finally {
            this.candidate.remove();
        }
    }

    @Override
    public Map<String, List<String>> namespaces() {
        return registry().ruleFunctionNames();
    }

    @Override
    public Object call(String namespace, String function, List<Object> arguments) {
        try {
            return registry().callRuleFunction(namespace, function, arguments);
        } catch (PluginCallException e) {
            // the rule's error names the plugin and what happened; the user's language is the rule's concern
            throw new IllegalStateException(e.text().in("en"), e);
        }
    }

    @Override
    public String fingerprint() {
        return registry().ruleFunctionFingerprint();
    }
}
