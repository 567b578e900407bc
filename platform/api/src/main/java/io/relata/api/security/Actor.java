package io.relata.api.security;

import java.util.List;
import java.util.Set;

/**
 * The user a call runs for, as far as access decisions and texts need to know them.
 *
 * @param teamIds  the teams the user belongs to; the first is the primary team new records are given to
 * @param system   platform-internal work (start-up, demo data, migrations): not subject to roles
 * @param language the language the user reads ("de", "en"): of the UI they work in, or the API call's
 *                 {@code Accept-Language}; rules see it as {@code user.language} to write their messages in it
 */
public record Actor(long userId, String username, Set<String> roles, List<Long> teamIds, boolean system,
                    String language) {

    /** The language of actors that name none (the system, tests): English. */
    public static final String DEFAULT_LANGUAGE = "en";

    public static final Actor SYSTEM = new Actor(0, "system", Set.of(), List.of(), true, DEFAULT_LANGUAGE);

    public Actor {
        roles = Set.copyOf(roles);
        teamIds = List.copyOf(teamIds);
        language = language == null || language.isBlank() ? DEFAULT_LANGUAGE : language;
    }

    public Actor(long userId, String username, Set<String> roles, List<Long> teamIds, boolean system) {
        this(userId, username, roles, teamIds, system, DEFAULT_LANGUAGE);
    }

    public static Actor user(long userId, String username, Set<String> roles, List<Long> teamIds) {
        return new Actor(userId, username, roles, teamIds, false, DEFAULT_LANGUAGE);
    }

    /** The same user reading {@code language}. */
    public Actor inLanguage(String language) {
        return language == null || language.equals(this.language) ? this
                : new Actor(userId, username, roles, teamIds, system, language);
    }

    public Long primaryTeam() {
        return teamIds.isEmpty() ? null : teamIds.get(0);
    }
}
