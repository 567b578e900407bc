package io.relata.web.api;

import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.rules.RuleFailedException;
import io.relata.web.security.CurrentActor;
import io.relata.api.record.FieldError;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.record.ValidationException;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataProblem;
import io.relata.store.SchemaMigrationException;
import io.relata.runtime.SchemaConflictException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.relata.web.api.JsonMapping.JSON;

/**
 * Turns every exception that leaves a resource into problem+json. Unexpected errors are logged with an
 * id that the response repeats; the response never carries a stack trace or server version. At most
 * {@link #MAX_LISTED} errors (or metadata problems) are listed; {@code moreErrors} ({@code moreProblems})
 * counts the rest.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    public static final String PROBLEM_JSON = "application/problem+json";
    /** Enough to fix a request; a body with thousands of unknown keys gets no answer thousands long. */
    static final int MAX_LISTED = 100;
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Inject
    CurrentActor me;

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof ApiProblem p) {
            Response response = problem(p.status(), p.type(), p.title(), p.getMessage(), p.errors());
            // A body refused by its size is left unread: the connection cannot carry another request after it.
            return p.status() == 413 ? Response.fromResponse(response).header("Connection", "close").build() : response;
        }
        if (exception instanceof ValidationException v) {
            return problem(422, "validation", "Invalid values", v.message(me.language()), v.errors());
        }
        if (exception instanceof RecordNotFoundException n) {
            return problem(404, "not-found", "Record not found", n.message(me.language()), List.of());
        }
        if (exception instanceof UnknownEntityException u) {
            return problem(404, "unknown-entity", "Unknown entity",
                    u.getMessage() + "; GET /api/v1/metadata/entities lists the entities", List.of());
        }
        if (exception instanceof AccessDeniedException d) {
            return problem(403, "forbidden", "Not allowed", d.message(me.language()), List.of());
        }
        if (exception instanceof io.relata.process.dialog.DialogException d) {
            return dialogProblem(d);
        }
        if (exception instanceof CurrentActor.NotAuthenticatedException) {
            return problem(401, "unauthenticated", "Not logged in", "Log in first", List.of());
        }
        if (exception instanceof ConcurrentUpdateException c) {
            return problem(409, "conflict", "Changed by someone else", c.message(me.language()), List.of());
        }
        if (exception instanceof RuleFailedException f) {
            LOG.warning(() -> "Rule failed: " + f.rule() + " at " + f.location() + ": "
                    + (f.getCause() == null ? f.getMessage() : f.getCause().getMessage()));
            return problem(422, "rule-failed", "A rule could not be applied", f.message(me.language()), List.of());
        }
        if (exception instanceof io.relata.process.ProcessActionException a) {
            LOG.warning(() -> "Process action failed: " + a.getMessage());
            return problem(422, "process-action-failed", "A process action could not run", a.message(me.language()), List.of());
        }
        if (exception instanceof RecordException r) {
            return problem(409, "conflict", "Not possible in the current state", r.message(me.language()), List.of());
        }
        if (exception instanceof MetadataException m) {
            return metadataProblem(m);
        }
        if (exception instanceof io.relata.plugins.PluginRefusedException p) {
            return problem(422, "plugin-refused", "Plugin change refused", p.problems().size()
                    + " problem(s); nothing was changed", p.problems().stream()
                    .map(text -> new FieldError(null, "plugin_refused", text)).toList());
        }
        if (exception instanceof io.relata.plugins.PluginCallException c) {
            return problem(502, "plugin-failed", "A plugin failed", c.text().in(me.language()), List.of());
        }
        if (exception instanceof SchemaConflictException c) {
            return problems(409, "schema-conflict", "Metadata does not fit the stored data", c.problems().size()
                    + " change(s) of the metadata contradict stored data; nothing was changed and the running model "
                    + "keeps serving", c.problems());
        }
        if (exception instanceof SchemaMigrationException s) {
            return schemaMigrationFailed(s);
        }
        if (exception instanceof JsonException j) {
            return problem(400, "bad-json", "Malformed JSON", "The request body is not valid JSON: " + j.getMessage(), List.of());
        }
        if (exception instanceof jakarta.ws.rs.NotSupportedException) {
            return problem(415, "unsupported-media-type", "Unsupported Media Type", "Send the body as JSON, with "
                    + "Content-Type: application/json", List.of());
        }
        if (exception instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return problem(status, "http-" + status, w.getResponse().getStatusInfo().getReasonPhrase(), detailOf(w), List.of());
        }
        return unexpected(exception);
    }

    private static String detailOf(WebApplicationException w) {
        Throwable cause = w.getCause();
        if (cause instanceof JsonException json) {
            return "The request body is not valid JSON: " + json.getMessage();
        }
        return w.getMessage();
    }

    private Response unexpected(Throwable exception) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "Unexpected error, incident " + incident + " at " + path(), exception);
        return problem(500, "internal", "Internal error",
                "The server could not complete the request. An administrator can find incident " + incident
                        + " in the log.", List.of());
    }

    private Response metadataProblem(MetadataException exception) {
        return problems(422, "invalid-metadata", "Invalid metadata", exception.problems().size()
                + " problem(s) in the metadata; nothing was changed and the running model keeps serving",
                exception.problems());
    }

    /** A refusal with metadata problems (file, line, column, code, message, fix), as invalid metadata gets it. */
    private Response problems(int status, String type, String title, String detail, List<MetadataProblem> all) {
        JsonArrayBuilder problems = JSON.createArrayBuilder();
        for (MetadataProblem p : listed(all)) {
            problems.add(JSON.createObjectBuilder()
                    .add("file", p.file()).add("line", p.line()).add("column", p.column())
                    .add("code", p.code()).add("message", p.message()).add("fix", p.fix() == null ? "" : p.fix())
                    .add("text", p.toString()));
        }
        JsonObjectBuilder body = base(status, type, title, omitted(detail, all.size())).add("problems", problems);
        more(body, "moreProblems", all);
        return Response.status(status).type(PROBLEM_JSON).entity(body.build()).build();
    }

    /**
     * The database refused a schema change the planner had checked (data written in between, a lock): the answer
     * names the change in words; the statement and the database's text go to the log only, under an incident id.
     */
    private Response schemaMigrationFailed(SchemaMigrationException exception) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.WARNING, "Schema change refused, incident " + incident + ": " + exception.getMessage(), exception);
        return problem(409, "schema-migration-failed", "Schema change refused by the database", "The database "
                + "refused the schema change \"" + exception.change() + "\". " + (exception.undone()
                ? "Nothing was changed" : "Some changes of this attempt could not be taken back (the log lists them)")
                + " and the running model keeps serving. An administrator finds the database's reason under incident "
                + incident + " in the log; reload again once it is resolved.", List.of());
    }

    private Response problem(int status, String type, String title, String detail, List<FieldError> errors) {
        JsonObjectBuilder body = base(status, type, title, omitted(detail, errors.size()));
        if (!errors.isEmpty()) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            for (FieldError error : listed(errors)) {
                JsonObjectBuilder item = JSON.createObjectBuilder().add("code", error.code()).add("message", error.message(me.language()));
                if (error.field() != null) {
                    item.add("field", error.field());
                }
                array.add(item);
            }
            body.add("errors", array);
            more(body, "moreErrors", errors);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body.build()).build();
    }

    private static <T> List<T> listed(List<T> all) {
        return all.size() > MAX_LISTED ? all.subList(0, MAX_LISTED) : all;
    }

    private static String omitted(String detail, int total) {
        return total <= MAX_LISTED || detail == null ? detail
                : detail + " (the first " + MAX_LISTED + " are listed, and " + (total - MAX_LISTED) + " more)";
    }

    private static void more(JsonObjectBuilder body, String key, List<?> all) {
        if (all.size() > MAX_LISTED) {
            body.add(key, all.size() - MAX_LISTED);
        }
    }

    private JsonObjectBuilder base(int status, String type, String title, String detail) {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("type", "https://relata.dev/problems/" + type)
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail);
        String path = path();
        if (path != null) {
            body.add("instance", path);
        }
        return body;
    }

    private String path() {
        try {
            return uriInfo == null ? null : uriInfo.getRequestUri().getPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Response dialogProblem(io.relata.process.dialog.DialogException d) {
        int status = switch (d.problem()) {
            case NOT_FOUND -> 404;
            case NOT_ALLOWED -> 403;
            case BROKEN_DEFINITION -> 500;
            default -> 409;
        };
        String type = "dialog-" + d.problem().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return problem(status, type, "Dialog: " + d.problem().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                d.message(me.language()), List.of());
    }
}
