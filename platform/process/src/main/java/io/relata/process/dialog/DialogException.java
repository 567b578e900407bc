package io.relata.process.dialog;

import io.relata.api.model.LocalizedText;

/**
 * A dialog call that cannot be done in the session's present state, or a dialog whose definition cannot
 * run. Nothing was changed. {@link #problem()} tells a REST layer which status to answer
 * ({@link Problem#NOT_FOUND} → 404, {@link Problem#NOT_ALLOWED} → 403, {@link Problem#BROKEN_DEFINITION} →
 * 500, the others → 409).
 */
public class DialogException extends RuntimeException {

    /** Why the call was refused. */
    public enum Problem {
        /** No such dialog in the metadata, or no such session of this user. */
        NOT_FOUND,
        /** The user may not run this dialog on this record (e.g. it asks fields their roles hide). */
        NOT_ALLOWED,
        /** The session is finished or abandoned. */
        NOT_OPEN,
        /** The call is about another step than the one the session is at (two tabs, a stale page). */
        WRONG_STEP,
        /** The session was changed by another call since it was read (two tabs submitting at once). */
        CHANGED_MEANWHILE,
        /** The dialog's definition changed since the session started, so the session cannot go on. */
        DEFINITION_CHANGED,
        /** The dialog's definition cannot run (the metadata checks should have caught it). */
        BROKEN_DEFINITION
    }

    private final Problem problem;
    private final LocalizedText text;

    public DialogException(Problem problem, LocalizedText text) {
        super(text.in(LocalizedText.FALLBACK_LANGUAGE));
        this.problem = problem;
        this.text = text;
    }

    /**
     * A definition the metadata checks should have refused: the details are for the administrator (English, with
     * the position in metadata); the user is told in their language that an administrator must correct it.
     */
    public static DialogException brokenDefinition(io.relata.api.process.DialogDefinition definition, String details) {
        Object dialog = definition == null ? "" : definition.label() == null ? definition.name() : definition.label();
        return new DialogException(Problem.BROKEN_DEFINITION, LocalizedText.format("Der Dialog {0} ist fehlerhaft"
                + " definiert; ein Administrator muss ihn korrigieren. Details: {1}", "{1}", dialog, details));
    }

    public Problem problem() {
        return problem;
    }

    /** Why, in {@code language} ("de", "en"); {@link #getMessage()} is the English sentence, for logs. */
    public String message(String language) {
        return text.in(language);
    }
}
