package io.relata.web.api;

import io.relata.plugins.ExtensionRegistry;
import io.relata.plugins.IntegrationCalls;
import io.relata.process.ProcessJson;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The integrations plugins provide (credit check, pricing, underwriting, …), for administrators: which exist, a
 * test call, and the record of every call.
 */
@Path("/v1/admin/integrations")
@Produces(MediaType.APPLICATION_JSON)
public class IntegrationsResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Operation(summary = "Integrations: those of the enabled plugins and the platform's own (credit_check, erp_orders)")
    public JsonObject list() {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder names = Jsons.createArrayBuilder();
        platform.integrations().names().forEach(names::add);
        return Jsons.createObjectBuilder().add("items", names).build();
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Call an integration", description = "Body: {operation, payload: {...}, entity, recordId}. The "
            + "call runs with the plugin call timeout and is recorded; the answer: {ok, data, message, callId}. A "
            + "plugin that fails answers 502 with its reason.")
    public JsonObject call(@PathParam("name") String name, JsonObject body) {
        AdminResource.requireAdministrator(platform, me);
        String operation = Bodies.text(body, "operation");
        Map<String, Object> payload = body.containsKey("payload") && body.get("payload").getValueType() == JsonValue.ValueType.OBJECT
                ? plain(ProcessJson.toMap(body.getJsonObject("payload"))) : Map.of();
        String entity = Bodies.optionalText(body, "entity");
        Long recordId = body.containsKey("recordId") && body.get("recordId").getValueType() == JsonValue.ValueType.NUMBER
                ? body.getJsonNumber("recordId").longValue() : null;
        IntegrationCalls.Recorded recorded = platform.integrations()
                .call(name, operation, payload, entity, recordId, me.actor().username())
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No such integration", "No enabled plugin provides"
                        + " the integration '" + name + "'; GET /api/v1/admin/integrations lists those that exist",
                        List.of()));
        JsonObjectBuilder answer = Jsons.createObjectBuilder()
                .add("ok", recorded.response().ok())
                .add("data", ProcessJson.toJson(recorded.response().data()))
                .add("callId", recorded.callId())
                .add("plugin", recorded.pluginId() + " " + recorded.pluginVersion());
        if (recorded.response().message() != null) {
            answer.add("message", recorded.response().message().in(me.actor().language()));
        }
        return answer.build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Map<String, Object> payload) {
        try {
            return (Map<String, Object>) ExtensionRegistry.plainValue(payload);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("payload", "invalid_value", e.getMessage());
        }
    }

    @GET
    @Path("calls")
    @Operation(summary = "Recorded integration calls", description = "Newest first; ?entity=&recordId= for one record's.")
    public JsonObject calls(@QueryParam("entity") String entity, @QueryParam("recordId") Long recordId,
                            @QueryParam("limit") Integer limit) {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (IntegrationCalls.Call call : platform.integrations().calls(entity, recordId, limit == null ? 50 : Math.min(limit, 500))) {
            JsonObjectBuilder item = Jsons.createObjectBuilder()
                    .add("id", call.id()).add("integration", call.integration()).add("operation", call.operation())
                    .add("outcome", call.outcome().name()).add("actor", call.actor())
                    .add("startedAt", call.startedAt().toString()).add("durationMs", call.durationMs());
            add(item, "plugin", call.pluginId() == null ? null : call.pluginId() + (call.pluginVersion() == null ? "" : " " + call.pluginVersion()));
            add(item, "entity", call.entity());
            if (call.recordId() != null) {
                item.add("recordId", call.recordId());
            }
            add(item, "request", call.request());
            add(item, "response", call.response());
            add(item, "message", call.message());
            items.add(item);
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    private static void add(JsonObjectBuilder item, String name, String value) {
        if (value != null) {
            item.add(name, value);
        }
    }
}
