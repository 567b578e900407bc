package io.relata.runtime.dashboard;

import io.relata.api.dashboard.Condition;
import io.relata.api.dashboard.RecordFigure;
import io.relata.api.dashboard.Widget;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.DateWindow;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.RelativePeriod;
import io.relata.api.record.Aggregate;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.security.Actor;
import io.relata.store.ReadScope;
import io.relata.store.SecuredRecordStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Computes a widget over records for one viewer: one grouped query through the viewer's own store (their rows; a
 * field hidden from them anywhere in the figure hides the figure), the groups put in reading order (a choice's
 * options in their order, periods by time with the empty ones of the window filled in, names alphabetically, the
 * largest first for a ranking), each cell with the filters that select its records.
 */
final class RecordFigures {

    /** Columns every entity has, with their types; a figure may name them like fields. */
    private static final Map<String, FieldType> SYSTEM_COLUMNS = Map.of("owner_user", FieldType.INTEGER,
            "owner_team", FieldType.INTEGER, "created_at", FieldType.DATE_TIME, "updated_at", FieldType.DATE_TIME,
            "id", FieldType.INTEGER);

    private final Clock clock;

    /** @param clock today and the zone in which days begin (the platform's) */
    RecordFigures(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    WidgetFigures compute(Widget widget, RecordFigure figure, EntityDefinition entity, SecuredRecordStore records,
                          Actor actor, KeyLabels labels) {
        ReadScope scope;
        try {
            scope = records.readScope(entity.name());
        } catch (UnknownEntityException e) {
            return WidgetFigures.hidden(widget);
        }
        if (fields(figure).anyMatch(field -> !scope.sees(field))) {
            return WidgetFigures.hidden(widget);
        }
        ZoneId zone = clock.getZone();
        LocalDate today = LocalDate.now(clock);
        List<Filter> base = new ArrayList<>();
        figure.where().forEach(condition -> base.add(filter(condition)));
        boolean nobody = false;
        switch (figure.records()) {
            case MINE -> base.add(new Filter("owner_user", FilterOperator.EQ, Long.toString(actor.userId())));
            case MY_TEAMS -> {
                if (actor.teamIds().isEmpty()) {
                    nobody = true; // no team: none of the records are their teams'
                } else {
                    base.add(new Filter("owner_team", FilterOperator.IN,
                            actor.teamIds().stream().map(String::valueOf).toList()));
                }
            }
            default -> {
            }
        }
        List<Filter> previous = null;
        if (figure.window() != null) {
            List<Filter> withoutWindow = List.copyOf(base);
            FieldType type = type(entity, figure.window().field());
            base.addAll(range(figure.window().field(), type, figure.window().range().range(today), zone));
            if (figure.compareWithPrevious()) {
                previous = new ArrayList<>(withoutWindow);
                previous.addAll(range(figure.window().field(), type, figure.window().range().previous(today), zone));
            }
        }
        WidgetFigures.Unit unit = unit(entity, figure.measure());
        if (figure.by().isEmpty()) {
            Object value = nobody ? empty(figure.measure()) : single(records, entity, base, figure.measure(), zone);
            WidgetFigures.Cell before = previous == null ? null : new WidgetFigures.Cell(nobody ? empty(figure.measure())
                    : single(records, entity, previous, figure.measure(), zone), previous);
            return new WidgetFigures(widget, entity.name(), false, unit, List.of(), List.of(),
                    new WidgetFigures.Cell(value, base), before);
        }
        List<Grouping.Group> groups = nobody ? List.of() : records.groups(entity.name(), query(base),
                new Grouping(figure.by(), List.of(figure.measure()), zone));
        return table(widget, figure, entity, records, labels, base, groups, unit, today);
    }

    private WidgetFigures table(Widget widget, RecordFigure figure, EntityDefinition entity, SecuredRecordStore records,
                                KeyLabels labels, List<Filter> base, List<Grouping.Group> groups, WidgetFigures.Unit unit,
                                LocalDate today) {
        Grouping.Key first = figure.by().get(0);
        Grouping.Key second = figure.by().size() > 1 ? figure.by().get(1) : null;
        Map<List<Object>, Object> values = new HashMap<>();
        Set<Object> firstKeys = new LinkedHashSet<>();
        Set<Object> secondKeys = new LinkedHashSet<>();
        for (Grouping.Group group : groups) {
            values.put(group.keys(), group.values().get(0));
            firstKeys.add(group.keys().get(0));
            if (second != null) {
                secondKeys.add(group.keys().get(1));
            }
        }
        List<Object> categories = ordered(entity, first, firstKeys, figure.where());
        if (figure.window() != null && first.period() != Grouping.Period.NONE
                && figure.window().field().equals(first.field())) {
            categories = periodsOf(figure.window().range(), first.period(), today, categories);
        }
        if (figure.top() > 0) {
            Map<Object, BigDecimal> sizes = new HashMap<>();
            values.forEach((keys, value) -> sizes.merge(keys.get(0), number(value), BigDecimal::add));
            categories = categories.stream()
                    .sorted(Comparator.comparing((Object key) -> sizes.getOrDefault(key, BigDecimal.ZERO)).reversed())
                    .limit(figure.top()).toList();
        }
        List<Object> seriesKeys = second == null ? java.util.Collections.singletonList(null)
                : ordered(entity, second, secondKeys, figure.where());
        List<String> categoryLabels = labels.labels(entity, first, categories, records);
        List<String> seriesLabels = second == null ? List.of("") : labels.labels(entity, second, seriesKeys, records);
        ZoneId zone = clock.getZone();
        List<WidgetFigures.Series> series = new ArrayList<>();
        for (int s = 0; s < seriesKeys.size(); s++) {
            Object seriesKey = seriesKeys.get(s);
            List<WidgetFigures.Cell> cells = new ArrayList<>();
            for (Object category : categories) {
                List<Filter> drill = new ArrayList<>(base);
                drill.addAll(keyFilters(entity, first, category, zone));
                List<Object> keys = new ArrayList<>();
                keys.add(category);
                if (second != null) {
                    drill.addAll(keyFilters(entity, second, seriesKey, zone));
                    keys.add(seriesKey);
                }
                cells.add(new WidgetFigures.Cell(values.get(keys), drill));
            }
            series.add(new WidgetFigures.Series(seriesKey, seriesLabels.get(s), cells));
        }
        List<WidgetFigures.Category> shown = new ArrayList<>();
        for (int c = 0; c < categories.size(); c++) {
            shown.add(new WidgetFigures.Category(categories.get(c), categoryLabels.get(c)));
        }
        Aggregate aggregate = figure.measure().aggregate();
        WidgetFigures.Cell total = null;
        if ((aggregate == Aggregate.COUNT || aggregate == Aggregate.SUM) && figure.top() == 0) {
            // the groups split the records without overlap: their counts and sums add up to the whole
            BigDecimal sum = values.values().stream().map(RecordFigures::number).reduce(BigDecimal.ZERO, BigDecimal::add);
            Object whole = aggregate == Aggregate.COUNT ? (Object) sum.longValue() : values.isEmpty() ? null : sum;
            total = new WidgetFigures.Cell(whole, base);
        }
        return new WidgetFigures(widget, entity.name(), false, unit, shown, series, total, null);
    }

    /** The fields a figure reads: measured, grouped by, filtered by, or placing records in its window. */
    private static Stream<String> fields(RecordFigure figure) {
        return Stream.of(Stream.ofNullable(figure.measure().field()), figure.by().stream().map(Grouping.Key::field),
                        figure.where().stream().map(Condition::field),
                        Stream.ofNullable(figure.window()).map(DateWindow::field))
                .flatMap(s -> s).filter(field -> !SYSTEM_COLUMNS.containsKey(field));
    }

    private static Object single(SecuredRecordStore records, EntityDefinition entity, List<Filter> filters,
                                 Grouping.Measure measure, ZoneId zone) {
        return records.groups(entity.name(), query(filters), new Grouping(List.of(), List.of(measure), zone))
                .get(0).values().get(0);
    }

    /** What a measure over no records is: no count is 0, no sum or average is nothing. */
    private static Object empty(Grouping.Measure measure) {
        return measure.aggregate() == Aggregate.COUNT || measure.aggregate() == Aggregate.COUNT_DISTINCT ? 0L : null;
    }

    private static RecordQuery query(List<Filter> filters) {
        return new RecordQuery(filters, List.of(), null, 1, null);
    }

    static Filter filter(Condition condition) {
        return switch (condition.operator()) {
            case IN -> new Filter(condition.field(), FilterOperator.IN, condition.values());
            case IS_NULL, IS_NOT_NULL -> new Filter(condition.field(), condition.operator(), null);
            default -> new Filter(condition.field(), condition.operator(), condition.values().get(0));
        };
    }

    /** The filters of the days of {@code range} on a date, or of their instants in {@code zone} on a date-time. */
    static List<Filter> range(String field, FieldType type, RelativePeriod.Range range, ZoneId zone) {
        return List.of(new Filter(field, FilterOperator.GE, bound(type, range.from(), zone)),
                new Filter(field, FilterOperator.LT, bound(type, range.until(), zone)));
    }

    private static String bound(FieldType type, LocalDate day, ZoneId zone) {
        return type == FieldType.DATE_TIME ? day.atStartOfDay(zone).toOffsetDateTime().toString() : day.toString();
    }

    /** The filters that select the records of one group of {@code key}. */
    private static List<Filter> keyFilters(EntityDefinition entity, Grouping.Key key, Object value, ZoneId zone) {
        if (value == null) {
            return List.of(new Filter(key.field(), FilterOperator.IS_NULL, null));
        }
        if (key.period() == Grouping.Period.NONE) {
            String text = value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value);
            return List.of(new Filter(key.field(), FilterOperator.EQ, text));
        }
        LocalDate start = (LocalDate) value;
        return range(key.field(), type(entity, key.field()), new RelativePeriod.Range(start, next(key.period(), start)),
                zone);
    }

