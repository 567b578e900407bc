package io.relata.web.api;

import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.runtime.Platform;
import io.relata.runtime.marketing.Consents;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Consents asked for by a user (given on the phone, in person, by letter): the consent record is created with the
 * caller's rights, and for a purpose with double opt-in the confirmation mail goes to the address. The record itself
 * is read and listed as any other ({@code /v1/records/consent}).
 */
@Path("/v1/consents")
public class ConsentsResource {

    @Inject
    Platform platform;

    @POST
    @Path("requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask for a consent", description = "Body: {\"email\", \"purpose\" (the key of a consent_purpose), "
            + "\"source\" (web_form, in_person, phone, letter, import), \"sourceDetail\", \"language\" (de, en), "
            + "\"contact\" or \"lead\" (an id)}. With double opt-in the consent waits for the click on the mailed link "
            + "(status pending), otherwise it is granted at once. Needs the right to create consents.")
    public Response request(JsonObject body) {
        if (body == null) {
            throw ApiProblem.badRequest("email", "required", "Send {\"email\": …, \"purpose\": …, \"source\": …}");
        }
        RecordLink person = null;
        for (String entity : new String[] {"contact", "lead"}) {
            if (body.get(entity) instanceof JsonNumber id) {
                person = new RecordLink(entity, id.longValue());
            }
        }
        Record consent = platform.consents().request(platform.securedRecords(), new Consents.Request(
                body.getString("email", null), body.getString("purpose", null), person, body.getString("language", null),
                body.getString("source", null), body.getString("sourceDetail", null), null, null));
        return Response.created(URI.create("/api/v1/records/consent/" + consent.id()))
                .tag(new EntityTag(Long.toString(consent.version()))).entity(JsonMapping.record(consent)).build();
    }
}
