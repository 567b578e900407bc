package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.record.CappedCount;
import io.relata.api.record.Filter;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.runtime.Platform;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

/**
 * Feeds a PrimeFaces table from the record store with keyset paging. The table asks for offsets; the
 * model remembers the cursor that starts each page it has served, so moving page by page never scans
 * skipped rows. A jump to an unseen page walks forward from the nearest known cursor.
 */
public class RecordLazyModel extends LazyDataModel<Record> {

    private static final long serialVersionUID = 1L;

    private final String entityName;
    private final Map<Integer, String> cursorAtOffset = new HashMap<>();
    /** The column filters of the page by field name: only of columns the viewer sees. */
    private final Map<String, ColumnFilter> columnFilters = new java.util.LinkedHashMap<>();
    /** Filters the page was opened with ({@code ?filter=field:op:value}, a drill-down): applied on every load. */
    private final List<String> fixedFilters = new ArrayList<>();
    private transient RecordQuery lastQueryShape;
    private RecordCells cells = new RecordCells();
    /** The last count: exact, or only "at least" when there are more records than the list counts. */
    private Count lastCount = new Count(0, true);

    /** How many records a list has: {@code exact}, or at least {@code records} (more were not counted). */
    record Count(long records, boolean exact) implements java.io.Serializable {
    }

    RecordLazyModel(String entityName, List<FieldDefinition> columns) {
        this.entityName = entityName;
        columns.forEach(column -> columnFilters.put(column.name(), new ColumnFilter()));
    }

    /** Applies {@code filters} (as {@link io.relata.api.record.FilterParameters} reads them) to every load. */
    void fix(List<String> filters) {
        io.relata.api.record.FilterParameters.parse(filters); // refused here, not on every load
        fixedFilters.clear();
        fixedFilters.addAll(filters);
    }

    /** The filter input of a listed column; an unlisted name gets a detached one that filters nothing. */
    ColumnFilter filter(String fieldName) {
        return columnFilters.getOrDefault(fieldName, new ColumnFilter());
    }

    /**
     * The table's row count. Beyond the list count limit (CRM_LIST_COUNT_LIMIT) it is the limit, raised while
     * the user pages past it (see {@link #load}), and the page shows e.g. "10,000+".
     */
    @Override
    public int count(Map<String, FilterMeta> filterBy) {
        try {
            RecordQuery query = query(Map.of(), filterBy, 1);
            Platform platform = Platforms.current();
            lastCount = countUpTo(platform.records(), entityName, query, platform.config().listCountLimit());
            return (int) Math.min(Integer.MAX_VALUE, lastCount.records());
        } catch (ValidationException e) {
            report(e);
            lastCount = new Count(0, true);
            return 0;
        }
    }

    /**
     * The records matching {@code query}, counted no further than {@code limit}: the store stops reading after
     * {@code limit + 1} rows, so a list of a million records costs no more to count than one of ten thousand.
     */
    static Count countUpTo(RecordStore store, String entity, RecordQuery query, long limit) {
        CappedCount counted = store.countUpTo(entity, query, limit);
        return new Count(counted.count(), counted.exact());
    }

    /** The last count (for the label next to the table). */
    Count lastCount() {
        return lastCount;
    }

    @Override
    public List<Record> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
        try {
            RecordQuery shape = query(sortBy, filterBy, pageSize);
            if (!shape.equals(lastQueryShape)) {
                cursorAtOffset.clear();
                lastQueryShape = shape;
            }
            var store = Platforms.current().records();
            int offset = nearestKnownOffset(first);
            String cursor = offset == 0 ? null : cursorAtOffset.get(offset);
            RecordPage page = store.query(entityName, withCursor(shape, cursor));
            while (offset < first && page.nextCursor() != null) {
                offset += pageSize;
                cursorAtOffset.put(offset, page.nextCursor());
                page = store.query(entityName, withCursor(shape, page.nextCursor()));
            }
            if (page.nextCursor() != null) {
                cursorAtOffset.put(offset + pageSize, page.nextCursor());
                if (!lastCount.exact() && offset + pageSize >= getRowCount()) {
                    setRowCount((int) Math.min(Integer.MAX_VALUE, offset + pageSize + 1L)); // more lie beyond: keep "next" open
                }
            }
            cells = RecordCells.of(entity(), page.records(), store);
            return page.records();
        } catch (ValidationException e) {
            report(e);
            return List.of();
        }
    }

    String cell(Record record, FieldDefinition field, UiText ui) {
        return cells.text(record, field, ui);
    }

    @Override
    public String getRowKey(Record record) {
        return Long.toString(record.id());
    }

    @Override
    public Record getRowData(String rowKey) {
        return Platforms.current().records().find(entityName, Long.parseLong(rowKey)).orElse(null);
    }

    private int nearestKnownOffset(int first) {
        return cursorAtOffset.keySet().stream().filter(o -> o <= first).max(Integer::compare).orElse(0);
    }

    private static RecordQuery withCursor(RecordQuery shape, String cursor) {
        return new RecordQuery(shape.filters(), shape.sort(), shape.search(), shape.limit(), cursor);
    }

    private RecordQuery query(Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy, int limit) {
        EntityDefinition entity = entity();
        List<Sort> sort = new ArrayList<>();
        sortBy.values().stream()
                .filter(s -> s.getOrder() != SortOrder.UNSORTED)
                .sorted((a, b) -> Integer.compare(a.getPriority(), b.getPriority()))
                .forEach(s -> sort.add(new Sort(s.getField(), s.getOrder() == SortOrder.DESCENDING)));
        String search = null;
        for (FilterMeta meta : filterBy.values()) {
            Object value = meta.getFilterValue();
            if (meta.isGlobalFilter() && value != null && !value.toString().isBlank()) {
                search = value.toString();
            }
        }
        List<Filter> filters = new ArrayList<>(io.relata.api.record.FilterParameters.parse(fixedFilters));
        ZoneId zone = ZoneId.systemDefault(); // the zone the pages show date-times in
        columnFilters.forEach((name, input) -> entity.field(name).ifPresent(field -> filters.addAll(input.filters(field, zone))));
        return new RecordQuery(filters, sort, search, limit, null);
    }

    private EntityDefinition entity() {
        return Pages.entity(Platforms.current(), entityName);
    }

    private static void report(ValidationException e) {
        FacesContext context = FacesContext.getCurrentInstance();
        e.errors().forEach(error -> context.addMessage(null,
                new FacesMessage(FacesMessage.SEVERITY_WARN, error.message(context.getViewRoot().getLocale()), null)));
    }
}
