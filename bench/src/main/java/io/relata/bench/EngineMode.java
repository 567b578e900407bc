package io.relata.bench;

import io.relata.rules.RuleEngine;
import org.graalvm.polyglot.Engine;

/**
 * Prints whether the rule engine runs compiled or interpreted on this JVM, and Truffle's reason when it is
 * interpreted. bench/run.sh runs it with the benchmark's JVM flags before the benchmark, so that a
 * "compiled" run that would silently be interpreted stops with the cause instead.
 */
public final class EngineMode {

    private EngineMode() {
    }

    public static void main(String[] args) {
        // a plain Engine warns on stderr, with the cause, when no optimizing runtime is available
        try (Engine plain = Engine.create("js")) {
            plain.getImplementationName();
        }
        try (RuleEngine engine = new RuleEngine()) {
            System.out.println(engine.mode());
        }
    }
}
