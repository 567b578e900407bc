package io.relata.process;

import java.util.Optional;

/**
 * Finds the users that to-dos are assigned to and mails are sent to. The platform's user tables live in the
 * web module, which implements this; the process runtime only names users and roles as metadata does.
 */
public interface Assignees {

    /** Nobody: to-dos stay unassigned, mails to users fail with "no address". */
    Assignees NONE = new Assignees() {
        @Override
        public Optional<Long> userId(String username) {
            return Optional.empty();
        }

        @Override
        public Optional<Long> userWithRole(String role, Long preferredTeam) {
            return Optional.empty();
        }

        @Override
        public Optional<String> email(long userId) {
            return Optional.empty();
        }
    };

    /** The id of the active user with this login name. */
    Optional<Long> userId(String username);

    /**
     * An active user holding {@code role}: one who is a member of {@code preferredTeam} (the record's owning
     * team; may be null) if there is one, otherwise any. The same user for the same inputs, so work is not
     * scattered at random.
     */
    Optional<Long> userWithRole(String role, Long preferredTeam);

    /** The e-mail address of the user, if they have one. */
    Optional<String> email(long userId);
}
