package io.relata.web.api;

import io.relata.runtime.Platform;
import io.relata.runtime.files.RecordFiles;
import io.relata.runtime.files.RecordFiles.StoredFile;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import io.relata.runtime.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The files of one record: list (the record's read right) and add (its update right); a record the caller may not
 * read is a 404. Each file is then at {@code /v1/files/{id}} ({@link FilesResource}).
 */
@Path("/v1/records/{entity}/{id}/files")
public class RecordFilesResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
        @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A record's files", description = "Name, type, size, whether there is a thumbnail, when and by "
            + "whom added, newest first.")
    public JsonObject list(@PathParam("entity") String entity, @PathParam("id") long id) {
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (StoredFile file : files().of(platform.securedRecords(), entity, id)) {
            items.add(FilesResource.json(file));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
        @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a file to a record", description = "The body is the file's content (any Content-Type); "
            + "?name= gives its name, whose extension must be an allowed type (CRM_FILES_TYPES). At most "
            + "CRM_FILES_MAX_BYTES; images and PDFs must start as one. Needs the right to change the record. With "
            + "?field= the file becomes the value of that file field (which must be editable).")
    public Response add(@PathParam("entity") String entity, @PathParam("id") long id, @QueryParam("name") String name,
                        @QueryParam("field") String field, InputStream content) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.badRequest("name", "required", "Give the file's name as ?name=, e.g. ?name=offer.pdf");
        }
        try {
            StoredFile file = field == null || field.isBlank()
                    ? files().add(platform.securedRecords(), entity, id, null, name, content)
                    : files().addAsValue(platform.securedRecords(), entity, id, field, name, content);
            return Response.status(201).entity(FilesResource.json(file)).type(MediaType.APPLICATION_JSON)
                    .header("Location", "/api/v1/files/" + file.id()).build();
        } catch (RecordFiles.RefusedException e) {
            throw FilesResource.problem(e, me.language());
        }
    }

    private RecordFiles files() {
        return platform.recordFiles();
    }
}
