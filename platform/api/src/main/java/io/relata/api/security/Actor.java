package io.relata.api.security;

import java.util.List;
import java.util.Set;

/**
 * The user a call runs for, as far as access decisions need to know them.
 *
 * @param teamIds the teams the user belongs to; the first is the primary team new records are given to
 * @param system  platform-internal work (start-up, demo data, migrations): not subject to roles
 */
public record Actor(long userId, String username, Set<String> roles, List<Long> teamIds, boolean system) {

    public static final Actor SYSTEM = new Actor(0, "system", Set.of(), List.of(), true);

    public Actor {
        roles = Set.copyOf(roles);
        teamIds = List.copyOf(teamIds);
    }

    public static Actor user(long userId, String username, Set<String> roles, List<Long> teamIds) {
        return new Actor(userId, username, roles, teamIds, false);
    }

    public Long primaryTeam() {
        return teamIds.isEmpty() ? null : teamIds.get(0);
    }
}
