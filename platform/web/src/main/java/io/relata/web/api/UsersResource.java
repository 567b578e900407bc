package io.relata.web.api;

import io.relata.identity.UserDirectory;

import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import io.relata.identity.LoginEvent;
import io.relata.identity.LoginThrottle;
import io.relata.identity.Team;
import io.relata.identity.UserAccount;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Administration of users, teams, the login log and waiting login attempts. Administrators only. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    Platform platform;

    @Inject
    UserDirectory directory;

    @Inject
    CurrentActor me;

    @jakarta.ws.rs.core.Context
    jakarta.servlet.http.HttpServletRequest request;

    @GET
    @Path("users")
    @Operation(summary = "List users")
    public JsonObject users() {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        directory.users().forEach(u -> items.add(user(u)));
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user", description = "Body: {username, displayName, email, password, roles: [..], teams: [ids]}")
    public Response createUser(JsonObject body) {
        AdminResource.requireAdministrator(platform, me);
        Set<String> roles = knownRoles(Bodies.texts(body, "roles"));
        List<Long> teams = Bodies.ids(body, "teams");
        List<Long> known = directory.teams().stream().map(Team::getId).toList();
        teams.stream().filter(t -> !known.contains(t)).findFirst().ifPresent(t -> {
            throw ApiProblem.badRequest("teams", "unknown_team", "There is no team with id " + t);
        });
        UserAccount[] created = new UserAccount[1];
        Passwords.refusalsAsProblems(request, "password", directory.now(), () -> {
            created[0] = directory.createUser(Bodies.text(body, "username"), Bodies.optionalText(body, "displayName"),
                    Bodies.optionalText(body, "email"), Bodies.text(body, "password"), roles);
            directory.update(created[0].getId(), null, created[0].getEmail(), true, roles, teams);
        });
        return Response.status(201).entity(user(directory.user(created[0].getId()).orElseThrow())).build();
    }

    @PATCH
    @Path("users/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a user", description = "Body: {displayName, email, active, roles: [..], teams: [ids]}; "
            + "keys left out keep their values.")
    public JsonObject updateUser(@PathParam("id") long id, JsonObject body) {
        AdminResource.requireAdministrator(platform, me);
        UserAccount user = directory.user(id).orElseThrow(() -> notFound(id));
        Set<String> roles = body.containsKey("roles") ? knownRoles(Bodies.texts(body, "roles")) : user.getRoles();
        List<Long> teams = body.containsKey("teams") ? Bodies.ids(body, "teams") : directory.teamIds(id);
        boolean active = Bodies.flag(body, "active", user.isActive());
        String email = body.containsKey("email") ? Bodies.optionalText(body, "email") : user.getEmail();
        Bodies.userInput(() -> directory.update(id, Bodies.optionalText(body, "displayName"), email, active, roles, teams));
        return user(directory.user(id).orElseThrow());
    }

    @POST
    @Path("users/{id}/lock")
    @Operation(summary = "Lock a user out", description = "From the next request on, none of the user's sessions, "
            + "passwords or API tokens work, until unlocked. Failed logins never lock a user; they only make further "
            + "attempts from the same address wait (GET /api/v1/admin/login-throttles).")
    public Response lock(@PathParam("id") long id) {
        AdminResource.requireAdministrator(platform, me);
        directory.user(id).orElseThrow(() -> notFound(id));
        Bodies.userInput(() -> directory.lock(id, me.actor()));
        return Response.noContent().build();
    }

    @POST
    @Path("users/{id}/unlock")
    @Operation(summary = "Unlock a user", description = "Lifts an administrator's lock and lets the user's waiting login "
            + "attempts resume at once, from every address.")
    public Response unlock(@PathParam("id") long id) {
        AdminResource.requireAdministrator(platform, me);
        directory.user(id).orElseThrow(() -> notFound(id));
        directory.unlock(id);
        return Response.noContent().build();
    }

    @POST
    @Path("users/{id}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a user's password", description = "Body: {\"password\": ..., \"revokeTokens\": false}; "
            + "lets the user's waiting login attempts resume (a lock stays). With revokeTokens all the user's API tokens "
            + "stop working. Answers {\"revokedTokens\": n}.")
    public JsonObject resetPassword(@PathParam("id") long id, JsonObject body) {
        AdminResource.requireAdministrator(platform, me);
        directory.user(id).orElseThrow(() -> notFound(id));
        boolean revokeTokens = Bodies.flag(body, "revokeTokens");
        int[] revoked = new int[1];
        Passwords.refusalsAsProblems(request, "password", directory.now(),
                () -> revoked[0] = directory.resetPassword(id, Bodies.text(body, "password"), revokeTokens));
        return Jsons.createObjectBuilder().add("revokedTokens", revoked[0]).build();
    }

    @GET
    @Path("login-throttles")
    @Operation(summary = "Login attempts that wait", description = "Per user name and client address, and per address "
            + "for all user names: failed attempts since the last success and until when further attempts wait. "
            + "Waiting buckets first.")
    public JsonObject loginThrottles(@QueryParam("limit") Integer limit) {
        AdminResource.requireAdministrator(platform, me);
        Instant now = directory.now();
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (LoginThrottle.Bucket bucket : directory.throttledLogins(limit == null ? 100 : Math.max(1, Math.min(limit, 1000)))) {
            items.add(Jsons.createObjectBuilder()
                    .add("id", bucket.id())
                    .add("username", bucket.username() == null ? JsonValue.NULL : Jsons.createValue(bucket.username()))
                    .add("remote", bucket.remote())
                    .add("failures", bucket.failures())
                    .add("lastAttempt", JsonMapping.timestamp(bucket.getLastAttempt()))
                    .add("heldUntil", bucket.heldAt(now) ? Jsons.createValue(JsonMapping.timestamp(bucket.getHeldUntil())) : JsonValue.NULL));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @DELETE
    @Path("login-throttles/{id}")
    @Operation(summary = "Let waiting login attempts resume", description = "Forgets the failures of one bucket.")
    public Response releaseThrottle(@PathParam("id") long id) {
        AdminResource.requireAdministrator(platform, me);
        if (!directory.releaseThrottle(id)) {
            throw new ApiProblem(404, "not-found", "No such login throttle", "There is no login throttle with id " + id, List.of());
        }
        return Response.noContent().build();
    }

    @GET
    @Path("teams")
    @Operation(summary = "List teams")
    public JsonObject teams() {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (Team team : directory.teams()) {
            items.add(Jsons.createObjectBuilder().add("id", team.getId()).add("name", team.getName()));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
    @Path("teams")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a team", description = "Body: {\"name\": ...}")
    public Response createTeam(JsonObject body) {
        AdminResource.requireAdministrator(platform, me);
        Team[] team = new Team[1];
        Bodies.userInput(() -> team[0] = directory.createTeam(Bodies.text(body, "name")));
        return Response.status(201).entity(Jsons.createObjectBuilder().add("id", team[0].getId()).add("name", team[0].getName()).build()).build();
    }

    @GET
    @Path("logins")
    @Operation(summary = "Login log, newest first")
    public JsonObject logins(@QueryParam("limit") Integer limit) {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (LoginEvent event : directory.loginLog(limit == null ? 100 : Math.max(1, Math.min(limit, 1000)))) {
            items.add(Jsons.createObjectBuilder()
                    .add("at", JsonMapping.timestamp(event.getAt()))
                    .add("username", event.getUsername())
                    .add("outcome", event.getOutcome().name())
                    .add("channel", event.getChannel().name())
                    .add("remote", event.getRemote() == null ? JsonValue.NULL : Jsons.createValue(event.getRemote()))
                    .add("heldUntil", event.getHeldUntil() == null ? JsonValue.NULL : Jsons.createValue(JsonMapping.timestamp(event.getHeldUntil()))));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    private Set<String> knownRoles(List<String> roles) {
        for (String role : roles) {
            if (platform.model().role(role).isEmpty()) {
                throw ApiProblem.badRequest("roles", "unknown_role", "There is no role '" + role + "'; the roles are: "
                        + String.join(", ", platform.model().roles().keySet()));
            }
        }
        return new LinkedHashSet<>(roles);
    }

    private static ApiProblem notFound(long id) {
        return new ApiProblem(404, "not-found", "No such user", "There is no user with id " + id, List.of());
    }

    private JsonObject user(UserAccount user) {
        JsonArrayBuilder roles = Jsons.createArrayBuilder();
        user.getRoles().forEach(roles::add);
        JsonArrayBuilder teams = Jsons.createArrayBuilder();
        directory.teamIds(user.getId()).forEach(teams::add);
        return Jsons.createObjectBuilder()
                .add("id", user.getId())
                .add("username", user.getUsername())
                .add("displayName", user.getDisplayName())
                .add("email", user.getEmail() == null ? JsonValue.NULL : Jsons.createValue(user.getEmail()))
                .add("active", user.isActive())
                .add("locked", user.isLocked())
                .add("lockedAt", user.getLockedAt() == null ? JsonValue.NULL : Jsons.createValue(JsonMapping.timestamp(user.getLockedAt())))
                .add("lockedBy", user.getLockedBy() == null ? JsonValue.NULL : Jsons.createValue(user.getLockedBy()))
                .add("roles", roles)
                .add("teams", teams)
                .build();
    }
}
