package io.relata.process.dialog;

import io.relata.api.record.FieldError;
import java.util.List;

/**
 * What finishing a dialog did: either everything (record updated, records created, phase moved, session
 * finished) or nothing, with the reasons.
 *
 * @param written the dialog's record first, then the records created, in the order of the definition; empty
 *                when refused
 * @param errors  why the finish was refused (field names are the dialog record's fields, null for the whole
 *                finish); the session then stays open
 * @param session the session afterwards: finished, or still open
 */
public record FinishResult(List<WrittenRecord> written, List<FieldError> errors, DialogSession session) {

    public FinishResult {
        written = List.copyOf(written);
        errors = List.copyOf(errors);
    }

    public boolean finished() {
        return errors.isEmpty();
    }

    /** A record the finish wrote. */
    public record WrittenRecord(String entity, long id, boolean created) {
    }
}