    private static LocalDate next(Grouping.Period period, LocalDate start) {
        return switch (period) {
            case DAY, NONE -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
            case YEAR -> start.plusYears(1);
        };
    }

    /** Every period of {@code range}, with keys found outside it (none, as the window filters) kept at the end. */
    private static List<Object> periodsOf(RelativePeriod range, Grouping.Period period, LocalDate today, List<Object> found) {
        RelativePeriod.Range days = range.range(today);
        List<Object> periods = new ArrayList<>();
        LocalDate start = periodStart(period, days.from());
        while (start.isBefore(days.until())) {
            periods.add(start);
            start = next(period, start);
        }
        found.stream().filter(key -> !periods.contains(key)).forEach(periods::add);
        return periods;
    }

    private static LocalDate periodStart(Grouping.Period period, LocalDate day) {
        return switch (period) {
            case DAY, NONE -> day;
            case WEEK -> day.with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> day.with(java.time.temporal.IsoFields.DAY_OF_QUARTER, 1);
            case YEAR -> day.withDayOfYear(1);
        };
    }

    /**
     * Keys in reading order: a choice's in the order of its options (with the options the conditions ask for, also
     * where no record holds them: a funnel shows its empty phases), others as the store sorted them; empty last.
     */
    private static List<Object> ordered(EntityDefinition entity, Grouping.Key key, Set<Object> found,
                                        List<Condition> where) {
        FieldDefinition field = entity.field(key.field()).orElse(null);
        if (key.period() == Grouping.Period.NONE && field != null && field.type() == FieldType.CHOICE) {
            Set<Object> keys = new LinkedHashSet<>(found);
            where.stream().filter(c -> c.field().equals(key.field()))
                    .filter(c -> c.operator() == FilterOperator.IN || c.operator() == FilterOperator.EQ)
                    .forEach(c -> keys.addAll(c.values()));
            List<String> options = field.options().stream().map(ChoiceOption::value).toList();
            Map<Object, Integer> position = new LinkedHashMap<>();
            keys.forEach(k -> position.put(k, k == null ? Integer.MAX_VALUE
                    : options.contains(k) ? options.indexOf(k) : options.size()));
            return keys.stream().sorted(Comparator.comparing(position::get)).toList();
        }
        return new ArrayList<>(found);
    }

    private static FieldType type(EntityDefinition entity, String field) {
        return entity.field(field).map(FieldDefinition::type).orElse(SYSTEM_COLUMNS.getOrDefault(field, FieldType.TEXT));
    }

    private static WidgetFigures.Unit unit(EntityDefinition entity, Grouping.Measure measure) {
        if (measure.aggregate() == Aggregate.COUNT || measure.aggregate() == Aggregate.COUNT_DISTINCT) {
            return WidgetFigures.Unit.COUNT;
        }
        FieldType type = type(entity, measure.field());
        if (measure.aggregate() == Aggregate.AVERAGE) {
            return type == FieldType.MONEY ? WidgetFigures.Unit.MONEY : WidgetFigures.Unit.DECIMAL;
        }
        return switch (type) {
            case MONEY -> WidgetFigures.Unit.MONEY;
            case INTEGER -> WidgetFigures.Unit.INTEGER;
            case DATE -> WidgetFigures.Unit.DATE;
            case DATE_TIME -> WidgetFigures.Unit.DATE_TIME;
            default -> WidgetFigures.Unit.DECIMAL;
        };
    }

    static BigDecimal number(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        return value instanceof Number number ? BigDecimal.valueOf(number.longValue()) : BigDecimal.ZERO;
    }
}
