package io.relata.web.api;

import io.relata.web.security.ClientAddress;

import io.relata.api.security.Actor;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.identity.ApiToken;
import io.relata.web.security.CurrentActor;
import io.relata.identity.UserDirectory;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The caller themself: who they are, their password and their personal API tokens. */
@Path("/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    Platform platform;

    @Inject
    UserDirectory directory;

    @Inject
    CurrentActor me;

    @Inject
    ClientAddress clientAddress;

    @jakarta.ws.rs.core.Context
    jakarta.servlet.http.HttpServletRequest request;

    @GET
    @Operation(summary = "Who am I", description = "The logged-in user, their roles and teams.")
    public JsonObject whoAmI() {
        Actor actor = me.actor();
        JsonArrayBuilder roles = Jsons.createArrayBuilder();
        actor.roles().forEach(roles::add);
        JsonArrayBuilder teams = Jsons.createArrayBuilder();
        actor.teamIds().forEach(teams::add);
        return Jsons.createObjectBuilder()
                .add("id", actor.userId())
                .add("username", actor.username())
                .add("roles", roles)
                .add("teams", teams)
                .add("administrator", platform.access(actor).unrestricted())
                .build();
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change my password", description = "Body: {\"currentPassword\": ..., \"newPassword\": ..., "
            + "\"revokeTokens\": false}. With revokeTokens all my API tokens stop working at once (do this if someone "
            + "else may have known the password). The new password must have 12 characters and must not be a common, "
            + "breached, repetitive or sequential password or contain my user name (NIST SP 800-63B); a refusal says "
            + "which rule it broke (Accept-Language: de for German). Answers {\"revokedTokens\": n}.")
    public JsonObject changePassword(JsonObject body) {
        String current = Bodies.text(body, "currentPassword");
        String next = Bodies.text(body, "newPassword");
        boolean revokeTokens = Bodies.flag(body, "revokeTokens");
        int[] revoked = new int[1];
        Passwords.refusalsAsProblems(request, "newPassword", directory.now(), () -> revoked[0] = directory.changePassword(
                me.actor().username(), current.toCharArray(), next, clientAddress.of(request), revokeTokens));
        return Jsons.createObjectBuilder().add("revokedTokens", revoked[0]).build();
    }

    @GET
    @Path("tokens")
    @Operation(summary = "My API tokens", description = "Names and first characters only; a token is shown once, when created.")
    public JsonObject tokens() {
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        directory.tokens(me.actor().userId()).forEach(t -> items.add(token(t)));
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API token", description = "Body: {\"name\": \"my integration\"}. The response holds the "
            + "token; it is not shown again. Use it as 'Authorization: Bearer <token>'.")
    public Response createToken(JsonObject body) {
        String name = Bodies.optionalText(body, "name");
        UserDirectory.NewToken[] holder = new UserDirectory.NewToken[1];
        Bodies.userInput(() -> holder[0] = directory.createToken(me.actor().userId(), name));
        UserDirectory.NewToken created = holder[0];
        return Response.status(201).entity(Jsons.createObjectBuilder(token(created.entity())).add("token", created.token()).build()).build();
    }

    @DELETE
    @Path("tokens/{id}")
    @Operation(summary = "Revoke an API token")
    public Response revoke(@PathParam("id") long id) {
        if (!directory.revokeToken(me.actor().userId(), id)) {
            throw new ApiProblem(404, "not-found", "No such token", "You have no API token with id " + id, List.of());
        }
        return Response.noContent().build();
    }

    private static JsonObject token(ApiToken token) {
        JsonObjectBuilder json = Jsons.createObjectBuilder()
                .add("id", token.getId())
                .add("name", token.getName())
                .add("hint", token.getTokenHint() + "…")
                .add("createdAt", JsonMapping.timestamp(token.getCreatedAt()));
        json.add("lastUsedAt", token.getLastUsedAt() == null ? JsonValue.NULL : Jsons.createValue(JsonMapping.timestamp(token.getLastUsedAt())));
        json.add("revokedAt", token.getRevokedAt() == null ? JsonValue.NULL : Jsons.createValue(JsonMapping.timestamp(token.getRevokedAt())));
        return json.build();
    }
}
