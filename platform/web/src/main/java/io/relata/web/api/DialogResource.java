package io.relata.web.api;

import io.relata.api.record.FieldError;
import io.relata.process.dialog.DialogRunner;
import io.relata.process.dialog.DialogSession;
import io.relata.process.dialog.FinishResult;
import io.relata.process.dialog.StepResult;
import io.relata.process.dialog.SummaryLine;
import io.relata.runtime.Jsons;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Guided dialogs over the API: start (or resume) a dialog on a record, answer its steps, read the summary,
 * finish. Sessions belong to the user who started them; another user's session id does not exist for them.
 */
@Path("/v1/dialogs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DialogResource {

    @Inject
    DialogRunner dialogs;

    @Inject
    CurrentActor me;

    @GET
    @Path("sessions")
    @Operation(summary = "The user's open dialog sessions (to resume), newest first")
    public JsonObject openSessions() {
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        dialogs.openSessions(me.actor()).forEach(s -> items.add(session(s)));
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
    @Path("{dialog}/sessions")
    @Operation(summary = "Start a dialog on a record, or resume the user's open session of it",
            description = "Body: {entity, id}. 201 for a new session, 200 for a resumed one.")
    public Response start(@PathParam("dialog") String dialog, JsonObject body) {
        String entity = Bodies.text(body, "entity");
        long id = number(body, "id");
        DialogRunner runner = dialogs;
        boolean resumed = runner.openSessions(me.actor()).stream()
                .anyMatch(s -> s.dialog().equals(dialog) && s.entity().equals(entity) && s.recordId() == id);
        DialogSession session = runner.start(dialog, entity, id, me.actor());
        return Response.status(resumed ? 200 : 201).entity(session(session)).build();
    }

    @GET
    @Path("sessions/{session}")
    @Operation(summary = "A session: current step (null at the summary), answers, steps visited")
    public JsonObject get(@PathParam("session") long sessionId) {
        return session(dialogs.session(sessionId, me.actor()));
    }

    @POST
    @Path("sessions/{session}/steps/{step}")
    @Operation(summary = "Answer the current step", description = "Body: {field: value}. Valid answers move the "
            + "session to the next step (the first branch whose condition holds) or the summary; otherwise 422 with "
            + "per-field errors and the session stays at the step.")
    public JsonObject submit(@PathParam("session") long sessionId, @PathParam("step") String step, JsonObject body) {
        StepResult result = dialogs.submitStep(sessionId, step, JsonMapping.values(body), me.actor());
        refuseIfErrors(result.errors(), "The answers of step '" + step + "' are not valid");
        return session(result.session());
    }

    @POST
    @Path("sessions/{session}/back")
    @Operation(summary = "Go back to the previous step")
    public JsonObject back(@PathParam("session") long sessionId) {
        return session(dialogs.back(sessionId, me.actor()));
    }

    @GET
    @Path("sessions/{session}/summary")
    @Operation(summary = "What was answered, in the order of the steps taken")
    public JsonObject summary(@PathParam("session") long sessionId) {
        JsonArrayBuilder lines = Jsons.createArrayBuilder();
        for (SummaryLine line : dialogs.summary(sessionId, me.actor())) {
            lines.add(Jsons.createObjectBuilder().add("step", line.step()).add("field", line.field().name())
                    .add("label", JsonMapping.text(line.label())).add("value", JsonMapping.toJson(line.value())));
        }
        return Jsons.createObjectBuilder().add("lines", lines).build();
    }

    @POST
    @Path("sessions/{session}/finish")
    @Operation(summary = "Finish: write the answers to the record, create records, move the phase — all or nothing")
    public JsonObject finish(@PathParam("session") long sessionId) {
        FinishResult result = dialogs.finish(sessionId, me.actor());
        refuseIfErrors(result.errors(), "The dialog could not be finished; nothing was written");
        JsonArrayBuilder written = Jsons.createArrayBuilder();
        result.written().forEach(w -> written.add(Jsons.createObjectBuilder().add("entity", w.entity()).add("id", w.id())
                .add("created", w.created())));
        return Jsons.createObjectBuilder().add("session", session(result.session())).add("written", written).build();
    }

    @POST
    @Path("sessions/{session}/abandon")
    @Operation(summary = "Abandon the session (nothing is written)")
    public JsonObject abandon(@PathParam("session") long sessionId) {
        return session(dialogs.abandon(sessionId, me.actor()));
    }

    private static void refuseIfErrors(List<FieldError> errors, String detail) {
        if (!errors.isEmpty()) {
            throw new ApiProblem(422, "validation", "Invalid values", detail, errors);
        }
    }

    private static long number(JsonObject body, String key) {
        if (body == null || !(body.get(key) instanceof JsonNumber n) || !n.isIntegral()) {
            throw ApiProblem.badRequest(key, "missing_parameter", "Give '" + key + "' as a whole number");
        }
        return n.longValue();
    }

    private static JsonObject session(DialogSession s) {
        JsonObjectBuilder answers = Jsons.createObjectBuilder();
        for (Map.Entry<String, Object> answer : s.answers().entrySet()) {
            answers.add(answer.getKey(), JsonMapping.toJson(answer.getValue()));
        }
        JsonObjectBuilder result = Jsons.createObjectBuilder()
                .add("id", s.id())
                .add("dialog", s.dialog())
                .add("entity", s.entity())
                .add("recordId", s.recordId())
                .add("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                .add("atSummary", s.atSummary())
                .add("path", Jsons.createArrayBuilder(s.path()))
                .add("answers", answers)
                .add("startedAt", JsonMapping.timestamp(s.startedAt()))
                .add("updatedAt", JsonMapping.timestamp(s.updatedAt()));
        if (s.step() != null && !s.atSummary()) {
            result.add("step", s.step());
        } else {
            result.addNull("step");
        }
        return result.build();
    }
}
