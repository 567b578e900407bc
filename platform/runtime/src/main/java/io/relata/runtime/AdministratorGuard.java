package io.relata.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.api.security.RoleDefinition;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.ProblemCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a model under which no user who may log in would keep the administration rights. Administration
 * (including the metadata reload that would repair the mistake) needs a role with {@code administrator: true};
 * a reload that takes that flag away from the only administrator role, or deletes its file, would lock every
 * administrator out until someone edits the files on the server and restarts it.
 *
 * <p>The roles come from the user directory, not the metadata, so this is checked by the runtime against the
 * users as they are now. Before the first start there are no users yet: the administrator created then gets
 * {@link Platform#ADMINISTRATOR_ROLE}, which is taken as the one user.
 */
final class AdministratorGuard {

    private static final Pattern ADMINISTRATOR_KEY = Pattern.compile("(?m)^(administrator)\\s*:");

    private AdministratorGuard() {
    }

    /**
     * The problem that refuses {@code candidate}, if no user would be an administrator under it.
     *
     * @param previous       the model in force, null at start-up
     * @param activeUserRoles the roles of every user who may log in (active, not locked); empty if there are no
     *                       users yet
     * @param files          the candidate's files, to point at the {@code administrator} key of a role file
     * @param firstDirectory the first metadata directory, where a deleted role file used to be
     */
    static Optional<MetadataProblem> check(MetadataModel candidate, MetadataModel previous,
                                           List<Set<String>> activeUserRoles, List<MetadataFile> files,
                                           Path firstDirectory) {
        List<Set<String>> holders = activeUserRoles.isEmpty()
                ? List.of(Set.of(Platform.ADMINISTRATOR_ROLE)) : activeUserRoles;
        for (Set<String> roles : holders) {
            if (roles.stream().anyMatch(role -> candidate.role(role).map(RoleDefinition::administrator).orElse(false))) {
                return Optional.empty();
            }
        }
        Set<String> lost = administratorRolesOf(holders, previous);
        if (lost.isEmpty()) {
            // nobody held administration rights before either (or at start-up): the roles users hold
            holders.forEach(lost::addAll);
        }
        String role = lost.iterator().next();
        String names = String.join("', '", lost);
        Optional<RoleDefinition> kept = candidate.role(role);
        String message = "With this metadata no user who may log in keeps the administration rights: "
                + (kept.isPresent()
                ? "role '" + role + "' no longer has 'administrator: true'"
                : "the role" + (lost.size() == 1 ? " '" : "s '") + names + "' held by the administrators "
                + (lost.size() == 1 ? "no longer exists" : "no longer exist"))
                + ". Every later administration call, including the reload that would repair this, would be refused; "
                + "the metadata in force keeps serving.";
        String fix = kept.isPresent()
                ? "keep 'administrator: true' in this role, or first give an active user another role that has "
                + "'administrator: true' (Administration → Users)."
                : "restore the file of role '" + role + "' with 'administrator: true', or first give an active user "
                + "another role that has 'administrator: true' (Administration → Users).";
        if (kept.isPresent()) {
            String file = kept.get().location().file();
            int[] at = administratorKey(file, files).orElse(new int[] {kept.get().location().line(),
                    kept.get().location().column()});
            return Optional.of(new MetadataProblem(file, at[0], at[1], ProblemCode.ADMINISTRATORS_LOCKED_OUT,
                    message, fix));
        }
        String file = previous != null && previous.role(role).isPresent()
                ? previous.role(role).get().location().file()
                : firstDirectory.resolve("roles").resolve(role + ".yaml").toString().replace('\\', '/');
        return Optional.of(new MetadataProblem(file, 0, 0, ProblemCode.ADMINISTRATORS_LOCKED_OUT, message, fix));
    }

    /** The roles the users hold that were administrator roles in the model in force. */
    private static Set<String> administratorRolesOf(List<Set<String>> holders, MetadataModel previous) {
        Set<String> roles = new TreeSet<>();
        if (previous != null) {
            holders.forEach(held -> held.stream()
                    .filter(role -> previous.role(role).map(RoleDefinition::administrator).orElse(false))
                    .forEach(roles::add));
        }
        return roles;
    }

    /** Line and column of the top-level {@code administrator:} key in the role's file, if it is written there. */
    private static Optional<int[]> administratorKey(String file, List<MetadataFile> files) {
        return files.stream().filter(f -> f.displayName().equals(file)).findFirst().flatMap(f -> {
            Matcher matcher = ADMINISTRATOR_KEY.matcher(f.content());
            if (!matcher.find()) {
                return Optional.empty();
            }
            String before = f.content().substring(0, matcher.start());
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            return Optional.of(new int[] {line, 1});
        });
    }
}
