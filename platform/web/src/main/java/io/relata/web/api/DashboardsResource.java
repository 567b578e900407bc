package io.relata.web.api;

import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.dashboard.Widget;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterParameters;
import io.relata.api.security.Actor;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.runtime.dashboard.WidgetFigures;
import io.relata.store.access.AccessPolicy;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Dashboards and their figures for the caller: only the dashboards their roles see, figures counted over the records
 * they may read. Every figure of records carries its drill-down: the list filters ({@code field:op:value}) that select
 * the records behind it, for {@code GET /v1/records/{entity}?filter=…}.
 */
@Path("/v1/dashboards")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardsResource {

    @Inject
    Platform platform;

    @GET
    @Operation(summary = "The dashboards the caller sees", description = "Pinned ones first; each with its widgets.")
    public JsonArray list() {
        Actor actor = platform.currentActor();
        List<String> pinned = platform.dashboardPins().pinned(actor.userId());
        JsonArrayBuilder dashboards = Jsons.PROVIDER.createArrayBuilder();
        List<DashboardDefinition> visible = new ArrayList<>(platform.dashboards().visibleTo(access(actor)));
        visible.sort(java.util.Comparator.comparingInt(d -> pinned.contains(d.name()) ? pinned.indexOf(d.name())
                : Integer.MAX_VALUE));
        for (DashboardDefinition dashboard : visible) {
            JsonArrayBuilder widgets = Jsons.PROVIDER.createArrayBuilder();
            dashboard.widgets().forEach(w -> widgets.add(Jsons.PROVIDER.createObjectBuilder().add("name", w.name())
                    .add("label", JsonMapping.text(w.label())).add("show", w.chart().yamlName()).add("width", w.width())));
            JsonObjectBuilder item = Jsons.PROVIDER.createObjectBuilder().add("name", dashboard.name())
                    .add("label", JsonMapping.text(dashboard.label())).add("pinned", pinned.contains(dashboard.name()))
                    .add("widgets", widgets);
            if (dashboard.description() != null) {
                item.add("description", JsonMapping.text(dashboard.description()));
            }
            dashboards.add(item);
        }
        return dashboards.build();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "The figures of every widget of a dashboard", description = "Widgets the caller may not see "
            + "are marked hidden; a widget whose figures cannot be computed is marked failed.")
    public JsonObject dashboard(@PathParam("name") String name) {
        Actor actor = platform.currentActor();
        DashboardDefinition dashboard = find(actor, name);
        List<WidgetFigures> figures = platform.dashboards().figuresOrNull(platform.dashboardViewer(actor), dashboard);
        JsonArrayBuilder widgets = Jsons.PROVIDER.createArrayBuilder();
        for (int w = 0; w < figures.size(); w++) {
            widgets.add(figures.get(w) == null ? Jsons.PROVIDER.createObjectBuilder()
                    .add("widget", dashboard.widgets().get(w).name()).add("failed", true).build() : json(figures.get(w)));
        }
        return Jsons.PROVIDER.createObjectBuilder().add("name", dashboard.name())
                .add("label", JsonMapping.text(dashboard.label())).add("widgets", widgets).build();
    }

    @GET
    @Path("{name}/widgets/{widget}")
    @Operation(summary = "The figures of one widget")
    public JsonObject widget(@PathParam("name") String name, @PathParam("widget") String widget) {
        Actor actor = platform.currentActor();
        return json(platform.dashboards().figures(platform.dashboardViewer(actor), widget(find(actor, name), widget)));
    }

    @GET
    @Path("{name}/widgets/{widget}/csv")
    @Produces("text/csv")
    @Operation(summary = "The figures of one widget as CSV", description = "A row per group of the first key, a column "
            + "per value of the second; labels in the caller's language, numbers plain (a dot before decimals).")
    public Response csv(@PathParam("name") String name, @PathParam("widget") String widgetName) {
        Actor actor = platform.currentActor();
        Widget widget = widget(find(actor, name), widgetName);
        WidgetFigures figures = platform.dashboards().figures(platform.dashboardViewer(actor), widget);
        if (figures.hidden()) {
            throw new NotFoundException("The widget '" + widgetName + "' shows figures you may not see");
        }
        StreamingOutput body = output -> {
            Writer writer = new OutputStreamWriter(output, StandardCharsets.UTF_8);
            try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180)) {
                String label = widget.label().in(actor.language());
                if (figures.categories().isEmpty()) {
                    csv.printRecord(label);
                    csv.printRecord(plain(figures.total().value()));
                } else {
                    List<String> header = new ArrayList<>();
                    header.add(keyLabel(widget, actor.language()));
                    figures.series().forEach(s -> header.add(s.label().isEmpty() ? label : s.label()));
                    csv.printRecord(header);
                    for (int c = 0; c < figures.categories().size(); c++) {
                        List<String> row = new ArrayList<>();
                        row.add(figures.categories().get(c).label());
                        for (WidgetFigures.Series series : figures.series()) {
                            row.add(plain(series.cells().get(c).value()));
                        }
                        csv.printRecord(row);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "-" + widgetName + ".csv\"").build();
    }

    @PUT
    @Path("{name}/pin")
    @Operation(summary = "Pin the dashboard", description = "Pinned dashboards come first, in the order pinned.")
    public Response pin(@PathParam("name") String name) {
        Actor actor = platform.currentActor();
        platform.dashboardPins().pin(actor.userId(), find(actor, name).name());
        return Response.noContent().build();
    }

    @DELETE
    @Path("{name}/pin")
    @Operation(summary = "Unpin the dashboard")
    public Response unpin(@PathParam("name") String name) {
        Actor actor = platform.currentActor();
        platform.dashboardPins().unpin(actor.userId(), find(actor, name).name());
        return Response.noContent().build();
    }

    /** What the rows of a widget's table are: the label of its first key (the phase, the owner, the month). */
    private String keyLabel(Widget widget, String language) {
        if (widget.figure() instanceof io.relata.api.dashboard.RecordFigure figure && !figure.by().isEmpty()) {
            String field = figure.by().get(0).field();
            return switch (field) {
                case "owner_user" -> io.relata.api.model.LocalizedText.of("Verantwortlich", "Owner").in(language);
                case "owner_team" -> io.relata.api.model.LocalizedText.of("Team", "Team").in(language);
                case "created_at" -> io.relata.api.model.LocalizedText.of("Angelegt", "Created").in(language);
                case "updated_at" -> io.relata.api.model.LocalizedText.of("Geändert", "Updated").in(language);
                default -> platform.model().entity(figure.entity()).flatMap(e -> e.field(field))
                        .map(f -> f.label().in(language)).orElse(field);
            };
        }
        return io.relata.api.model.LocalizedText.of("Gruppe", "Group").in(language);
    }

    private AccessPolicy access(Actor actor) {
        return platform.access(actor);
    }

    private DashboardDefinition find(Actor actor, String name) {
        return platform.dashboards().find(access(actor), name)
                .orElseThrow(() -> new NotFoundException("There is no dashboard '" + name + "' for you"));
    }

    private static Widget widget(DashboardDefinition dashboard, String name) {
        return dashboard.widget(name).orElseThrow(() -> new NotFoundException("The dashboard '" + dashboard.name()
                + "' has no widget '" + name + "'"));
    }

    private static JsonObject json(WidgetFigures figures) {
        JsonObjectBuilder json = Jsons.PROVIDER.createObjectBuilder().add("widget", figures.widget().name())
                .add("show", figures.widget().chart().yamlName()).add("hidden", figures.hidden());
        if (figures.hidden()) {
            return json.build();
        }
        if (figures.entity() != null) {
            json.add("entity", figures.entity());
        }
        json.add("unit", figures.unit().name().toLowerCase(java.util.Locale.ROOT));
        JsonArrayBuilder categories = Jsons.PROVIDER.createArrayBuilder();
        figures.categories().forEach(c -> categories.add(Jsons.PROVIDER.createObjectBuilder()
                .add("key", JsonMapping.toJson(key(c.key()))).add("label", c.label())));
        JsonArrayBuilder series = Jsons.PROVIDER.createArrayBuilder();
        for (WidgetFigures.Series s : figures.series()) {
            JsonArrayBuilder cells = Jsons.PROVIDER.createArrayBuilder();
            s.cells().forEach(cell -> cells.add(cell(cell)));
            series.add(Jsons.PROVIDER.createObjectBuilder().add("key", JsonMapping.toJson(key(s.key())))
                    .add("label", s.label()).add("cells", cells));
        }
        json.add("categories", categories).add("series", series);
        if (figures.total() != null) {
            json.add("total", cell(figures.total()));
        }
        if (figures.previous() != null) {
            json.add("previous", cell(figures.previous()));
        }
        return json.build();
    }

    private static JsonObject cell(WidgetFigures.Cell cell) {
        JsonObjectBuilder json = Jsons.PROVIDER.createObjectBuilder().add("value", JsonMapping.toJson(cell.value()));
        if (cell.drillDown() != null) {
            JsonArrayBuilder filters = Jsons.PROVIDER.createArrayBuilder();
            for (Filter filter : cell.drillDown()) {
                filters.add(FilterParameters.format(filter));
            }
            json.add("filters", filters);
        }
        return json.build();
    }

    private static Object key(Object key) {
        return key instanceof java.time.LocalDate date ? date.toString() : key;
    }

    private static String plain(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value);
    }
}
