package io.relata.web.api;

import io.relata.metadata.MetadataException;
import io.relata.store.SchemaPlan;
import io.relata.runtime.Jsons;
import io.relata.runtime.MetadataRevision;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.NotAnOrphanException;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Admin actions on the running platform: reload metadata, inspect the schema plan and revisions, list and drop
 * orphaned tables and columns.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    /** Administration is for administrators; anyone else gets 403. */
    static void requireAdministrator(Platform platform, CurrentActor me) {
        if (!platform.access(me.actor()).unrestricted()) {
            throw new ApiProblem(403, "forbidden", "Administrators only",
                    "Only users with an administrator role may do this", List.of());
        }
    }

    @POST
    @Path("metadata/reload")
    @Operation(summary = "Reload metadata", description = "Reads all metadata directories again. Invalid metadata is "
            + "rejected with every problem (422) and the running model keeps serving; valid metadata migrates the "
            + "schema and takes effect at once.")
    public JsonObject reload() throws MetadataException {
        requireAdministrator(platform, me);
        MetadataRuntime.LoadReport report = platform.metadata().load(MetadataRevision.Trigger.RELOAD);
        return Jsons.createObjectBuilder()
                .add("revision", report.revision())
                .add("entities", report.entityCount())
                .add("files", report.fileCount())
                .add("appliedChanges", array(report.appliedChanges()))
                .add("warnings", array(report.warnings()))
                .build();
    }

    @GET
    @Path("schema/plan")
    @Operation(summary = "Pending schema changes", description = "What the database still lacks for the model in force; "
            + "empty after a successful load.")
    public JsonObject plan() {
        requireAdministrator(platform, me);
        SchemaPlan plan = platform.metadata().pendingPlan();
        return Jsons.createObjectBuilder()
                .add("revision", platform.model().revision())
                .add("changes", array(plan.changes().stream().map(c -> c.describe()).toList()))
                .add("statements", array(plan.changes().stream().flatMap(c -> c.sql().stream()).toList()))
                .add("warnings", array(plan.warnings()))
                .add("orphans", plan.orphans().size())
                .build();
    }

    @GET
    @Path("schema/orphans")
    @Operation(summary = "Tables and columns no metadata names any more", description = "Left behind by removed or "
            + "renamed entities and fields, kept with their data and never dropped automatically: each with its rows "
            + "(table) or non-empty values (column). DELETE schema/orphans/{table} or schema/orphans/{table}/{column} "
            + "drops one.")
    public JsonObject orphans() {
        requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (SchemaPlan.Orphan orphan : platform.metadata().orphans()) {
            items.add(orphan(orphan));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @DELETE
    @Path("schema/orphans/{table}")
    @Operation(summary = "Drop an orphaned table with all its rows", description = "Only a table that no entity of the "
            + "model in force names (404 if there is none of that name, 409 if an entity uses it). Cannot be undone.")
    public JsonObject dropOrphanTable(@PathParam("table") String table) {
        return dropOrphan(table, null);
    }

    @DELETE
    @Path("schema/orphans/{table}/{column}")
    @Operation(summary = "Drop an orphaned column with all its values", description = "Only a column that no field of "
            + "the model in force names (404 if there is none of that name, 409 if a field or the system uses it). "
            + "Cannot be undone.")
    public JsonObject dropOrphanColumn(@PathParam("table") String table, @PathParam("column") String column) {
        return dropOrphan(table, column);
    }

    private JsonObject dropOrphan(String table, String column) {
        requireAdministrator(platform, me);
        try {
            SchemaPlan.Orphan dropped = platform.metadata().dropOrphan(table, column, me.actor().username());
            return Jsons.createObjectBuilder().add("dropped", orphan(dropped)).build();
        } catch (NotAnOrphanException e) {
            throw new ApiProblem(e.inUse() ? 409 : 404, "not-an-orphan", "Not an orphan", e.getMessage(), List.of());
        }
    }

    private static JsonObject orphan(SchemaPlan.Orphan orphan) {
        var json = Jsons.createObjectBuilder().add("kind", orphan.isTable() ? "table" : "column").add("table", orphan.table());
        if (!orphan.isTable()) {
            json.add("column", orphan.column());
        }
        return json.add("values", orphan.values()).add("description", orphan.describe()).build();
    }

    @GET
    @Path("metadata/revisions")
    @Operation(summary = "Metadata revisions loaded, newest first")
    public JsonObject revisions() {
        requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (MetadataRevision r : platform.metadata().revisions(50)) {
            items.add(Jsons.createObjectBuilder()
                    .add("revision", r.getRevision())
                    .add("loadedAt", JsonMapping.timestamp(r.getLoadedAt()))
                    .add("trigger", r.getTrigger().name())
                    .add("entities", r.getEntityCount())
                    .add("files", r.getFileCount())
                    .add("sources", r.getSources())
                    .add("appliedChanges", array(lines(r.getAppliedChanges())))
                    .add("warnings", array(lines(r.getWarnings()))));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder array = Jsons.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    @POST
    @Path("clock/advance")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move the platform clock forward (tests and demos only)", description = "Body: {by: ISO-8601 "
            + "duration such as P3D}. Only when the server runs with CRM_CLOCK_ADJUSTABLE=true (else 404). Due "
            + "process timers fire and the outbox is delivered before the call returns.")
    public JsonObject advanceClock(JsonObject body) {
        requireAdministrator(platform, me);
        if (!platform.clock().isAdjustable()) {
            throw new ApiProblem(404, "not-found", "Not found",
                    "The platform clock is not adjustable on this server (CRM_CLOCK_ADJUSTABLE)", List.of());
        }
        java.time.Duration by;
        try {
            by = java.time.Duration.parse(Bodies.text(body, "by"));
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.badRequest("by", "invalid_parameter", "by must be an ISO-8601 duration such as PT2H or P3D");
        }
        if (by.isNegative()) {
            throw ApiProblem.badRequest("by", "invalid_parameter", "The clock only moves forward");
        }
        java.time.Duration offset = platform.clock().advance(by);
        platform.runDueWork();
        return Jsons.createObjectBuilder().add("now", platform.clock().instant().toString())
                .add("offset", offset.toString()).build();
    }

    @POST
    @Path("processes/run-due")
    @Operation(summary = "Fire due process timers and deliver the outbox now", description = "The server does this "
            + "every few seconds (CRM_TIMER_INTERVAL_MS) by itself.")
    public JsonObject runDue() {
        requireAdministrator(platform, me);
        platform.runDueWork();
        return Jsons.createObjectBuilder().add("now", platform.clock().instant().toString()).build();
    }

    @GET
    @Path("outbox")
    @Operation(summary = "Mails, webhooks and extension calls queued by processes, newest first",
            description = "state=pending|sending|sent|failed filters; items stuck in 'sending' were interrupted "
                    + "mid-delivery and are not resent automatically (POST outbox/{id}/requeue after checking).")
    public JsonObject outbox(@jakarta.ws.rs.QueryParam("state") String state) {
        requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        List<io.relata.process.Outbox.Item> list = state == null || state.isBlank() ? platform.outbox().all()
                : platform.outbox().items(state, 200);
        for (io.relata.process.Outbox.Item item : list) {
            var json = Jsons.createObjectBuilder().add("id", item.id()).add("kind", item.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .add("description", item.description()).add("state", item.state()).add("attempts", item.attempts());
            if (item.error() != null) {
                json.add("error", item.error());
            }
            items.add(json);
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
    @Path("outbox/{id}/requeue")
    @Operation(summary = "Send a failed or stuck outbox item again")
    public JsonObject requeue(@jakarta.ws.rs.PathParam("id") long id) {
        requireAdministrator(platform, me);
        if (!platform.outbox().requeue(id)) {
            throw new ApiProblem(409, "conflict", "Not requeued", "Only failed or stuck items can be sent again", List.of());
        }
        return Jsons.createObjectBuilder().add("id", id).add("state", "pending").build();
    }
}
