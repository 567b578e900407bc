package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * "{@link #after} entering the phase, if the record is still in it, do {@link #actions}". Timers are
 * stored when the record enters the phase, cancelled when it leaves, and fire at most once.
 *
 * @param name  unique within the phase; the key in logs and the timer tables
 * @param label what users read in the timer list, per language; null if the metadata gives none
 */
public record TimerDefinition(String name, Duration after, List<ProcessAction> actions, SourceLocation source,
                              LocalizedText label) {

    public TimerDefinition {
        actions = List.copyOf(actions);
    }

    public TimerDefinition(String name, Duration after, List<ProcessAction> actions, SourceLocation source) {
        this(name, after, actions, source, null);
    }

    /** The label, or the name made readable ("stale_negotiation" → "Stale negotiation") if there is none. */
    public LocalizedText displayLabel() {
        return label != null ? label : new LocalizedText(Map.of(LocalizedText.FALLBACK_LANGUAGE, readableName(name)));
    }

    /** A timer name for people: {@code first_response_overdue} → "First response overdue". */
    public static String readableName(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String spaced = name.replace('_', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
