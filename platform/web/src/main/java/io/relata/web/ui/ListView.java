package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.record.Record;
import io.relata.runtime.Platform;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessPolicy;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import jakarta.faces.model.SelectItem;
import java.util.List;
import java.util.Map;

/** The list page of one entity: columns from the metadata, lazy server-side paging, sorting, filters and search. */
@Named
@ViewScoped
public class ListView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int FALLBACK_COLUMNS = 5;
    /** A reference filter offers this many records of the referenced entity (sorted by title). */
    private static final int REFERENCE_FILTER_OPTIONS = 200;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String entityName;
    private RecordLazyModel model;

    @PostConstruct
    void init() {
        entityName = Pages.requiredEntityParameter(platform);
        if (!platform.access(me.actor()).canRead(entityName)) {
            throw new Pages.PageNotFoundException("No entity '" + entityName + "' for " + me.getUsername());
        }
        model = new RecordLazyModel(entityName, getColumns());
        String[] filters = jakarta.faces.context.FacesContext.getCurrentInstance().getExternalContext()
                .getRequestParameterValuesMap().get("filter");
        if (filters != null && filters.length > 0) {
            try {
                model.fix(java.util.Arrays.asList(filters));
                fixedFilters = java.util.Arrays.asList(filters);
            } catch (IllegalArgumentException e) {
                jakarta.faces.context.FacesContext.getCurrentInstance().addMessage(null, new jakarta.faces.application
                        .FacesMessage(jakarta.faces.application.FacesMessage.SEVERITY_WARN, e.getMessage(), null));
            }
        }
    }

    /** The filters the page was opened with (a drill-down), as field:operator:value; empty for the plain list. */
    private List<String> fixedFilters = List.of();

    public boolean isDrilledDown() {
        return !fixedFilters.isEmpty();
    }

    /** A choice filter's values as their labels. */
    private List<String> values(io.relata.api.model.FieldDefinition field, io.relata.api.record.Filter filter) {
        List<String> raw = filter.value() instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(filter.value()));
        return raw.stream().map(v -> field.option(v).map(o -> ui.text(o.label())).orElse(v)).toList();
    }

    /** The drill-down's filters in words: "Owner = Anna Berger · Close date ≥ 2026-12-01". */
    public String getDrillDownText() {
        List<String> parts = new java.util.ArrayList<>();
        for (io.relata.api.record.Filter filter : io.relata.api.record.FilterParameters.parse(fixedFilters)) {
            String label = getEntity().field(filter.field()).map(f -> ui.label(f)).orElseGet(() ->
                    filter.field().startsWith("owner_") ? ui.message("list.filter." + filter.field()) : filter.field());
            List<String> values = filter.value() instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                    : List.of(String.valueOf(filter.value()));
            if (filter.field().equals("owner_user")) { // people, not their ids
                values = values.stream().map(id -> {
                    try {
                        return platform.users().user(Long.parseLong(id)).map(u -> u.getDisplayName()).orElse(id);
                    } catch (NumberFormatException e) {
                        return id;
                    }
                }).toList();
            } else {
                values = getEntity().field(filter.field()).map(f -> values(f, filter)).orElse(values);
            }
            String value = String.join(", ", values);
            String operator = switch (filter.operator()) {
                case EQ -> "=";
                case NE -> "≠";
                case LT -> "<";
                case LE -> "≤";
                case GT -> ">";
                case GE -> "≥";
                case IN -> "∈";
                default -> filter.operator().token();
            };
            parts.add(label + " " + operator + " " + value);
        }
        return String.join(" · ", parts);
    }

    /** "43 records", or "10,000+ records" when there are more than the list counts. */
    public String getCountLabel() {
        RecordLazyModel.Count count = model.lastCount();
        return new java.text.MessageFormat(ui.message(count.exact() ? "list.records" : "list.recordsAtLeast"), ui.locale())
                .format(new Object[] {count.records()});
    }

    public EntityDefinition getEntity() {
        return Pages.entity(platform, entityName);
    }

    public List<FieldDefinition> getColumns() {
        AccessPolicy access = platform.access(me.actor());
        return columnsOf(getEntity()).stream().filter(f -> access.fieldAccess(entityName, f.name()) != FieldAccess.HIDDEN).toList();
    }

    public boolean isCreatable() {
        return platform.access(me.actor()).canCreate(entityName);
    }

    /** The listed fields of an entity, or its first few fields if the metadata lists none. */
    static List<FieldDefinition> columnsOf(EntityDefinition entity) {
        List<FieldDefinition> listed = entity.listedFields();
        return listed.isEmpty() ? entity.fields().stream().limit(FALLBACK_COLUMNS).toList() : listed;
    }

    public boolean isFilterable(FieldDefinition field) {
        return ColumnFilter.kindOf(field) != ColumnFilter.Kind.NONE;
    }

    /** TEXT, OPTION, RANGE or NONE: which input the column's filter is. */
    public String filterKind(FieldDefinition field) {
        return ColumnFilter.kindOf(field).name();
    }

    /** The filter input of a column, kept for the life of the page. */
    public ColumnFilter filter(String fieldName) {
        return model.filter(fieldName);
    }

    /**
     * The values a dropdown filter offers, without the "all" entry: yes and no, the options of a choice, or the
     * first readable records of a reference's entity with their titles.
     */
    public List<SelectItem> filterOptions(FieldDefinition field) {
        return switch (field.type()) {
            case BOOLEAN -> List.of(new SelectItem("true", ui.message("common.yes")),
                    new SelectItem("false", ui.message("common.no")));
            // a retired option is still found on old records: offered last, marked
            case CHOICE -> java.util.stream.Stream.concat(field.options().stream().filter(o -> o.active()),
                            field.options().stream().filter(o -> !o.active()))
                    .map(o -> new SelectItem(o.value(), o.active() ? ui.text(o.label())
                            : java.text.MessageFormat.format(ui.message("list.filter.retiredOption"), ui.text(o.label()))))
                    .toList();
            case REFERENCE -> referenceOptions(field);
            default -> List.of();
        };
    }

    private List<SelectItem> referenceOptions(FieldDefinition field) {
        String target = field.referenceEntity();
        if (!platform.access(me.actor()).canRead(target)) {
            return List.of();
        }
        var records = platform.records();
        var entity = Pages.entity(platform, target);
        var sort = entity.titleField() == null ? List.<Sort>of() : List.of(Sort.asc(entity.titleField()));
        List<Long> ids = records.query(target, new RecordQuery(List.of(), sort, null, REFERENCE_FILTER_OPTIONS, null))
                .records().stream().map(Record::id).toList();
        Map<Long, String> titles = records.titles(target, ids);
        return ids.stream().map(id -> new SelectItem(Long.toString(id), titles.getOrDefault(id, "#" + id))).toList();
    }

    /** A record-link points to records of several entities: it has no order to sort by. */
    public boolean isSortable(FieldDefinition field) {
        return field.type() != io.relata.api.model.FieldType.RECORD_LINK;
    }

    public RecordLazyModel getModel() {
        return model;
    }

    public String cell(Record record, FieldDefinition field) {
        return model.cell(record, field, ui);
    }

    public String getEntityName() {
        return entityName;
    }
}
