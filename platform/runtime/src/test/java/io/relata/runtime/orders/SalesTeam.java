package io.relata.runtime.orders;

import io.relata.api.security.Actor;
import io.relata.identity.CountingPasswordHash;
import io.relata.identity.LoginThrottle;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import io.relata.runtime.Database;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Real users of one sales team for the order tests: Anna (sales) and Mara (sales management), with e-mail
 * addresses, so that process to-dos and mails to roles and owners find them.
 */
final class SalesTeam {

    final UserDirectory users;
    final long team;
    final Actor anna;
    final Actor mara;

    SalesTeam(Database database) {
        users = new UserDirectory(database, new CountingPasswordHash(), Clock.systemUTC(), LoginThrottle.Policy.DEFAULT,
                PasswordPolicy.shipped());
        team = users.createTeam("Vertrieb").getId();
        anna = user("anna", "Anna Berger", "sales");
        mara = user("mara", "Mara Schulz", "sales_manager");
    }

    private Actor user(String name, String displayName, String role) {
        var account = users.createUserWithoutPassword(name, displayName, name + "@relata.example", Set.of(role));
        users.update(account.getId(), displayName, name + "@relata.example", true, Set.of(role), List.of(team));
        return users.actor(name).orElseThrow();
    }

    String name(long userId) {
        return users.user(userId).map(io.relata.identity.UserAccount::getDisplayName).orElseThrow();
    }
}
