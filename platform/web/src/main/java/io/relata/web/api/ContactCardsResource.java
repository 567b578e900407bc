package io.relata.web.api;

import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Contacts as vCard 4 (RFC 6350) for address books and phones: one contact for whoever may read it, or all contacts
 * the caller may read for a role with the export right, written page by page (constant memory however many there are).
 */
@Path("/v1/cards")
public class ContactCardsResource {

    static final String MEDIA_TYPE = "text/vcard; charset=utf-8";

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Path("{entity}/{id}")
    @Operation(summary = "One record as a vCard", description = "vCard 4 of a contact (or a record of another entity with a "
            + "person's name, e-mail or phone): name, organisation, position, e-mails, phones, birthday, as the caller "
            + "may read them.")
    public Response card(@PathParam("entity") String entity, @PathParam("id") long id) {
        requireCards(entity);
        Record record;
        try {
            record = platform.records().get(entity, id);
        } catch (RecordNotFoundException e) {
            throw new NotFoundException();
        }
        return Response.ok(platform.contactCards().cards(platform.records(), entity, List.of(record)), MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + entity + "-" + id + ".vcf\"").build();
    }

    @GET
    @Path("{entity}")
    @Operation(summary = "All readable records as vCards", description = "Every record of the entity the caller may read, "
            + "as one vCard 4 file to import into an address book; needs the role's export right.")
    public Response cards(@PathParam("entity") String entity) {
        requireCards(entity);
        if (!platform.access(me.actor()).canExport(entity)) {
            throw new ApiProblem(403, "forbidden", "Not allowed", io.relata.api.model.LocalizedText.format(
                    "Ihre Rollen dürfen {0} nicht exportieren; ein Administrator kann dafür 'export: true' vergeben.",
                    "Your roles may not export {0} records; an administrator can grant 'export: true' for it.", entity)
                    .in(me.language()), List.of());
        }
        StreamingOutput body = output -> {
            Writer writer = new OutputStreamWriter(output, StandardCharsets.UTF_8);
            String cursor = null;
            do {
                RecordPage page = platform.records().query(entity, new RecordQuery(List.of(), List.of(), null,
                        RecordQuery.MAX_LIMIT, cursor));
                writer.write(platform.contactCards().cards(platform.records(), entity, page.records()));
                writer.flush();
                cursor = page.nextCursor();
            } while (cursor != null);
        };
        return Response.ok(body, MEDIA_TYPE).header("Content-Disposition", "attachment; filename=\"" + entity + ".vcf\"").build();
    }

    private void requireCards(String entity) {
        if (!platform.access(me.actor()).canRead(entity) || !platform.contactCards().suits(entity)) {
            throw new NotFoundException();
        }
    }
}
