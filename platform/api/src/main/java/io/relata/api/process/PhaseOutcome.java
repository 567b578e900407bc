package io.relata.api.process;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a phase is still open or ends the case, and how (for KPIs: outcomes, conversion, duration). */
public enum PhaseOutcome {
    /** The case is still running. */
    OPEN,
    /** The case ended as hoped: won, converted, resolved. */
    SUCCESS,
    /** The case ended otherwise: lost, cancelled, rejected, disqualified (usually with a reason). */
    FAILURE;

    public boolean isClosing() {
        return this != OPEN;
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PhaseOutcome> fromYamlName(String name) {
        return Arrays.stream(values()).filter(o -> o.yamlName().equals(name)).findFirst();
    }
}
