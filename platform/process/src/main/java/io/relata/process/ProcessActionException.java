package io.relata.process;

import io.relata.api.record.RecordException;

/**
 * An action of a process (creating a to-do, rendering a mail, …) failed inside a write: the write is rolled
 * back as a whole. The message names the process, the phase, the action and where it is written in metadata,
 * and says that nothing was saved.
 */
public class ProcessActionException extends RecordException {

    public ProcessActionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The user's sentence in German and English; the English one is the administrator's message. */
    public ProcessActionException(io.relata.api.model.LocalizedText text, Throwable cause) {
        super(text, cause);
    }
}
