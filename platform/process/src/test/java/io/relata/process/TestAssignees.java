package io.relata.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users, their roles, teams and addresses, as the web module's user tables would hold them. */
final class TestAssignees implements Assignees {

    private record User(long id, String name, String email, List<String> roles, List<Long> teams) {
    }

    private final Map<String, User> users = new LinkedHashMap<>();

    TestAssignees user(long id, String name, String email, List<String> roles, List<Long> teams) {
        users.put(name, new User(id, name, email, roles, teams));
        return this;
    }

    @Override
    public Optional<Long> userId(String username) {
        return Optional.ofNullable(users.get(username)).map(User::id);
    }

    @Override
    public Optional<Long> userWithRole(String role, Long preferredTeam) {
        List<User> holders = users.values().stream().filter(u -> u.roles().contains(role)).toList();
        return holders.stream().filter(u -> preferredTeam != null && u.teams().contains(preferredTeam)).findFirst()
                .or(() -> holders.stream().findFirst()).map(User::id);
    }

    @Override
    public Optional<String> email(long userId) {
        return users.values().stream().filter(u -> u.id() == userId).findFirst().map(User::email);
    }
}
