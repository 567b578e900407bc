package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.CustomerView;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.RelatedPath;
import io.relata.api.model.ViewPanel;
import io.relata.api.record.Aggregate;
import io.relata.api.record.Sort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Customer views ({@code views/<entity>.yaml}): pass 1 checks a file on its own (entity versus file name, panel and
 * figure names, which keys each kind of panel takes) and builds its {@link CustomerView}; pass 2 ({@link #resolve})
 * checks entity, roles, fields, related paths, conditions and measures against the model. A later layer's file for
 * an entity replaces an earlier one's.
 */
final class ViewChecks {

    /** A view built in pass 1, with its document for positions. */
    record ParsedView(YamlDocument document, CustomerView definition) {
    }

    static final int DEFAULT_RELATED_LIMIT = 10;
    static final int DEFAULT_TIMELINE_LIMIT = 30;

    /** The keys each kind of panel takes besides name, kind, label and roles. */
    private static final Map<String, Set<String>> KEYS_OF_KIND = Map.of(
            "facts", Set.of("fields"),
            "kpis", Set.of("kpis"),
            "related", Set.of("list", "columns", "where", "sort", "limit"),
            "timeline", Set.of("sources", "limit"),
            "plugins", Set.of());
    private static final Map<String, String> REQUIRED_OF_KIND = Map.of("facts", "fields", "kpis", "kpis", "related", "list");
    private static final Set<String> COMMON_KEYS = Set.of("name", "kind", "label", "roles");

    private ViewChecks() {
    }

    static void check(YamlDocument document, Problems problems) {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        JsonNode entity = root.path("entity");
        String expected = document.file().baseName();
        if (entity.isTextual() && !entity.asText().equals(expected)) {
            problems.add(document.fileName(), document.at(YamlDocument.pointer("entity")).value(),
                    ProblemCode.VIEW_NAME_MISMATCH, "The file is the view of the entity " + q(entity.asText())
                            + " but is named " + q(expected) + ".",
                    "set 'entity: " + expected + "' or rename the file to " + q(entity.asText() + ".yaml") + ".");
        }
        Set<String> names = new HashSet<>();
        JsonNode panels = root.path("panels");
        for (int p = 0; p < panels.size(); p++) {
            JsonNode panel = panels.get(p);
            String name = panel.path("name").asText();
            if (!names.add(name)) {
                add(document, problems, YamlDocument.pointer("panels", p, "name"), "The panel name " + q(name)
                        + " is used twice in this view.", "give each panel its own name.");
            }
            String kind = panel.path("kind").asText();
            Set<String> keys = KEYS_OF_KIND.get(kind);
            if (keys == null) {
                continue; // the schema has said which kinds there are
            }
            for (var it = panel.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!COMMON_KEYS.contains(key) && !keys.contains(key)) {
                    add(document, problems, YamlDocument.pointer("panels", p, key), "A panel of kind " + q(kind)
                            + " takes no " + q(key) + ".", keys.isEmpty() ? "remove it." : "remove it; this kind takes: "
                            + String.join(", ", new java.util.TreeSet<>(keys)) + ".");
                }
            }
            String required = REQUIRED_OF_KIND.get(kind);
            if (required != null && !panel.has(required)) {
                add(document, problems, YamlDocument.pointer("panels", p), "The panel " + q(name) + " of kind " + q(kind)
                        + " needs " + q(required) + ".", "add '" + required + ": ...' to it.");
            }
            checkKpis(document, panel.path("kpis"), p, problems);
        }
    }

    private static void checkKpis(YamlDocument document, JsonNode kpis, int p, Problems problems) {
        Set<String> names = new HashSet<>();
        kpis.forEach(kpi -> names.add(kpi.path("name").asText()));
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < kpis.size(); k++) {
            JsonNode kpi = kpis.get(k);
            String name = kpi.path("name").asText();
            if (!seen.add(name)) {
                add(document, problems, YamlDocument.pointer("panels", p, "kpis", k, "name"), "The figure name " + q(name)
                        + " is used twice in this panel.", "give each figure its own name.");
            }
            if (kpi.has("ratio")) {
                checkRatio(document, kpi, p, k, names, problems);
                continue;
            }
            boolean measure = kpi.has("measure");
            if (kpi.has("list") != measure) {
                add(document, problems, YamlDocument.pointer("panels", p, "kpis", k), "The figure " + q(name)
                        + (measure ? " has a measure but no 'list' of records to measure."
                        : " names a 'list' but no 'measure'."),
                        "give both 'measure' and 'list', or only 'field' for a field of the record itself.");
            } else if (!measure && !kpi.has("field")) {
                add(document, problems, YamlDocument.pointer("panels", p, "kpis", k), "The figure " + q(name)
                        + " names neither a field of the record nor a measure over a related list.",
                        "add 'field: <field of the record>', or 'measure', 'list' and 'field'.");
            } else if (measure && !kpi.has("field") && !"count".equals(kpi.path("measure").asText())) {
                add(document, problems, YamlDocument.pointer("panels", p, "kpis", k, "measure"), "The measure "
                        + q(kpi.path("measure").asText()) + " of the figure " + q(name) + " needs a 'field' to work on.",
                        "add 'field: <field of the related records>'.");
            }
            for (String key : List.of("where", "period")) {
                if (!measure && kpi.has(key)) {
                    add(document, problems, YamlDocument.pointer("panels", p, "kpis", k, key), "The figure " + q(name)
                            + " shows a field of the record: '" + key + "' has nothing to filter.", "remove '" + key + "'.");
                }
            }
        }
    }

    /** A ratio divides two other figures of the panel and takes nothing else. */
    private static void checkRatio(YamlDocument document, JsonNode kpi, int p, int k, Set<String> names,
                                   Problems problems) {
        String name = kpi.path("name").asText();
        for (String key : List.of("measure", "list", "field", "where", "period")) {
            if (kpi.has(key)) {
                add(document, problems, YamlDocument.pointer("panels", p, "kpis", k, key), "The figure " + q(name)
                        + " is a ratio of two figures: it takes no '" + key + "'.", "remove '" + key + "'.");
            }
        }
        for (String side : List.of("of", "to")) {
            String other = kpi.path("ratio").path(side).asText();
            if (other.equals(name) || !names.contains(other)) {
                List<String> candidates = names.stream().filter(n -> !n.equals(name)).sorted().toList();
                add(document, problems, YamlDocument.pointer("panels", p, "kpis", k, "ratio", side), "The ratio "
                        + q(name) + " divides " + (side.equals("of") ? "" : "by ") + q(other) + ", which is "
                        + (other.equals(name) ? "itself." : "no other figure of this panel."),
                        (other.equals(name) ? "" : Suggestions.didYouMean(other, candidates)) + "name one of: "
                                + String.join(", ", candidates) + ".");
            }
        }
    }

    static CustomerView build(YamlDocument document) {
        JsonNode root = document.root();
        List<ViewPanel> panels = new ArrayList<>();
        JsonNode nodes = root.path("panels");
        for (int p = 0; p < nodes.size(); p++) {
            JsonNode panel = nodes.get(p);
            String name = panel.path("name").asText();
            var label = EntityBuilder.text(panel.path("label"));
            List<String> roles = texts(panel.path("roles"));
            var location = EntityBuilder.location(document.fileName(), document.at(YamlDocument.pointer("panels", p)).value());
            switch (panel.path("kind").asText()) {
                case "facts" -> panels.add(new ViewPanel.Facts(name, label, roles, texts(panel.path("fields")), location));
                case "kpis" -> {
                    List<ViewPanel.Kpi> kpis = new ArrayList<>();
                    for (JsonNode kpi : panel.path("kpis")) {
                        JsonNode period = kpi.path("period");
                        JsonNode ratio = kpi.path("ratio");
                        kpis.add(new ViewPanel.Kpi(kpi.path("name").asText(), EntityBuilder.text(kpi.path("label")),
                                kpi.has("measure") ? Aggregate.valueOf(kpi.path("measure").asText().toUpperCase(Locale.ROOT)) : null,
                                textOrNull(kpi.path("list")), textOrNull(kpi.path("field")), where(kpi.path("where")),
                                period.isObject() ? new io.relata.api.model.DateWindow(period.path("field").asText(),
                                        io.relata.api.model.RelativePeriod.valueOf(period.path("range").asText()
                                                .toUpperCase(Locale.ROOT))) : null,
                                ratio.isObject() ? new ViewPanel.Ratio(ratio.path("of").asText(), ratio.path("to").asText())
                                        : null));
                    }
                    panels.add(new ViewPanel.Kpis(name, label, roles, kpis, location));
                }
                case "related" -> {
                    String sort = textOrNull(panel.path("sort"));
                    panels.add(new ViewPanel.Related(name, label, roles, panel.path("list").asText(),
                            texts(panel.path("columns")), where(panel.path("where")),
                            sort == null ? null : sort.startsWith("-") ? Sort.desc(sort.substring(1)) : Sort.asc(sort),
                            panel.path("limit").asInt(DEFAULT_RELATED_LIMIT), location));
                }
                case "timeline" -> {
                    List<ViewPanel.TimelineSource> sources = new ArrayList<>();
                    for (JsonNode source : panel.path("sources")) {
                        sources.add(source.isTextual() ? new ViewPanel.TimelineSource(source.asText(), null)
                                : new ViewPanel.TimelineSource(source.path("list").asText(), textOrNull(source.path("at"))));
                    }
                    panels.add(new ViewPanel.Timeline(name, label, roles, sources,
                            panel.path("limit").asInt(DEFAULT_TIMELINE_LIMIT), location));
                }
                default -> panels.add(new ViewPanel.Plugins(name, label, roles, location));
            }
        }
        return new CustomerView(root.path("entity").asText(), panels,
                EntityBuilder.location(document.fileName(), document.at(YamlDocument.pointer("entity")).value()));
    }

    /**
     * The views by entity, the last file of an entity winning; problems for entities, roles, fields, related paths,
     * condition values and measures that do not exist or do not fit (a broken entity or role file counts as
     * existing, so that its typo is not reported again).
     */
    static Map<String, CustomerView> resolve(List<ParsedView> views, Map<String, EntityDefinition> entities,
                                             Set<String> brokenEntities, Set<String> knownRoles, Problems problems) {
        Map<String, CustomerView> result = new LinkedHashMap<>();
        for (ParsedView parsed : views) {
            YamlDocument document = parsed.document();
            CustomerView view = parsed.definition();
            EntityDefinition entity = entities.get(view.entity());
            if (entity == null) {
                if (!brokenEntities.contains(view.entity())) {
                    add(document, problems, YamlDocument.pointer("entity"), "There is no entity " + q(view.entity())
                            + " whose records this view could show.", Suggestions.didYouMean(view.entity(), entities.keySet())
                            + "name an entity of any layer.");
                }
                continue;
            }
            Resolver resolver = new Resolver(document, entities, brokenEntities, problems);
            JsonNode panels = document.root().path("panels");
            for (int p = 0; p < view.panels().size(); p++) {
                ViewPanel panel = view.panels().get(p);
                JsonNode node = panels.get(p);
                JsonNode roles = node.path("roles");
                for (int r = 0; r < roles.size(); r++) {
                    String role = roles.get(r).asText();
                    if (!knownRoles.contains(role)) {
                        add(document, problems, YamlDocument.pointer("panels", p, "roles", r), "There is no role "
                                + q(role) + ".", Suggestions.didYouMean(role, knownRoles) + "use one of: "
                                + String.join(", ", knownRoles) + ".");
                    }
                }
                resolver.panel(entity, panel, p);
            }
            result.put(view.entity(), view);
        }
        return result;
    }

    /** Pass 2 for the panels of one view file. */
    private record Resolver(YamlDocument document, Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                            Problems problems) {

        void panel(EntityDefinition entity, ViewPanel panel, int p) {
            if (panel instanceof ViewPanel.Facts facts) {
                for (int f = 0; f < facts.fields().size(); f++) {
                    field(entity, facts.fields().get(f), YamlDocument.pointer("panels", p, "fields", f));
                }
            } else if (panel instanceof ViewPanel.Related related) {
                path(entity, related.list(), YamlDocument.pointer("panels", p, "list")).ifPresent(target -> {
                    for (int c = 0; c < related.columns().size(); c++) {
                        field(target, related.columns().get(c), YamlDocument.pointer("panels", p, "columns", c));
                    }
                    where(target, related.where(), YamlDocument.pointer("panels", p, "where"));
                    if (related.sort() != null) {
                        String sort = related.sort().field();
                        if (!isSystemColumn(sort)) {
                            field(target, sort, YamlDocument.pointer("panels", p, "sort"));
                        }
                    }
                });
            } else if (panel instanceof ViewPanel.Kpis kpis) {
                for (int k = 0; k < kpis.kpis().size(); k++) {
                    kpi(entity, kpis.kpis().get(k), YamlDocument.pointer("panels", p, "kpis", k));
                }
            } else if (panel instanceof ViewPanel.Timeline timeline) {
                for (int s = 0; s < timeline.sources().size(); s++) {
                    ViewPanel.TimelineSource source = timeline.sources().get(s);
                    String at = YamlDocument.pointer("panels", p, "sources", s);
                    boolean plain = document.root().at(at).isTextual();
                    path(entity, source.list(), plain ? at : at + "/list").ifPresent(target -> {
                        if (source.at() != null) {
                            field(target, source.at(), at + "/at").filter(f -> f.type() != FieldType.DATE
                                    && f.type() != FieldType.DATE_TIME).ifPresent(f -> add(document, problems, at + "/at",
                                    "The field " + q(f.name()) + " is a " + f.type().yamlName() + ", not a date: it "
                                            + "cannot place records on the timeline.", "name a date or date-time field."));
                        }
                    });
                }
            }
        }

        private void kpi(EntityDefinition entity, ViewPanel.Kpi kpi, String at) {
            if (kpi.ofRecord()) {
                if (kpi.field() != null) {
                    field(entity, kpi.field(), at + "/field");
                }
                return;
            }
            if (kpi.ratio() != null) {
                return;
            }
            path(entity, kpi.list(), at + "/list").ifPresent(target -> {
                where(target, kpi.where(), at + "/where");
                if (kpi.period() != null) {
                    String periodAt = at + "/period/field";
                    Optional<FieldType> type = Set.of("created_at", "updated_at").contains(kpi.period().field()) ? Optional.of(FieldType.DATE_TIME)
                            : field(target, kpi.period().field(), periodAt).map(FieldDefinition::type);
                    type.filter(t -> t != FieldType.DATE && t != FieldType.DATE_TIME).ifPresent(t -> add(document,
                            problems, periodAt, "The field " + q(kpi.period().field()) + " is a " + t.yamlName()
                                    + ", not a date: it cannot place records in a period.",
                            "name a date or date-time field of " + q(target.name()) + " (or created_at)."));
                }
                if (kpi.field() != null) {
                    field(target, kpi.field(), at + "/field").filter(f -> !kpi.measure().accepts(f.type()))
                            .ifPresent(f -> add(document, problems, at + "/measure", "The measure "
                                    + q(kpi.measure().name().toLowerCase(Locale.ROOT)) + " does not work on the field "
                                    + q(f.name()) + " of type " + f.type().yamlName() + ".",
                                    "use count, or a field of type integer, decimal or money"
                                            + (kpi.measure() == Aggregate.MIN || kpi.measure() == Aggregate.MAX
                                            ? " (min and max also date and date-time)." : ".")));
                }
            });
        }

        /** The entity at the end of the path, or empty with a problem at the step that names no related list. */
        private Optional<EntityDefinition> path(EntityDefinition entity, String path, String at) {
            EntityDefinition from = entity;
            for (String step : path.split("\\.")) {
                Optional<RelatedPath> resolved = RelatedPath.resolve(entities.values(), from.name(), step);
                if (resolved.isEmpty()) {
                    Set<String> lists = RelatedPath.listNames(entities.values(), from.name());
                    if (!brokenEntities.isEmpty()) {
                        return Optional.empty(); // a broken entity file may hold the reference: its problems come first
                    }
                    add(document, problems, at, "Records of " + q(from.name()) + " have no related list " + q(step)
                            + (from == entity ? "." : " (in " + q(path) + ")."), Suggestions.didYouMean(step, lists)
                            + (lists.isEmpty() ? "no reference points to " + q(from.name()) + "."
                            : "use one of: " + String.join(", ", lists) + "."));
                    return Optional.empty();
                }
                from = resolved.get().target();
            }
            return Optional.of(from);
        }

        private Optional<FieldDefinition> field(EntityDefinition entity, String name, String at) {
            Optional<FieldDefinition> field = entity.field(name);
            if (field.isEmpty()) {
                List<String> fields = entity.fields().stream().map(FieldDefinition::name).toList();
                add(document, problems, at, "The entity " + q(entity.name()) + " has no field " + q(name) + ".",
                        Suggestions.didYouMean(name, fields) + "use one of: " + String.join(", ", fields) + ".");
            }
            return field;
        }

        /** Fields of the conditions, and the options of choice fields, exist. */
        private void where(EntityDefinition entity, Map<String, List<String>> where, String at) {
            for (Map.Entry<String, List<String>> condition : where.entrySet()) {
                String conditionAt = at + "/" + condition.getKey();
                field(entity, condition.getKey(), conditionAt).ifPresent(field -> {
                    if (field.type() != FieldType.CHOICE && field.type() != FieldType.MULTI_CHOICE) {
                        return;
                    }
                    Collection<String> options = field.options().stream().map(ChoiceOption::value).toList();
                    for (String value : condition.getValue()) {
                        if (!options.contains(value)) {
                            add(document, problems, conditionAt, "The field " + q(field.name()) + " has no option "
                                    + q(value) + ".", Suggestions.didYouMean(value, options) + "use one of: "
                                    + String.join(", ", options) + ".");
                        }
                    }
                });
            }
        }
    }

    private static boolean isSystemColumn(String name) {
        return Set.of("id", "created_at", "updated_at").contains(name);
    }

    private static Map<String, List<String>> where(JsonNode node) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            List<String> values = new ArrayList<>();
            if (entry.getValue().isArray()) {
                entry.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(entry.getValue().asText());
            }
            where.put(entry.getKey(), values);
        }
        return where;
    }

    private static void add(YamlDocument document, Problems problems, String pointer, String message, String fix) {
        YamlDocument.Located at = document.at(pointer);
        problems.add(document.fileName(), at.value() != null ? at.value() : at.entry(), ProblemCode.VIEW_INVALID,
                message, fix);
    }

    private static List<String> texts(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
