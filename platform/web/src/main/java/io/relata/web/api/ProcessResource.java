package io.relata.web.api;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.process.ProcessCases;
import io.relata.process.diagram.BpmnExport;
import io.relata.process.diagram.ProcessDiagram;
import io.relata.process.kpi.Granularity;
import io.relata.process.kpi.KpiPeriod;
import io.relata.process.kpi.PhasePair;
import io.relata.process.kpi.ProcessFigures;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Processes as users see them: definitions, diagrams (SVG, BPMN 2.0), KPIs from the phase stamps, and a
 * record's place in its process with the moves it may make. A process exists for a user only if they may
 * read its entity and see its phase field; its KPIs count only the records they may read.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Path("processes")
    @Operation(summary = "The processes of the entities the user may read")
    public JsonObject processes() {
        MetadataModel model = platform.model();
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (ProcessDefinition process : model.processes().values()) {
            if (ProcessCases.visibleTo(process, platform.access(me.actor()))) {
                items.add(summary(process));
            }
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @GET
    @Path("processes/{name}")
    @Operation(summary = "One process: phases (with outcome, required fields, reason field, timers) and transitions (with guards)")
    public JsonObject process(@PathParam("name") String name) {
        ProcessDefinition process = readable(name);
        JsonArrayBuilder phases = Jsons.createArrayBuilder();
        for (PhaseDefinition phase : process.phases()) {
            JsonArrayBuilder timers = Jsons.createArrayBuilder();
            phase.timers().forEach(t -> {
                JsonObjectBuilder timer = Jsons.createObjectBuilder().add("name", t.name());
                if (t.after().isNegative()) {
                    timer.add("before", t.after().negated().toString());
                } else {
                    timer.add("after", t.after().toString());
                }
                if (t.anchored()) {
                    timer.add("of", t.anchor());
                }
                timers.add(timer.add("actions", t.actions().size()));
            });
            JsonObjectBuilder item = Jsons.createObjectBuilder()
                    .add("name", phase.name())
                    .add("label", JsonMapping.text(process.phaseLabel(entity(process), phase.name())))
                    .add("outcome", phase.outcome().yamlName())
                    .add("requiredFields", Jsons.createArrayBuilder(phase.requiredFields()))
                    .add("timers", timers);
            if (phase.reasonField() != null) {
                item.add("reasonField", phase.reasonField());
            }
            phases.add(item);
        }
        JsonArrayBuilder transitions = Jsons.createArrayBuilder();
        for (TransitionDefinition t : process.transitions()) {
            JsonObjectBuilder item = Jsons.createObjectBuilder().add("from", t.from()).add("to", t.to())
                    .add("automatic", t.isAutomatic());
            if (t.guard() != null) {
                item.add("guard", t.guard().source().strip());
            }
            if (t.when() != null) {
                item.add("when", t.when().source().strip());
            }
            transitions.add(item);
        }
        return Jsons.createObjectBuilder(summary(process)).add("phases", phases).add("transitions", transitions).build();
    }

    @GET
    @Path("processes/{name}/diagram.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "The process drawn as SVG, generated from its metadata")
    public Response diagram(@PathParam("name") String name, @QueryParam("lang") String language) {
        ProcessDefinition process = readable(name);
        String svg = ProcessDiagram.svg(process, entity(process), locale(language), platform.model());
        return Response.ok(svg, "image/svg+xml;charset=UTF-8").build();
    }

    @GET
    @Path("processes/{name}/bpmn")
    @Produces("application/xml")
    @Operation(summary = "The process as BPMN 2.0 XML (with diagram layout), for modelling tools")
    public Response bpmn(@PathParam("name") String name, @QueryParam("lang") String language) {
        ProcessDefinition process = readable(name);
        String xml = BpmnExport.xml(process, entity(process), locale(language), platform.model());
        return Response.ok(xml, "application/xml;charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + process.name() + ".bpmn\"")
                .build();
    }

    @GET
    @Path("processes/{name}/kpis")
    @Operation(summary = "Process KPIs from the phase stamps", description = "Cases started/ended per period, outcomes "
            + "with reasons, duration per case, time per phase, conversion per phase and cycle times between phases, "
            + "over the records the user may read (reasons only where they may see the reason field). "
            + "from/to are dates (to exclusive; default: the last 12 months), granularity day|week|month, "
            + "cycle=from:to (repeatable) adds cycle times between two phases.")
    public ProcessFigures kpis(@PathParam("name") String name, @QueryParam("from") String from,
                               @QueryParam("to") String to, @QueryParam("granularity") String granularity,
                               @QueryParam("cycle") List<String> cycles) {
        ProcessDefinition process = readable(name);
        LocalDate end = date("to", to, LocalDate.now(platform.clock().withZone(ZoneId.systemDefault())).plusDays(1));
        LocalDate start = date("from", from, end.minusMonths(12));
        Granularity g;
        try {
            g = granularity == null || granularity.isBlank() ? Granularity.MONTH : Granularity.parse(granularity);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("granularity", "invalid_parameter", e.getMessage());
        }
        KpiPeriod period;
        try {
            period = new KpiPeriod(start, end, g, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("from", "invalid_parameter", e.getMessage());
        }
        List<PhasePair> pairs = new ArrayList<>();
        for (String cycle : cycles == null ? List.<String>of() : cycles) {
            String[] parts = cycle.split(":", -1);
            if (parts.length != 2 || process.phase(parts[0]).isEmpty() || process.phase(parts[1]).isEmpty()) {
                throw ApiProblem.badRequest("cycle", "invalid_parameter", "cycle must be two phases of " + process.name()
                        + " as from:to, e.g. cycle=" + process.initialPhase().name() + ":"
                        + process.phases().get(process.phases().size() - 1).name() + "; got '" + cycle + "'");
            }
            pairs.add(new PhasePair(parts[0], parts[1]));
        }
        return platform.kpis().figures(process, period, pairs);
    }

    private JsonObject summary(ProcessDefinition process) {
        EntityDefinition entity = entity(process);
        return Jsons.createObjectBuilder()
                .add("name", process.name())
                .add("entity", process.entity())
                .add("label", JsonMapping.text(process.label() == null ? entity.pluralLabel() : process.label()))
                .add("phaseField", process.phaseField())
                .add("phaseCount", process.phases().size())
                .build();
    }

    private ProcessDefinition readable(String name) {
        ProcessDefinition process = platform.model().process(name)
                .filter(p -> ProcessCases.visibleTo(p, platform.access(me.actor())))
                .orElseThrow(() -> new ApiProblem(404, "unknown_process", "No such process",
                        "There is no process '" + name + "' (GET /api/v1/processes lists those you may see)", List.of()));
        return process;
    }

    private EntityDefinition entity(ProcessDefinition process) {
        return platform.model().entity(process.entity()).orElseThrow();
    }

    private static Locale locale(String language) {
        return language == null || language.isBlank() ? Locale.ENGLISH : Locale.forLanguageTag(language);
    }

    private static LocalDate date(String parameter, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(parameter, "invalid_parameter", parameter + " must be a date like 2026-01-31, not '" + value + "'");
        }
    }
}
