package io.relata.api.process;

import io.relata.api.model.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * What finishing a dialog does, in one transaction: write the entity fields asked in the steps to the
 * record, set {@link #setFields}, create {@link #creates}, then move the record to {@link #movePhase} (through
 * the process with its guards, so a refused move refuses the whole finish). A dialog has one, and each step may
 * have its own for paths that end there ({@link DialogDefinition#finishAfter}). Everything runs with the rights
 * of the user who finishes: a finish never writes or creates what that user could not by hand.
 *
 * @param movePhase the phase to move the record to, or null
 */
public record DialogFinish(Map<String, Object> setFields, List<CreateRecord> creates, String movePhase,
                           SourceLocation source) {

    public static final DialogFinish NOTHING = new DialogFinish(Map.of(), List.of(), null, null);

    public DialogFinish {
        setFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setFields));
        creates = List.copyOf(creates);
    }

    /**
     * A record created on finish. Values are literals, or text with {{placeholders}} over {@code record}
     * (the dialog's record after the update) and {@code dialog} (all values asked); a value "{{record.id}}"
     * for a reference field links the new record to the dialog's record. A text field's value may be a
     * {@link io.relata.api.model.LocalizedText}: the record gets the text in the language of the user who finishes.
     */
    public record CreateRecord(String entity, Map<String, Object> values, SourceLocation source) {
        public CreateRecord {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }
}
