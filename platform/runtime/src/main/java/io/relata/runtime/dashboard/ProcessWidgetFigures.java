package io.relata.runtime.dashboard;

import io.relata.api.dashboard.ProcessFigure;
import io.relata.api.dashboard.Widget;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.RelativePeriod;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.Grouping;
import io.relata.api.record.UnknownEntityException;
import io.relata.process.kpi.Conversion;
import io.relata.process.kpi.CycleTime;
import io.relata.process.kpi.DurationStats;
import io.relata.process.kpi.Granularity;
import io.relata.process.kpi.KpiPeriod;
import io.relata.process.kpi.OutcomeCount;
import io.relata.process.kpi.PeriodCount;
import io.relata.process.kpi.PhaseConversion;
import io.relata.process.kpi.PhaseTime;
import io.relata.process.kpi.ProcessKpis;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Computes a process widget for one viewer from the process figures of the period ({@link ProcessKpis}, which
 * counts only the stamps of records the viewer may read, in the database), asking only for the figure it shows. Phases are named by their labels in the viewer's
 * language; durations are days with one decimal.
 */
final class ProcessWidgetFigures {

    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    private final Clock clock;

    ProcessWidgetFigures(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    WidgetFigures compute(Widget widget, ProcessFigure figure, ProcessDefinition process, EntityDefinition entity,
                          ProcessKpis kpis, KeyLabels labels) {
        RelativePeriod.Range range = figure.period().range(LocalDate.now(clock));
        long days = ChronoUnit.DAYS.between(range.from(), range.until());
        Granularity granularity = days <= 31 ? Granularity.DAY : days <= 92 ? Granularity.WEEK : Granularity.MONTH;
        KpiPeriod kpiPeriod = new KpiPeriod(range.from(), range.until(), granularity, clock.getZone());
        try {
            return compute(widget, figure, process, entity, kpis, labels, kpiPeriod);
        } catch (UnknownEntityException e) {
            return WidgetFigures.hidden(widget);
        }
    }

    /** Only the figure the widget shows is computed. */
    private static WidgetFigures compute(Widget widget, ProcessFigure figure, ProcessDefinition process,
                                         EntityDefinition entity, ProcessKpis kpis, KeyLabels labels, KpiPeriod period) {
        String language = labels.language();
        boolean single = widget.chart() == Widget.Chart.KPI;
        return switch (figure.measure()) {
            case CASES_STARTED -> {
                List<PeriodCount> perPeriod = kpis.casesPerPeriod(process, period);
                if (single) {
                    yield kpi(widget, WidgetFigures.Unit.COUNT, perPeriod.stream().mapToLong(PeriodCount::started).sum());
                }
                Grouping.Period per = switch (period.granularity()) {
                    case DAY -> Grouping.Period.DAY;
                    case WEEK -> Grouping.Period.WEEK;
                    case MONTH -> Grouping.Period.MONTH;
                };
                List<WidgetFigures.Category> categories = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (PeriodCount count : perPeriod) {
                    categories.add(new WidgetFigures.Category(count.from(), labels.period(per, count.from())));
                    values.add((long) count.started());
                }
                yield table(widget, WidgetFigures.Unit.COUNT, categories, values);
            }
            case CONVERSION -> {
                if (single) {
                    yield kpi(widget, WidgetFigures.Unit.SHARE, share(kpis.winRate(process, period).winRate()));
                }
                Conversion conversion = kpis.conversion(process, period);
                List<WidgetFigures.Category> categories = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (PhaseConversion phase : conversion.phases()) {
                    categories.add(new WidgetFigures.Category(phase.phase(),
                            process.phaseLabel(entity, phase.phase()).in(language)));
                    values.add(widget.chart() == Widget.Chart.FUNNEL ? (Object) (long) phase.entered() : share(phase.rate()));
                }
                yield table(widget, widget.chart() == Widget.Chart.FUNNEL ? WidgetFigures.Unit.COUNT
                        : WidgetFigures.Unit.SHARE, categories, values);
            }
            case CYCLE_TIME -> {
                List<CycleTime> cycles = kpis.cycleTimes(process, period);
                if (single) {
                    yield kpi(widget, WidgetFigures.Unit.DAYS, cycles.isEmpty() ? null : days(cycles.get(0).durations().median()));
                }
                List<WidgetFigures.Category> categories = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (CycleTime cycle : cycles) {
                    categories.add(new WidgetFigures.Category(cycle.to(), process.phaseLabel(entity, cycle.from()).in(language)
                            + " → " + process.phaseLabel(entity, cycle.to()).in(language)));
                    values.add(days(cycle.durations().median()));
                }
                yield table(widget, WidgetFigures.Unit.DAYS, categories, values);
            }
            case TIME_IN_PHASE -> {
                List<WidgetFigures.Category> categories = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (PhaseTime phase : kpis.timeInPhase(process, period)) {
                    categories.add(new WidgetFigures.Category(phase.phase(),
                            process.phaseLabel(entity, phase.phase()).in(language)));
                    DurationStats stays = phase.completedStays();
                    values.add(days(stays.mean()));
                }
                yield table(widget, WidgetFigures.Unit.DAYS, categories, values);
            }
            case OUTCOMES -> {
                List<WidgetFigures.Category> categories = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (OutcomeCount outcome : kpis.outcomes(process, period).byPhase()) {
                    categories.add(new WidgetFigures.Category(outcome.phase(),
                            process.phaseLabel(entity, outcome.phase()).in(language)));
                    values.add((long) outcome.count());
                }
                yield table(widget, WidgetFigures.Unit.COUNT, categories, values);
            }
        };
    }

    private static WidgetFigures kpi(Widget widget, WidgetFigures.Unit unit, Object value) {
        return new WidgetFigures(widget, null, false, unit, List.of(), List.of(), new WidgetFigures.Cell(value, null), null);
    }

    private static WidgetFigures table(Widget widget, WidgetFigures.Unit unit, List<WidgetFigures.Category> categories,
                                       List<Object> values) {
        List<WidgetFigures.Cell> cells = values.stream().map(v -> new WidgetFigures.Cell(v, null)).toList();
        return new WidgetFigures(widget, null, false, unit, categories,
                List.of(new WidgetFigures.Series(null, "", cells)), null, null);
    }

    private static BigDecimal share(Double rate) {
        return rate == null ? null : BigDecimal.valueOf(rate).setScale(4, RoundingMode.HALF_UP);
    }

    private static BigDecimal days(Duration duration) {
        return duration == null ? null
                : BigDecimal.valueOf(duration.toSeconds()).divide(SECONDS_PER_DAY, 1, RoundingMode.HALF_UP);
    }
}
