package io.relata.web.api;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.process.ProcessCases;
import io.relata.store.AutomaticChange;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A record's place in its process: where it stands, where it may go, how it got there, and moves. Only for
 * records the user may read; moves go through the user's record store (rights, rules, guards).
 */
@Path("/v1/records/{entity}/{id}/process")
@Produces(MediaType.APPLICATION_JSON)
public class RecordProcessResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @PathParam("entity")
    String entity;

    @PathParam("id")
    long id;

    @GET
        @Operation(summary = "Where a record stands in its process", description = "The process, the current phase and "
            + "since when, the phases it may move to (guarded or not), its phase history and its timers.")
    public JsonObject recordProcess() {
        platform.records().find(entity, id).orElseThrow(() -> new RecordNotFoundException(entity, id));
        ProcessCases cases = platform.processCases();
        // a user who may not see the phase field may not see where the record stands: no process for them
        ProcessCases.Case current = cases.current(entity, id)
                .filter(c -> c.definition().map(p -> ProcessCases.visibleTo(p, platform.access(me.actor()))).orElse(true))
                .orElseThrow(() -> new ApiProblem(404, "no_process", "No process", entity + " " + id
                        + " follows no process", List.of()));
        MetadataModel model = platform.model();
        JsonArrayBuilder next = Jsons.createArrayBuilder();
        for (ProcessCases.NextPhase phase : cases.nextPhases(entity, id)) {
            JsonObjectBuilder item = Jsons.createObjectBuilder().add("phase", phase.phase())
                    .add("label", JsonMapping.text(phase.label())).add("outcome", phase.outcome().yamlName())
                    .add("guarded", phase.guarded()).add("automatic", phase.automatic())
                    .add("requiredFields", Jsons.createArrayBuilder(phase.requiredFields()));
            if (phase.reasonField() != null) {
                item.add("reasonField", phase.reasonField());
            }
            next.add(item);
        }
        JsonArrayBuilder history = Jsons.createArrayBuilder();
        for (ProcessCases.Stamp stamp : cases.history(entity, id, platform.securedRecords().readScope(entity))) {
            JsonObjectBuilder item = Jsons.createObjectBuilder().add("to", stamp.toPhase())
                    .add("at", JsonMapping.timestamp(stamp.changedAt())).add("by", stamp.username());
            if (stamp.fromPhase() != null) {
                item.add("from", stamp.fromPhase());
            }
            if (stamp.reason() != null) {
                item.add("reason", stamp.reason());
            }
            history.add(item);
        }
        JsonArrayBuilder timers = Jsons.createArrayBuilder();
        for (ProcessCases.Timer timer : cases.timers(entity, id)) {
            JsonObjectBuilder item = Jsons.createObjectBuilder().add("timer", timer.timer()).add("phase", timer.phase())
                    .add("dueAt", JsonMapping.timestamp(timer.dueAt())).add("state", timer.state());
            if (timer.firedAt() != null) {
                item.add("firedAt", JsonMapping.timestamp(timer.firedAt()));
            }
            timers.add(item);
        }
        JsonObjectBuilder result = Jsons.createObjectBuilder()
                .add("process", current.process())
                .add("phase", current.phase())
                .add("phaseLabel", JsonMapping.text(current.phaseLabel(model)))
                .add("phaseSince", JsonMapping.timestamp(current.phaseSince()))
                .add("startedAt", JsonMapping.timestamp(current.startedAt()))
                .add("outcome", current.outcome().yamlName())
                .add("next", next)
                .add("history", history)
                .add("timers", timers);
        if (current.endedAt() != null) {
            result.add("endedAt", JsonMapping.timestamp(current.endedAt()));
        }
        return result.build();
    }

    @POST
    @Path("move")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a record to another phase", description = "Body: {phase, version, values?}. values are "
            + "further fields saved with the move (e.g. the loss reason). Refused moves are 422 with the reason: "
            + "phase_move (not an allowed move), required, reason_required, guard (the guard's message).")
    public JsonObject move(JsonObject body) {
        String phase = Bodies.text(body, "phase");
        if (!body.containsKey("version") || !(body.get("version") instanceof jakarta.json.JsonNumber version)) {
            throw ApiProblem.badRequest("version", "missing_parameter",
                    "Give the record's version (from GET) as a number, so a move never overwrites someone else's change");
        }
        Map<String, Object> values = body.containsKey("values") && body.get("values") instanceof JsonObject object
                ? JsonMapping.values(object) : Map.of();
        platform.records().find(entity, id).orElseThrow(() -> new RecordNotFoundException(entity, id));
        if (platform.processCases().current(entity, id).isEmpty()) {
            throw new ApiProblem(404, "no_process", "No process", entity + " " + id + " follows no process", List.of());
        }
        List<AutomaticChange> changes = new java.util.ArrayList<>();
        Record moved = platform.processCases().move(platform.securedRecords().reportingTo(changes::add), entity, id,
                version.longValue(), phase, values);
        return JsonMapping.written(moved, changes);
    }

}
