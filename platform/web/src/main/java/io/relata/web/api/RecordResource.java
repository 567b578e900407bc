package io.relata.web.api;

import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterParameters;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.Sort;
import io.relata.store.AutomaticChange;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Records of any metadata-defined entity. A record is {@code {id, version, createdAt, updatedAt, values}};
 * writes send {@code {"values": {...}}}. Updates need the version the client read, as {@code If-Match}
 * (the ETag of GET) or as {@code "version"} in the body: a stale version gets 409, never a lost update.
 */
@Path("/v1/records/{entity}")
@Produces(MediaType.APPLICATION_JSON)
public class RecordResource {

    private static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    @Inject
    Platform platform;

    @Context
    UriInfo uriInfo;

    @Inject
    CurrentActor me;

    @PathParam("entity")
    String entity;

    @GET
    @Operation(summary = "List records", description = "Filter, sort, search and keyset paging. "
            + "Follow nextCursor (or the Link header) for the next page.")
    public Response list(
            @Parameter(description = "field:operator:value, repeatable, all must hold. Operators: eq ne lt le gt ge "
                    + "contains startswith in (values separated by |) null notnull")
            @QueryParam("filter") List<String> filters,
            @Parameter(description = "Comma-separated fields, '-' prefix for descending, e.g. -amount,name; newest first when not given")
            @QueryParam("sort") String sort,
            @Parameter(description = "Contains-search over the entity's searchable fields") @QueryParam("q") String search,
            @Parameter(description = "Page size, 1 to 1000 (default 50)") @QueryParam("limit") String limitParameter,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "true to include totalCount") @QueryParam("count") boolean withCount) {
        RecordQuery query = new RecordQuery(parseFilters(filters), parseSort(sort), search, parseLimit(limitParameter), cursor);
        RecordPage page = store().query(entity, query);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        page.records().forEach(r -> items.add(JsonMapping.record(r)));
        JsonObjectBuilder body = Jsons.createObjectBuilder().add("items", items);
        body.add("nextCursor", page.nextCursor() == null ? JsonValue.NULL : Jsons.createValue(page.nextCursor()));
        if (withCount) {
            body.add("totalCount", store().count(entity, query));
        }
        Response.ResponseBuilder response = Response.ok(body.build());
        if (page.nextCursor() != null) {
            response.link(uriInfo.getRequestUriBuilder().replaceQueryParam("cursor", page.nextCursor()).build(), "next");
        }
        return response.build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a record", description = "Body: {\"values\": {field: value}}. The response's "
            + "processChanges lists what processes set beyond the given values ([{field, value, previous, process}]).")
    public Response create(JsonObject body) {
        List<AutomaticChange> changes = new ArrayList<>();
        Record created = reporting(changes).create(entity, values(body));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(Long.toString(created.id())).build())
                .tag(etag(created))
                .entity(JsonMapping.written(created, changes))
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a record")
    public Response get(@PathParam("id") long id) {
        Record record = store().get(entity, id);
        return Response.ok(JsonMapping.record(record)).tag(etag(record)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a record", description = "Fields not given become empty. Needs If-Match or \"version\". "
            + "processChanges in the response: what processes set beyond the given values.")
    public Response replace(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, JsonObject body) {
        List<AutomaticChange> changes = new ArrayList<>();
        Record record = preconditioned(ifMatch, () -> reporting(changes).replace(entity, id, expectedVersion(ifMatch, body),
                values(body)));
        return Response.ok(JsonMapping.written(record, changes)).tag(etag(record)).build();
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
    @Operation(summary = "Change some fields", description = "Only the given fields change. Needs If-Match or \"version\". "
            + "processChanges in the response: what processes set beyond the given values (a field you gave keeps "
            + "your value unless the process's action is forced).")
    public Response update(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, JsonObject body) {
        List<AutomaticChange> changes = new ArrayList<>();
        Record record = preconditioned(ifMatch, () -> reporting(changes).update(entity, id, expectedVersion(ifMatch, body),
                values(body)));
        return Response.ok(JsonMapping.written(record, changes)).tag(etag(record)).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a record", description = "With If-Match, only if still at that version.")
    public Response delete(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch) {
        preconditioned(ifMatch, () -> {
            store().delete(entity, id, ifMatch == null ? null : parseVersion(ifMatch));
            return null;
        });
        return Response.noContent().build();
    }

    /** A stale If-Match is a failed precondition (412, RFC 9110); a stale version in the body stays 409. */
    private static <T> T preconditioned(String ifMatch, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (ConcurrentUpdateException e) {
            if (ifMatch == null) {
                throw e;
            }
            throw new ApiProblem(412, "precondition-failed", "Changed by someone else", e.getMessage(), List.of());
        }
    }

    static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return RecordQuery.DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= RecordQuery.MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest("limit", "out_of_range", "limit must be a whole number from 1 to " + RecordQuery.MAX_LIMIT);
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "A record's history", description = "Who changed what when, newest first; fields you may not see are left out.")
    public JsonObject history(@PathParam("id") long id) {
        store().get(entity, id);
        var access = platform.access(me.actor());
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (var entry : platform.audit().history(entity, id, 200)) {
            JsonObjectBuilder changes = Jsons.createObjectBuilder();
            entry.changes().forEach((field, change) -> {
                if (access.fieldAccess(entity, field) != io.relata.api.security.FieldAccess.HIDDEN) {
                    changes.add(field, change);
                }
            });
            items.add(Jsons.createObjectBuilder().add("at", JsonMapping.timestamp(entry.at())).add("action", entry.action())
                    .add("actor", entry.actor()).add("changes", changes));
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @GET
    @Path("{id}/access")
    @Operation(summary = "Why can I see this record?", description = "Which roles and rules give the user access to the record "
            + "and its fields. ?user= asks for another user (administrators only).")
    public JsonObject access(@PathParam("id") long id, @QueryParam("user") String username) {
        io.relata.api.security.Actor actor = me.actor();
        if (username != null && !username.equals(actor.username())) {
            AdminResource.requireAdministrator(platform, me);
            actor = platform.users().actor(username).orElseThrow(() -> new ApiProblem(404, "not-found", "No such user",
                    "There is no active user '" + username + "'", List.of()));
        }
        // the store knows whether the record it is about (readAccessFrom) is readable; the policy alone does not
        var explanation = platform.securedRecords().explainFor(actor, entity, id);
        JsonArrayBuilder reasons = Jsons.createArrayBuilder();
        explanation.reasons().forEach(r -> reasons.add(r.text()));
        boolean full = platform.access(me.actor()).unrestricted();
        JsonArrayBuilder fields = Jsons.createArrayBuilder();
        explanation.fields().stream().filter(f -> full || f.access() != io.relata.api.security.FieldAccess.HIDDEN)
                .forEach(f -> fields.add(Jsons.createObjectBuilder().add("field", f.field())
                        .add("access", f.access().yamlName()).add("text", f.text())));
        return Jsons.createObjectBuilder()
                .add("user", explanation.username())
                .add("visible", explanation.visible())
                .add("canUpdate", explanation.canUpdate())
                .add("canDelete", explanation.canDelete())
                .add("reasons", reasons)
                .add("fields", fields)
                .add("text", full ? explanation.text() : userText(explanation))
                .build();
    }

    /** The explanation without the fields hidden from the user: for them such fields do not exist. */
    private static String userText(io.relata.store.access.AccessExplanation explanation) {
        List<String> lines = new java.util.ArrayList<>();
        explanation.reasons().forEach(reason -> lines.add(reason.text()));
        if (!explanation.canUpdate()) {
            lines.add("No role lets you change it.");
        }
        if (!explanation.canDelete()) {
            lines.add("No role lets you delete it.");
        }
        explanation.fields().stream().filter(f -> f.access() != io.relata.api.security.FieldAccess.HIDDEN)
                .forEach(f -> lines.add(f.text()));
        return String.join("\n", lines);
    }

    private RecordStore store() {
        return platform.records();
    }

    /** The user's store, telling {@code changes} what processes set in its writes. */
    private RecordStore reporting(List<AutomaticChange> changes) {
        return platform.securedRecords().reportingTo(changes::add);
    }

    private static EntityTag etag(Record record) {
        return new EntityTag(Long.toString(record.version()));
    }

    private static Map<String, Object> values(JsonObject body) {
        if (body == null) {
            throw ApiProblem.badRequest("body", "missing_body", "Send a JSON object {\"values\": {field: value}}");
        }
        JsonValue values = body.get("values");
        if (values == null || values.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiProblem.badRequest("values", "missing_values",
                    "The body needs a \"values\" object with the fields to write, e.g. {\"values\": {\"name\": \"Acme\"}}");
        }
        return JsonMapping.values(values.asJsonObject());
    }

    private static long expectedVersion(String ifMatch, JsonObject body) {
        if (ifMatch != null) {
            return parseVersion(ifMatch);
        }
        if (body != null && body.get("version") instanceof jakarta.json.JsonNumber number && number.isIntegral()) {
            return number.longValue();
        }
        throw new ApiProblem(428, "version-required", "Version required",
                "Send the version you read, as If-Match: \"<version>\" (the ETag of GET) or \"version\" in the body, "
                        + "so that nobody's change is overwritten unseen", List.of());
    }

    private static long parseVersion(String ifMatch) {
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("If-Match", "bad_version", "If-Match must be the ETag of the record, e.g. \"3\"");
        }
    }

    static List<Filter> parseFilters(List<String> filters) {
        try {
            return FilterParameters.parse(filters);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("filter", "bad_filter", e.getMessage());
        }
    }

    static List<Sort> parseSort(String sort) {
        if (sort == null || sort.isBlank()) {
            return List.of();
        }
        return Arrays.stream(sort.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.startsWith("-") ? Sort.desc(s.substring(1)) : Sort.asc(s.startsWith("+") ? s.substring(1) : s))
                .toList();
    }
}
