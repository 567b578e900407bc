package io.relata.process.dialog;

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

    public DialogException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
