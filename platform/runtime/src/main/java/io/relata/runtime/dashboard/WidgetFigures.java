package io.relata.runtime.dashboard;

import io.relata.api.dashboard.Widget;
import io.relata.api.record.Filter;
import java.util.List;

/**
 * The figures of one widget for one viewer, as a table: the groups of the first key are the {@code categories} (in
 * their order: a pipeline's phases, periods by time, largest first for a ranking), each {@link Series} one value of
 * the second key (or the one series of a single key), with a cell per category. A kpi has no categories, only its
 * {@code total} (and the {@code previous} period's, where asked for).
 *
 * @param entity  the entity whose records are counted (drill-downs open its list); null for a process figure
 * @param hidden  the viewer may not see this figure (the entity, or a field it measures, groups or filters by, is
 *                hidden from them); nothing else is set then
 * @param unit    how the values read
 */
public record WidgetFigures(Widget widget, String entity, boolean hidden, Unit unit, List<Category> categories,
                           List<Series> series, Cell total, Cell previous) {

    public WidgetFigures {
        categories = List.copyOf(categories);
        series = List.copyOf(series);
    }

    static WidgetFigures hidden(Widget widget) {
        return new WidgetFigures(widget, null, true, Unit.COUNT, List.of(), List.of(), null, null);
    }

    /** What the numbers are. */
    public enum Unit {
        COUNT, INTEGER, DECIMAL, MONEY, DATE, DATE_TIME,
        /** a share between 0 and 1 */
        SHARE,
        /** days, with decimals */
        DAYS
    }

    /** A group of the first key: its key as stored (a period's first day) and its label in the viewer's language. */
    public record Category(Object key, String label) {
    }

    /** The cells of one value of the second key, one per category; {@code key} null and label "" for a single key. */
    public record Series(Object key, String label, List<Cell> cells) {
        public Series {
            cells = List.copyOf(cells);
        }
    }

    /**
     * One figure: {@code value} null where no record counts; {@code drillDown} the filters (within the viewer's rows)
     * that select the records behind it, null where it has none (process figures).
     */
    public record Cell(Object value, List<Filter> drillDown) {
        public Cell {
            drillDown = drillDown == null ? null : List.copyOf(drillDown);
        }
    }
}
