package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * "{@link #after} entering the phase, if the record is still in it, do {@link #actions}", or, with an
 * {@link #anchor}, "{@link #after} the date in that field" ("60 days before the policy ends" is an anchor
 * {@code end_date} and {@code after} −60 days). Timers are stored when the record enters the phase, cancelled when
 * it leaves, and fire at most once; an anchored timer is moved when its field changes while the record stays in
 * the phase (a renewed policy gets a new reminder), and waits while the field is empty.
 *
 * @param name   unique within the phase; the key in logs and the timer tables
 * @param after  the time from phase entry, or from the anchor's date (negative: before it)
 * @param label  what users read in the timer list, per language; null if the metadata gives none
 * @param anchor a date or date-time field of the record the timer counts from; null: from entering the phase.
 *               A date counts from its start (midnight in the platform's time zone)
 */
public record TimerDefinition(String name, Duration after, List<ProcessAction> actions, SourceLocation source,
                              LocalizedText label, String anchor) {

    public TimerDefinition {
        actions = List.copyOf(actions);
    }

    /** A timer counted from entering the phase. */
    public TimerDefinition(String name, Duration after, List<ProcessAction> actions, SourceLocation source,
                           LocalizedText label) {
        this(name, after, actions, source, label, null);
    }

    public TimerDefinition(String name, Duration after, List<ProcessAction> actions, SourceLocation source) {
        this(name, after, actions, source, null, null);
    }

    /** True if the timer counts from a date field of the record rather than from entering the phase. */
    public boolean anchored() {
        return anchor != null;
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
