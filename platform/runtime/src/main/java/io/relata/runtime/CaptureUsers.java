package io.relata.runtime;

import io.relata.api.security.Actor;
import io.relata.identity.UserAccount;
import io.relata.identity.UserDirectory;
import io.relata.runtime.mail.MailCapture;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The user directory as mail capture sees it: active users only, by id or by their (unique) e-mail address. */
final class CaptureUsers implements MailCapture.Users {

    private final UserDirectory users;

    CaptureUsers(UserDirectory users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Optional<Actor> byId(long userId) {
        return users.user(userId).filter(UserAccount::isActive).flatMap(user -> users.actor(user.getUsername()));
    }

    @Override
    public Optional<Actor> byEmail(String email) {
        List<UserAccount> found = users.users().stream().filter(UserAccount::isActive)
                .filter(user -> user.getEmail() != null && user.getEmail().toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT)))
                .toList();
        // an address two users share names neither of them
        return found.size() == 1 ? users.actor(found.get(0).getUsername()) : Optional.empty();
    }

    @Override
    public Optional<String> emailOf(long userId) {
        return users.user(userId).map(UserAccount::getEmail).filter(email -> email != null && !email.isBlank());
    }
}
