package io.relata.web.api;

import io.relata.api.record.Record;
import io.relata.runtime.Platform;
import io.relata.runtime.mail.MailCapture;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import io.relata.runtime.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
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

/**
 * The caller's mail capture: their capture address and the captured mails waiting to be filed; filing one to a contact
 * and discarding one. 404 when no capture mailbox is configured.
 */
@Path("/v1/me/mail")
@Produces(MediaType.APPLICATION_JSON)
public class MailResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Operation(summary = "My capture address and the mails waiting to be filed", description = "Put the address in BCC "
            + "or forward customer mails to it; mails of known contacts are filed as activities, the others wait here.")
    public JsonObject mine() {
        MailCapture capture = capture();
        JsonArrayBuilder waiting = Jsons.createArrayBuilder();
        for (MailCapture.CapturedMail mail : capture.waiting(me.actor().userId())) {
            JsonObjectBuilder json = Jsons.createObjectBuilder().add("id", mail.id())
                    .add("from", text(mail.from())).add("recipients", text(mail.recipients()))
                    .add("subject", text(mail.subject())).add("preview", text(mail.preview()));
            json.add("sentAt", mail.sentAt() == null ? JsonValue.NULL : Jsons.createValue(mail.sentAt().toString()));
            json.add("attachments", Jsons.createArrayBuilder(mail.attachments()));
            waiting.add(json);
        }
        return Jsons.createObjectBuilder().add("address", capture.addressOf(me.actor().userId()).orElseThrow())
                .add("waiting", waiting).build();
    }

    @POST
    @Path("{mail}/file")
    @Operation(summary = "File a waiting mail to a contact", description = "Body {\"contact\": <id>}: the mail becomes a done "
            + "e-mail activity of that contact (and its account) with its attachments as files.")
    public Response file(@PathParam("mail") long mailId, JsonObject body) {
        if (body == null || !body.containsKey("contact") || body.get("contact").getValueType() != JsonValue.ValueType.NUMBER) {
            throw ApiProblem.badRequest("contact", "required", "Send {\"contact\": <id of the contact>}");
        }
        try {
            Record activity = capture().fileTo(platform.securedRecords(), me.actor(), mailId, body.getJsonNumber("contact").longValue());
            return Response.status(201).entity(Jsons.createObjectBuilder().add("activity", activity.id()).build())
                    .header("Location", "/api/v1/records/activity/" + activity.id()).build();
        } catch (MailCapture.RefusedException e) {
            throw new ApiProblem(404, "not-found", "Not found", e.text().in(me.language()), List.of());
        }
    }

    @DELETE
    @Path("{mail}")
    @Operation(summary = "Discard a waiting mail", description = "Its content is deleted.")
    public Response discard(@PathParam("mail") long mailId) {
        try {
            capture().discard(me.actor().userId(), mailId);
        } catch (MailCapture.RefusedException e) {
            throw new ApiProblem(404, "not-found", "Not found", e.text().in(me.language()), List.of());
        }
        return Response.noContent().build();
    }

    private MailCapture capture() {
        if (!platform.mailCapture().enabled()) {
            throw new ApiProblem(404, "mail-capture-off", "Mail capture is not set up", "An administrator sets "
                    + "CRM_MAIL_CAPTURE_HOST and CRM_MAIL_CAPTURE_ADDRESS to turn it on", List.of());
        }
        return platform.mailCapture();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
