package io.relata.store;

import io.relata.api.rules.RuleOutcome;
import java.util.List;

/**
 * What saving a form's values would store, worked out as the user types ({@link SecuredRecordStore#preview}).
 *
 * @param outcome the rules' outcome on the record as a save would store it: computed values, scores, field
 *                states and validation messages
 * @param changes what processes would set (set-field actions, automatic moves); the id is 0 for a new record
 */
public record WritePreview(RuleOutcome outcome, List<AutomaticChange> changes) {

    public WritePreview {
        changes = List.copyOf(changes);
    }
}
