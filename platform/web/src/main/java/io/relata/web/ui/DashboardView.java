package io.relata.web.ui;

import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.dashboard.Widget;
import io.relata.api.record.Filter;
import io.relata.runtime.Platform;
import io.relata.runtime.dashboard.Dashboards;
import io.relata.runtime.dashboard.WidgetFigures;
import io.relata.store.access.AccessPolicy;
import io.relata.api.record.FilterParameters;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * A dashboard page: the dashboards the user sees (pinned ones first), and the widgets of the chosen one as tiles,
 * charts and tables, each number a link to the records behind it (the list page with the same filters), each chart's
 * figures also as a table and as CSV. Figures are the viewer's ({@link Dashboards}).
 */
@Named
@ViewScoped
public class DashboardView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    private String name;
    private transient List<Tile> tiles;
    /** The user's pins, read once per view: the page asks for them per tab. */
    private transient List<String> pins;

    @PostConstruct
    void init() {
        String given = Pages.parameter("name");
        List<DashboardDefinition> visible = getDashboards();
        name = visible.stream().map(DashboardDefinition::name).filter(n -> n.equals(given)).findFirst()
                .orElse(visible.isEmpty() ? null : visible.get(0).name());
    }

    private AccessPolicy access() {
        return platform.access(me.actor());
    }

    /** The dashboards the user sees: pinned ones first, in the order they pinned them, then the others. */
    public List<DashboardDefinition> getDashboards() {
        List<DashboardDefinition> visible = platform.dashboards().visibleTo(access());
        List<String> pinned = pins();
        List<DashboardDefinition> ordered = new ArrayList<>();
        pinned.forEach(p -> visible.stream().filter(d -> d.name().equals(p)).findFirst().ifPresent(ordered::add));
        visible.stream().filter(d -> !ordered.contains(d)).forEach(ordered::add);
        return ordered;
    }

    public boolean isAvailable() {
        return name != null;
    }

    public String getName() {
        return name;
    }

    public DashboardDefinition getDashboard() {
        return name == null ? null : platform.dashboards().find(access(), name).orElse(null);
    }

    public String label(DashboardDefinition dashboard) {
        return dashboard.label().in(ui.locale().getLanguage());
    }

    public String getDescription() {
        DashboardDefinition dashboard = getDashboard();
        return dashboard == null || dashboard.description() == null ? "" : dashboard.description().in(ui.locale().getLanguage());
    }

    private List<String> pins() {
        if (pins == null) {
            pins = platform.dashboardPins().pinned(me.actor().userId());
        }
        return pins;
    }

    public boolean isPinned() {
        return name != null && pins().contains(name);
    }

    public boolean pinned(DashboardDefinition dashboard) {
        return pins().contains(dashboard.name());
    }

    public String togglePin() {
        if (name != null) {
            if (isPinned()) {
                platform.dashboardPins().unpin(me.actor().userId(), name);
            } else {
                platform.dashboardPins().pin(me.actor().userId(), name);
            }
            pins = null;
        }
        return "/dashboard.xhtml?faces-redirect=true&name=" + name;
    }

    /** The widgets, computed once per view. */
    public List<Tile> getTiles() {
        if (tiles == null) {
            DashboardDefinition dashboard = getDashboard();
            tiles = new ArrayList<>();
            if (dashboard != null) {
                Dashboards.Viewer viewer = platform.dashboardViewer(me.actor().inLanguage(ui.locale().getLanguage()));
                List<WidgetFigures> figures = platform.dashboards().figuresOrNull(viewer, dashboard);
                for (int w = 0; w < dashboard.widgets().size(); w++) {
                    tiles.add(tile(dashboard.widgets().get(w), figures.get(w)));
                }
            }
        }
        return tiles;
    }

    /** One widget as the page shows it. */
    public record Tile(String name, String label, String state, int width, String chartJson, String linksJson,
                       Cell value, Cell previous, String change, boolean changeUp, List<String> columns,
                       List<Row> rows, Cell total, String csvLink) {
    }

    /** A row of a widget's table: the group's label and a cell per column. */
    public record Row(String label, List<Cell> cells) {
    }

    /** A formatted figure and the link to the records behind it (null: none). */
    public record Cell(String text, String link) {
    }

    private Tile tile(Widget widget, WidgetFigures figures) {
        String language = ui.locale().getLanguage();
        String label = widget.label().in(language);
        if (figures == null || figures.hidden()) {
            return new Tile(widget.name(), label, figures == null ? "failed" : "hidden", widget.width(), null, null, null,
                    null, null, false, List.of(), List.of(), null, null);
        }
        String csv = Pages.contextPath() + "/api/v1/dashboards/" + name + "/widgets/" + widget.name() + "/csv";
        if (widget.chart() == Widget.Chart.KPI) {
            Cell value = cell(figures, figures.total());
            Cell previous = figures.previous() == null ? null : cell(figures, figures.previous());
            String change = null;
            boolean up = true;
            if (figures.previous() != null) {
                BigDecimal now = ChartConfig.number(figures.total().value());
                BigDecimal before = ChartConfig.number(figures.previous().value());
                now = now == null ? BigDecimal.ZERO : now;
                if (before != null && before.signum() != 0) {
                    BigDecimal percent = now.subtract(before).multiply(BigDecimal.valueOf(100))
                            .divide(before.abs(), 0, RoundingMode.HALF_UP);
                    up = percent.signum() >= 0;
                    change = (percent.signum() > 0 ? "+" : percent.signum() < 0 ? "−" : "±") + percent.abs() + " %";
                }
            }
            return new Tile(widget.name(), label, "kpi", widget.width(), null, null, value, previous, change, up,
                    List.of(), List.of(), null, csv);
        }
        List<String> columns = figures.series().stream().map(s -> s.label().isEmpty() ? label : s.label()).toList();
        List<Row> rows = new ArrayList<>();
        List<List<String>> links = new ArrayList<>();
        figures.series().forEach(s -> links.add(new ArrayList<>()));
        for (int c = 0; c < figures.categories().size(); c++) {
            List<Cell> cells = new ArrayList<>();
            for (int s = 0; s < figures.series().size(); s++) {
                Cell cell = cell(figures, figures.series().get(s).cells().get(c));
                cells.add(cell);
                links.get(s).add(cell.link());
            }
            rows.add(new Row(figures.categories().get(c).label(), cells));
        }
        boolean empty = figures.series().stream().flatMap(s -> s.cells().stream())
                .map(c -> ChartConfig.number(c.value())).allMatch(n -> n == null || n.signum() == 0);
        boolean chart = widget.chart() != Widget.Chart.TABLE && !empty;
        return new Tile(widget.name(), label, empty ? "empty" : chart ? "chart" : "table", widget.width(),
                chart ? ChartConfig.of(figures, language) : null, chart ? ChartConfig.links(links) : null, null, null,
                null, false, columns, rows, figures.total() == null ? null : cell(figures, figures.total()), csv);
    }

    private Cell cell(WidgetFigures figures, WidgetFigures.Cell cell) {
        return new Cell(format(figures.unit(), cell.value()), cell.drillDown() == null || figures.entity() == null ? null
                : link(figures.entity(), cell.drillDown()));
    }

    static String link(String entity, List<Filter> filters) {
        StringBuilder url = new StringBuilder(Pages.contextPath()).append("/list.xhtml?entity=").append(entity);
        for (Filter filter : filters) {
            url.append("&filter=").append(URLEncoder.encode(FilterParameters.format(filter), StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    private String format(WidgetFigures.Unit unit, Object value) {
        if (value == null) {
            return unit == WidgetFigures.Unit.COUNT ? "0" : "–";
        }
        NumberFormat numbers = NumberFormat.getNumberInstance(ui.locale());
        return switch (unit) {
            case COUNT, INTEGER -> numbers.format(ChartConfig.number(value));
            case MONEY -> {
                numbers.setMaximumFractionDigits(0);
                yield numbers.format(ChartConfig.number(value));
            }
            case SHARE -> {
                NumberFormat percent = NumberFormat.getPercentInstance(ui.locale());
                percent.setMaximumFractionDigits(1);
                yield percent.format(ChartConfig.number(value));
            }
            case DAYS -> {
                numbers.setMaximumFractionDigits(1);
                yield numbers.format(ChartConfig.number(value)) + " " + ui.message("dashboard.days");
            }
            case DATE -> ((LocalDate) value).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(ui.locale()));
            case DATE_TIME -> ui.timestamp((OffsetDateTime) value);
            case DECIMAL -> {
                numbers.setMaximumFractionDigits(2);
                yield numbers.format(ChartConfig.number(value));
            }
        };
    }

    /** "3 of 12 columns" as the tile's grid class. */
    public String widthClass(Tile tile) {
        return "span-" + tile.width();
    }
}
