package io.relata.web.api;

import io.relata.runtime.Platform;
import io.relata.runtime.files.RecordFiles;
import io.relata.runtime.files.RecordFiles.StoredFile;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import io.relata.runtime.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Files of records by their id: download, thumbnail and delete ({@link RecordFilesResource} lists and adds them).
 * Reading needs the record's read right, deleting its update right; a file the caller may not read is a 404 like an
 * unknown one.
 */
@Path("/v1/files")
public class FilesResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Path("{file}")
    @Operation(summary = "Download a file", description = "The content, streamed, as an attachment with its type.")
    public Response download(@PathParam("file") long fileId) {
        StoredFile file = readable(fileId);
        StreamingOutput body = output -> files().copy(file, output);
        return Response.ok(body, file.contentType())
                .header("Content-Length", file.size())
                .header("Content-Disposition", "attachment; filename=\"" + file.name().replaceAll("[^\\x20-\\x7e]", "_")
                        .replace("\"", "_") + "\"; filename*=UTF-8''" + URLEncoder.encode(file.name(), StandardCharsets.UTF_8)
                        .replace("+", "%20"))
                // a file is the user's content, never a page of the CRM: no scripts, even if a browser showed it
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "private, no-store")
                .build();
    }

    @GET
    @Path("{file}/thumbnail")
    @Produces("image/png")
    @Operation(summary = "An image file's thumbnail", description = "A PNG of at most 160 pixels a side; 404 for files "
            + "that are not images.")
    public Response thumbnail(@PathParam("file") long fileId) {
        byte[] png = files().thumbnail(platform.securedRecords(), fileId).orElseThrow(NotFoundException::new);
        return Response.ok(png, "image/png").header("Cache-Control", "private, max-age=3600").build();
    }

    @DELETE
    @Path("{file}")
    @Operation(summary = "Delete a file", description = "Needs the right to change the file's record.")
    public Response delete(@PathParam("file") long fileId) {
        readable(fileId);
        try {
            files().delete(platform.securedRecords(), fileId);
        } catch (RecordFiles.RefusedException e) {
            throw problem(e, me.language());
        }
        return Response.noContent().build();
    }

    private StoredFile readable(long fileId) {
        return files().file(platform.securedRecords(), fileId).orElseThrow(() -> new ApiProblem(404, "not-found",
                "File not found", "No file " + fileId + " that you may read", List.of()));
    }

    private RecordFiles files() {
        return platform.recordFiles();
    }

    static ApiProblem problem(RecordFiles.RefusedException e, String language) {
        String detail = e.text().in(language);
        return switch (e.kind()) {
            case TOO_LARGE -> new ApiProblem(413, "file-too-large", "File too large", detail, List.of());
            case TYPE_NOT_ALLOWED -> new ApiProblem(415, "file-type-not-allowed", "File type not allowed", detail, List.of());
            case NOT_ALLOWED -> new ApiProblem(403, "forbidden", "Not allowed", detail, List.of());
            case NOT_FOUND -> new ApiProblem(404, "not-found", "File not found", detail, List.of());
        };
    }

    static JsonObject json(StoredFile file) {
        var json = Jsons.createObjectBuilder()
                .add("id", file.id())
                .add("entity", file.entity())
                .add("recordId", file.recordId())
                .add("name", file.name())
                .add("contentType", file.contentType())
                .add("size", file.size())
                .add("thumbnail", file.hasThumbnail())
                .add("createdAt", file.createdAt().toString())
                .add("download", "/api/v1/files/" + file.id());
        if (file.field() != null) {
            json.add("field", file.field());
        }
        if (file.createdBy() != null) {
            json.add("createdBy", file.createdBy());
        }
        return json.build();
    }
}
