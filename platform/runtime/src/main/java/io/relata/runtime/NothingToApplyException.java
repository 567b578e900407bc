package io.relata.runtime;

/**
 * A publish or roll-back that would change nothing: the draft is empty after merging, or the site layer is already as
 * the revision left it. Not a failure: the caller says so and nothing was written.
 */
public final class NothingToApplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NothingToApplyException(String message) {
        super(message);
    }
}
