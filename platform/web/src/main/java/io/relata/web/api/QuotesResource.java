package io.relata.web.api;

import io.relata.api.record.Record;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.runtime.orders.Quotes;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What a quote offers beyond its record ({@code /v1/records/quote/{id}}): its PDF, the mail it would go out with,
 * sending it, and a new version. Everything with the caller's rights; a quote they may not read is a 404.
 */
@Path("/v1/quotes/{id}")
public class QuotesResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Path("pdf")
    @Produces("application/pdf")
    @Operation(summary = "The quote as a PDF", description = "In the quote's language, with the company's letterhead "
            + "(CRM_COMPANY_*); the lines, values and names the caller may read.")
    public Response pdf(@PathParam("id") long id) {
        Quotes.Pdf pdf = quotes().pdf(platform.securedRecords(), id);
        return Response.ok(pdf.content(), "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + pdf.name() + "\"").build();
    }

    @GET
    @Path("mail")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The mail the quote would go out with", description = "{to, subject, body}: to the "
            + "recipient's e-mail, from the template quote_sent in the quote's language, signed with the caller's name.")
    public JsonObject mail(@PathParam("id") long id) {
        Quotes.Mail mail = quotes().draft(platform.securedRecords(), id, senderName());
        return Jsons.createObjectBuilder().add("to", mail.to()).add("subject", mail.subject()).add("body", mail.body())
                .build();
    }

    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send the quote", description = "Body: {\"version\": n, \"to\": address, \"subject\": …, "
            + "\"body\": …} (subject and body default to GET …/mail). Moves the quote to sent (its guards apply: a "
            + "discount above the limit needs approval first) and queues the mail with the PDF attached, together; "
            + "the PDF is kept among the quote's files.")
    public Response send(@PathParam("id") long id, JsonObject body) {
        if (body == null || !body.containsKey("version") || !body.get("version").getValueType().equals(
                jakarta.json.JsonValue.ValueType.NUMBER)) {
            throw ApiProblem.badRequest("version", "required", "Give the quote's version as \"version\" (from its ETag)");
        }
        Quotes.Mail mail = new Quotes.Mail(body.getString("to", null), body.getString("subject", null),
                body.getString("body", null));
        if (mail.to() == null || mail.subject() == null || mail.body() == null) { // what is not given, as proposed
            Quotes.Mail proposed = quotes().draft(platform.securedRecords(), id, senderName());
            mail = new Quotes.Mail(mail.to() == null ? proposed.to() : mail.to(),
                    mail.subject() == null ? proposed.subject() : mail.subject(),
                    mail.body() == null ? proposed.body() : mail.body());
        }
        Record sent = quotes().send(platform.securedRecords(), id, body.getJsonNumber("version").longValue(), mail);
        return Response.ok(JsonMapping.record(sent)).tag(new EntityTag(Long.toString(sent.version()))).build();
    }

    @POST
    @Path("versions")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a new version", description = "Of a quote that was sent, declined, expired or waits for "
            + "approval: a draft with the same lines and the next version number; this quote becomes superseded.")
    public Response newVersion(@PathParam("id") long id) {
        Record created = quotes().newVersion(platform.securedRecords(), id);
        return Response.created(URI.create("/api/v1/records/quote/" + created.id()))
                .tag(new EntityTag(Long.toString(created.version()))).entity(JsonMapping.record(created)).build();
    }

    private Quotes quotes() {
        if (!platform.quotes().available()) {
            throw new NotFoundException("This CRM has no quotes with lines");
        }
        return platform.quotes();
    }

    private String senderName() {
        return platform.users().user(me.actor().userId()).map(u -> u.getDisplayName()).orElse(me.getUsername());
    }
}
