package io.relata.web.api;

import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.runtime.marketing.SequenceSender;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What an e-mail sequence does beyond its record ({@code /v1/records/mail_sequence/{id}}): enroll a target group. The
 * people are read and enrolled with the caller's rights; a sequence they may not read is a 404.
 */
@Path("/v1/sequences/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class SequencesResource {

    @Inject
    Platform platform;

    @POST
    @Path("enroll")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enroll a target group", description = "Enrolls the people of the target group "
            + "{\"targetGroup\": id} that the caller may read; those already in the sequence are not enrolled again. "
            + "Answers {enrolled, already}. Whether each may be written to (consent, address) is decided before each mail.")
    public JsonObject enroll(@PathParam("id") long id, JsonObject body) {
        platform.securedRecords().find(SequenceSender.SEQUENCE, id).orElseThrow(NotFoundException::new);
        if (body == null || !(body.get("targetGroup") instanceof JsonNumber group)) {
            throw ApiProblem.badRequest("targetGroup", "required", "Say which target group to enroll: {\"targetGroup\": 5}");
        }
        SequenceSender.Enrolled enrolled = platform.sequenceSender().enroll(platform.securedRecords(), id,
                group.longValue());
        return Jsons.createObjectBuilder().add("enrolled", enrolled.enrolled()).add("already", enrolled.already()).build();
    }
}
