package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.dashboard.Condition;
import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.dashboard.Figure;
import io.relata.api.dashboard.ProcessFigure;
import io.relata.api.dashboard.RecordFigure;
import io.relata.api.dashboard.Widget;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.DateWindow;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.RelativePeriod;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.Aggregate;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dashboards ({@code dashboards/<name>.yaml}): pass 1 checks a file on its own (name versus file name, widget names,
 * which keys a figure over records or over a process takes, which charts fit its keys) and builds its
 * {@link DashboardDefinition}; pass 2 ({@link #resolve}) checks entities, processes, roles, fields, options and
 * measures against the model.
 */
final class DashboardChecks {

    /** A dashboard built in pass 1, with its document for positions. */
    record ParsedDashboard(YamlDocument document, DashboardDefinition definition) {
    }

    static final int KPI_WIDTH = 3;
    static final int CHART_WIDTH = 6;

    /** Aliases of the system columns in {@code by} and {@code where}. */
    static final Map<String, String> KEY_ALIASES = Map.of("owner", "owner_user", "team", "owner_team");
    /** System columns a figure may name besides the entity's fields. */
    private static final Map<String, FieldType> SYSTEM_FIELDS = Map.of("owner_user", FieldType.INTEGER,
            "owner_team", FieldType.INTEGER, "created_at", FieldType.DATE_TIME, "updated_at", FieldType.DATE_TIME,
            "id", FieldType.INTEGER);

    private static final Set<String> PROCESS_MEASURES = Set.of("cases_started", "conversion", "cycle_time",
            "time_in_phase", "outcomes");
    private static final Set<String> RECORD_ONLY_KEYS = Set.of("entity", "field", "by", "where", "records", "compare",
            "top");
    /** The charts each process measure can be shown as. */
    private static final Map<ProcessFigure.Measure, Set<Widget.Chart>> PROCESS_CHARTS = Map.of(
            ProcessFigure.Measure.CASES_STARTED, EnumSet.of(Widget.Chart.KPI, Widget.Chart.BAR, Widget.Chart.LINE,
                    Widget.Chart.TABLE),
            ProcessFigure.Measure.CONVERSION, EnumSet.of(Widget.Chart.KPI, Widget.Chart.FUNNEL, Widget.Chart.BAR,
                    Widget.Chart.TABLE),
            ProcessFigure.Measure.CYCLE_TIME, EnumSet.of(Widget.Chart.KPI, Widget.Chart.TABLE),
            ProcessFigure.Measure.TIME_IN_PHASE, EnumSet.of(Widget.Chart.BAR, Widget.Chart.TABLE),
            ProcessFigure.Measure.OUTCOMES, EnumSet.of(Widget.Chart.PIE, Widget.Chart.DONUT, Widget.Chart.BAR,
                    Widget.Chart.TABLE));

    private DashboardChecks() {
    }

    // ---- pass 1 ----

    static void check(YamlDocument document, Problems problems) {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        JsonNode name = root.path("name");
        String expected = document.file().baseName();
        if (name.isTextual() && !name.asText().equals(expected)) {
            problems.add(document.fileName(), document.at(YamlDocument.pointer("name")).value(),
                    ProblemCode.DASHBOARD_NAME_MISMATCH, "The dashboard is named " + q(name.asText())
                            + " but its file is " + q(expected + ".yaml") + ".",
                    "set 'name: " + expected + "' or rename the file to " + q(name.asText() + ".yaml") + ".");
        }
        Set<String> names = new HashSet<>();
        JsonNode widgets = root.path("widgets");
        for (int w = 0; w < widgets.size(); w++) {
            JsonNode widget = widgets.get(w);
            String widgetName = widget.path("name").asText();
            if (!names.add(widgetName)) {
                add(document, problems, at(w, "name"), "The widget name " + q(widgetName)
                        + " is used twice in this dashboard.", "give each widget its own name.");
            }
            checkWidget(document, widget, w, problems);
        }
    }

    private static void checkWidget(YamlDocument document, JsonNode widget, int w, Problems problems) {
        String name = widget.path("name").asText();
        boolean entity = widget.has("entity");
        boolean process = widget.has("process");
        if (entity == process) {
            add(document, problems, at(w, null), "The widget " + q(name) + (entity ? " names both an entity and a process."
                    : " names neither an entity nor a process to measure."),
                    "give 'entity: <entity>' for a figure over records, or 'process: <process>' for a process figure.");
            return;
        }
        String measure = widget.path("measure").asText();
        String show = widget.path("show").asText();
        if (process) {
            checkProcessWidget(document, widget, w, name, measure, show, problems);
            return;
        }
        if (PROCESS_MEASURES.contains(measure)) {
            add(document, problems, at(w, "measure"), "The measure " + q(measure) + " is a process figure, but the widget "
                    + q(name) + " measures records of an entity.", "use count, count_distinct, sum, average, min or max, "
                    + "or name a 'process' instead of the 'entity'.");
            return;
        }
        if (!widget.has("field") && !"count".equals(measure)) {
            add(document, problems, at(w, "measure"), "The measure " + q(measure) + " of the widget " + q(name)
                    + " needs a 'field' to work on.", "add 'field: <field of " + widget.path("entity").asText() + ">'.");
        }
        if (widget.path("period").isTextual()) {
            add(document, problems, at(w, "period"), "The widget " + q(name) + " measures records: its period needs the "
                    + "date field it applies to.", "write 'period: {field: <date field>, range: "
                    + widget.path("period").asText() + "}'.");
        }
        List<JsonNode> by = byNodes(widget.path("by"));
        int keys = by.size();
        switch (show) {
            case "kpi" -> {
                if (keys > 0) {
                    add(document, problems, at(w, "by"), "A kpi shows one number: the widget " + q(name)
                            + " cannot group it by anything.", "remove 'by', or show it as bar, table or another chart.");
                }
            }
            case "pie", "donut", "funnel" -> {
                if (keys != 1) {
                    add(document, problems, at(w, keys == 0 ? null : "by"), "A " + show + " needs exactly one key in 'by'; "
                            + "the widget " + q(name) + " has " + keys + ".", keys == 0 ? "add 'by: <field>'."
                            : "keep one key, or show it as stacked_bar or table.");
                }
            }
            case "stacked_bar" -> {
                if (keys != 2) {
                    add(document, problems, at(w, keys == 0 ? null : "by"), "A stacked_bar needs two keys in 'by' (the bars, "
                            + "then the stacks); the widget " + q(name) + " has " + keys + ".",
                            "write 'by: [<bars>, <stacks>]', or show it as bar.");
                }
            }
            case "line" -> {
                if (keys == 0 || !by.get(0).has("per")) {
                    add(document, problems, at(w, keys == 0 ? null : "by"), "A line runs over periods: the first key of "
                            + "the widget " + q(name) + " must be a date per day, week, month, quarter or year.",
                            "write 'by: {field: <date field>, per: month}', or show it as bar.");
                }
            }
            case "bar", "table" -> {
                if (keys == 0) {
                    add(document, problems, at(w, null), "A " + show + " compares groups: the widget " + q(name)
                            + " has no 'by'.", "add 'by: <field>', or show one number as kpi.");
                }
            }
            default -> {
                // the schema has said which charts there are
            }
        }
        if (widget.has("compare") && (!"kpi".equals(show) || !widget.has("period"))) {
            add(document, problems, at(w, "compare"), "The widget " + q(name) + " compares with the previous period, which "
                    + "only a kpi with a 'period' does.", "remove 'compare', or show a kpi with 'period: {field: …, range: …}'.");
        }
        if (widget.has("top") && keys == 0) {
            add(document, problems, at(w, "top"), "The widget " + q(name) + " keeps the top groups but has no groups.",
                    "remove 'top', or add 'by'.");
        }
    }

    private static void checkProcessWidget(YamlDocument document, JsonNode widget, int w, String name, String measure,
                                           String show, Problems problems) {
        for (String key : RECORD_ONLY_KEYS) {
            if (widget.has(key) && !key.equals("entity")) {
                add(document, problems, at(w, key), "The widget " + q(name) + " is a process figure: it takes no "
                        + q(key) + ".", "remove it; a process figure takes process, measure and period.");
            }
        }
        if (!PROCESS_MEASURES.contains(measure)) {
            add(document, problems, at(w, "measure"), "The measure " + q(measure) + " measures records, but the widget "
                    + q(name) + " is about a process.", "use one of: " + String.join(", ", new TreeSet<>(PROCESS_MEASURES))
                    + ", or name an 'entity' instead of the 'process'.");
            return;
        }
        if (!widget.has("period") || !widget.path("period").isTextual()) {
            add(document, problems, at(w, widget.has("period") ? "period" : null), "The process figure " + q(name)
                    + " needs the period of its cases, such as 'period: this_quarter'.",
                    "add 'period: <relative period>' (this_month, last_90_days, …).");
        }
        ProcessFigure.Measure processMeasure = ProcessFigure.Measure.valueOf(measure.toUpperCase(Locale.ROOT));
        Set<Widget.Chart> charts = PROCESS_CHARTS.get(processMeasure);
        Widget.Chart chart = chart(show);
        if (chart != null && !charts.contains(chart)) {
            add(document, problems, at(w, "show"), "The process figure " + q(measure) + " cannot be shown as " + show + ".",
                    "show it as one of: " + String.join(", ", charts.stream().map(Widget.Chart::yamlName).toList()) + ".");
        }
    }

    private static Widget.Chart chart(String show) {
        try {
            return Widget.Chart.valueOf(show.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static DashboardDefinition build(YamlDocument document) {
        JsonNode root = document.root();
        List<Widget> widgets = new ArrayList<>();
        JsonNode nodes = root.path("widgets");
        for (int w = 0; w < nodes.size(); w++) {
            JsonNode node = nodes.get(w);
            Widget.Chart chart = Widget.Chart.valueOf(node.path("show").asText().toUpperCase(Locale.ROOT));
            int width = node.path("width").asInt(chart == Widget.Chart.KPI ? KPI_WIDTH : CHART_WIDTH);
            widgets.add(new Widget(node.path("name").asText(), EntityBuilder.text(node.path("label")), chart, width,
                    figure(node), EntityBuilder.location(document.fileName(), document.at(at(w, null)).value())));
        }
        return new DashboardDefinition(root.path("name").asText(), EntityBuilder.text(root.path("label")),
                root.has("description") ? EntityBuilder.text(root.path("description")) : null,
                texts(root.path("roles")), widgets,
                EntityBuilder.location(document.fileName(), document.at(YamlDocument.pointer("name")).value()));
    }

    private static Figure figure(JsonNode node) {
        String measure = node.path("measure").asText().toUpperCase(Locale.ROOT);
        if (node.has("process")) {
            return new ProcessFigure(node.path("process").asText(), ProcessFigure.Measure.valueOf(measure),
                    RelativePeriod.valueOf(node.path("period").asText().toUpperCase(Locale.ROOT)));
        }
        List<Grouping.Key> by = new ArrayList<>();
        for (JsonNode key : byNodes(node.path("by"))) {
            by.add(key.isTextual() ? Grouping.Key.of(systemName(key.asText()))
                    : new Grouping.Key(systemName(key.path("field").asText()),
                    Grouping.Period.valueOf(key.path("per").asText().toUpperCase(Locale.ROOT))));
        }
        JsonNode period = node.path("period");
        DateWindow window = period.isObject() ? new DateWindow(
                systemName(period.path("field").asText()),
                RelativePeriod.valueOf(period.path("range").asText().toUpperCase(Locale.ROOT))) : null;
        return new RecordFigure(node.path("entity").asText(),
                new Grouping.Measure(Aggregate.valueOf(measure), node.has("field") ? node.path("field").asText() : null),
                by, conditions(node.path("where")), window,
                RecordFigure.Records.valueOf(node.path("records").asText("all").toUpperCase(Locale.ROOT)),
                node.has("compare"), node.path("top").asInt(0));
    }

    /** {@code owner} and {@code team} as the system columns they stand for; other names as written. */
    static String systemName(String name) {
        return KEY_ALIASES.getOrDefault(name, name);
    }

    private static List<JsonNode> byNodes(JsonNode by) {
        List<JsonNode> keys = new ArrayList<>();
        if (by.isArray()) {
            by.forEach(keys::add);
        } else if (!by.isMissingNode() && !by.isNull()) {
            keys.add(by);
        }
        return keys;
    }

    /** The conditions of a {@code where}: one per value form, one per comparison of an object. */
    private static List<Condition> conditions(JsonNode where) {
        List<Condition> conditions = new ArrayList<>();
        for (var it = where.fields(); it.hasNext(); ) {
            var entry = it.next();
            String field = systemName(entry.getKey());
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                List<String> values = new ArrayList<>();
                value.forEach(v -> values.add(v.asText()));
                conditions.add(new Condition(field, FilterOperator.IN, values));
            } else if (value.isObject()) {
                for (var ops = value.fields(); ops.hasNext(); ) {
                    var op = ops.next();
                    if (op.getKey().equals("empty")) {
                        conditions.add(new Condition(field, op.getValue().asBoolean() ? FilterOperator.IS_NULL
                                : FilterOperator.IS_NOT_NULL, List.of()));
                    } else {
                        conditions.add(new Condition(field, switch (op.getKey()) {
                            case "gt" -> FilterOperator.GT;
                            case "gte" -> FilterOperator.GE;
                            case "lt" -> FilterOperator.LT;
                            case "lte" -> FilterOperator.LE;
                            default -> FilterOperator.NE;
                        }, List.of(op.getValue().asText())));
                    }
                }
            } else {
                conditions.add(new Condition(field, FilterOperator.EQ, List.of(value.asText())));
            }
        }
        return conditions;
    }

    // ---- pass 2 ----

    /**
     * The dashboards by name, in file order; problems for entities, processes, roles, fields, options and measures
     * that do not exist or do not fit (a broken entity or role file counts as existing, so that its typo is not
     * reported again).
     */
    static Map<String, DashboardDefinition> resolve(List<ParsedDashboard> dashboards, Map<String, EntityDefinition> entities,
                                                    Set<String> brokenEntities, Map<String, ProcessDefinition> processes,
                                                    Set<String> brokenProcessEntities, Set<String> knownRoles,
                                                    Problems problems) {
        Map<String, DashboardDefinition> result = new LinkedHashMap<>();
        for (ParsedDashboard parsed : dashboards) {
            YamlDocument document = parsed.document();
            DashboardDefinition dashboard = parsed.definition();
            JsonNode roles = document.root().path("roles");
            for (int r = 0; r < roles.size(); r++) {
                String role = roles.get(r).asText();
                if (!knownRoles.contains(role)) {
                    add(document, problems, YamlDocument.pointer("roles", r), "There is no role " + q(role) + ".",
                            Suggestions.didYouMean(role, knownRoles) + "use one of: " + String.join(", ", knownRoles) + ".");
                }
            }
            for (int w = 0; w < dashboard.widgets().size(); w++) {
                Widget widget = dashboard.widgets().get(w);
                if (widget.figure() instanceof RecordFigure figure) {
                    new RecordFigureResolver(document, w, entities, brokenEntities, problems).resolve(widget, figure);
                } else if (widget.figure() instanceof ProcessFigure figure && !processes.containsKey(figure.process())
                        && brokenProcessEntities.isEmpty()) {
                    add(document, problems, at(w, "process"), "There is no process " + q(figure.process()) + ".",
                            Suggestions.didYouMean(figure.process(), processes.keySet()) + "use one of: "
                                    + String.join(", ", processes.keySet()) + ".");
                }
            }
            result.put(dashboard.name(), dashboard);
        }
        return result;
    }

    /** Pass 2 for one widget over records. */
    private record RecordFigureResolver(YamlDocument document, int w, Map<String, EntityDefinition> entities,
                                        Set<String> brokenEntities, Problems problems) {

        void resolve(Widget widget, RecordFigure figure) {
            EntityDefinition entity = entities.get(figure.entity());
            if (entity == null) {
                if (!brokenEntities.contains(figure.entity())) {
                    add(document, problems, at(w, "entity"), "There is no entity " + q(figure.entity())
                            + " whose records the widget " + q(widget.name()) + " could measure.",
                            Suggestions.didYouMean(figure.entity(), entities.keySet()) + "name an entity of any layer.");
                }
                return;
            }
            Grouping.Measure measure = figure.measure();
            if (measure.field() != null) {
                type(entity, measure.field(), at(w, "field")).filter(type -> !measure.aggregate().accepts(type))
                        .ifPresent(type -> add(document, problems, at(w, "measure"), "The measure "
                                + q(measure.aggregate().name().toLowerCase(Locale.ROOT)) + " does not work on the field "
                                + q(measure.field()) + " of type " + type.yamlName() + ".", measure.aggregate() == Aggregate.SUM
                                || measure.aggregate() == Aggregate.AVERAGE ? "use count, or a field of type integer, decimal or money."
                                : "use count, or a number, money or date field."));
            }
            JsonNode byNode = document.root().at(at(w, "by"));
            for (int k = 0; k < figure.by().size(); k++) {
                Grouping.Key key = figure.by().get(k);
                String keyAt = at(w, "by") + (byNode.isArray() ? "/" + k : "") + (key.period() == Grouping.Period.NONE ? "" : "/field");
                Optional<FieldType> type = type(entity, key.field(), keyAt);
                boolean dated = type.filter(t -> t == FieldType.DATE || t == FieldType.DATE_TIME).isPresent();
                if (type.isPresent() && key.period() != Grouping.Period.NONE && !dated) {
                    add(document, problems, keyAt, "The field " + q(key.field()) + " is a " + type.get().yamlName()
                            + ", not a date: it has no " + key.period().name().toLowerCase(Locale.ROOT) + ".",
                            "name a date or date-time field, or group by the field itself without 'per'.");
                } else if (type.isPresent() && key.period() == Grouping.Period.NONE
                        && (type.get() == FieldType.MULTI_CHOICE || type.get() == FieldType.LONG_TEXT)) {
                    add(document, problems, keyAt, "Figures cannot be grouped by the " + type.get().yamlName() + " field "
                            + q(key.field()) + ".", "group by a choice, reference, yes/no, text or date field.");
                } else if (type.isPresent() && dated && key.period() == Grouping.Period.NONE) {
                    add(document, problems, keyAt, "The date field " + q(key.field()) + " is grouped by its exact value.",
                            "write '{field: " + key.field() + ", per: month}' (or day, week, quarter, year).");
                }
                if (k == 0 && widget.chart() == Widget.Chart.FUNNEL && type.isPresent() && type.get() != FieldType.CHOICE) {
                    add(document, problems, keyAt, "A funnel shows the options of a choice in their order (the phases of a "
                            + "pipeline); " + q(key.field()) + " is a " + type.get().yamlName() + ".",
                            "group the funnel by a choice field such as the phase.");
                }
            }
            JsonNode where = document.root().at(at(w, "where"));
            Set<String> checked = new HashSet<>();
            for (Condition condition : figure.where()) {
                String written = written(where, condition.field());
                if (!checked.add(condition.field())) {
                    continue;
                }
                String conditionAt = at(w, "where") + "/" + written;
                Optional<FieldDefinition> field = entity.field(condition.field());
                if (field.isEmpty()) {
                    type(entity, condition.field(), conditionAt);
                    continue;
                }
                if (field.get().type() == FieldType.CHOICE || field.get().type() == FieldType.MULTI_CHOICE) {
                    List<String> options = field.get().options().stream().map(ChoiceOption::value).toList();
                    figure.where().stream().filter(c -> c.field().equals(condition.field()))
                            .flatMap(c -> c.values().stream()).filter(v -> !options.contains(v)).distinct()
                            .forEach(value -> add(document, problems, conditionAt, "The field " + q(field.get().name())
                                    + " has no option " + q(value) + ".", Suggestions.didYouMean(value, options)
                                    + "use one of: " + String.join(", ", options) + "."));
                }
            }
            if (figure.window() != null) {
                type(entity, figure.window().field(), at(w, "period") + "/field")
                        .filter(t -> t != FieldType.DATE && t != FieldType.DATE_TIME)
                        .ifPresent(t -> add(document, problems, at(w, "period") + "/field", "The field "
                                + q(figure.window().field()) + " is a " + t.yamlName() + ", not a date: it cannot place "
                                + "records in a period.", "name a date or date-time field (or created_at)."));
            }
        }

        /** The type of a field or system column, or empty with a problem at {@code pointer}. */
        private Optional<FieldType> type(EntityDefinition entity, String name, String pointer) {
            Optional<FieldDefinition> field = entity.field(name);
            if (field.isPresent()) {
                return Optional.of(field.get().type());
            }
            if (SYSTEM_FIELDS.containsKey(name)) {
                return Optional.of(SYSTEM_FIELDS.get(name));
            }
            List<String> fields = new ArrayList<>(entity.fields().stream().map(FieldDefinition::name).toList());
            fields.addAll(List.of("owner", "team", "created_at", "updated_at"));
            add(document, problems, pointer, "The entity " + q(entity.name()) + " has no field " + q(name) + ".",
                    Suggestions.didYouMean(name, fields) + "use one of: " + String.join(", ", fields) + ".");
            return Optional.empty();
        }

        /** The key as written in {@code where} ({@code owner} for {@code owner_user}). */
        private static String written(JsonNode where, String field) {
            if (where.has(field)) {
                return field;
            }
            return KEY_ALIASES.entrySet().stream().filter(e -> e.getValue().equals(field) && where.has(e.getKey()))
                    .map(Map.Entry::getKey).findFirst().orElse(field);
        }
    }

    // ---- helpers ----

    /** The pointer to widget {@code w}, or to one of its keys. */
    private static String at(int w, String key) {
        return key == null ? YamlDocument.pointer("widgets", w) : YamlDocument.pointer("widgets", w, key);
    }

    private static void add(YamlDocument document, Problems problems, String pointer, String message, String fix) {
        YamlDocument.Located at = document.at(pointer);
        problems.add(document.fileName(), at.value() != null ? at.value() : at.entry(), ProblemCode.DASHBOARD_INVALID,
                message, fix);
    }

    private static List<String> texts(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.asText()));
        return values;
    }
}
