package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.process.ProcessCases;
import io.relata.process.diagram.ProcessDiagram;
import io.relata.process.kpi.CycleTime;
import io.relata.process.kpi.DurationStats;
import io.relata.process.kpi.Granularity;
import io.relata.process.kpi.KpiPeriod;
import io.relata.process.kpi.OutcomeCount;
import io.relata.process.kpi.PeriodCount;
import io.relata.process.kpi.PhaseConversion;
import io.relata.process.kpi.PhasePair;
import io.relata.process.kpi.PhaseTime;
import io.relata.process.kpi.ProcessFigures;
import io.relata.process.kpi.ReasonCount;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The page of one process: its diagram (drawn from the metadata on the server), links to the BPMN export and
 * the board, and its figures from the phase stamps for a period the user picks: cases per period, outcomes
 * and their reasons, durations, time per phase, conversion and the cycle time between two phases — over the
 * records the user may read ({@link Platform#kpis}), reasons only where they may see the reason field.
 */
@Named
@ViewScoped
public class ProcessView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ProcessView.class.getName());

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String name;
    /** The period as the user sees it: both days included. */
    private LocalDate from;
    private LocalDate to;
    private String granularity = Granularity.MONTH.apiName();
    private String cycleFrom;
    private String cycleTo;
    private transient ProcessFigures figures;
    /** The form's period or phases were refused: said once, not on every getter the page calls. */
    private transient boolean refused;
    private transient String svg;

    @PostConstruct
    void init() {
        name = Pages.parameter("name");
        ProcessDefinition process = process();
        if (!ProcessCases.visibleTo(process, platform.access(me.actor()))) {
            throw new Pages.PageNotFoundException("No process '" + name + "' for " + me.getUsername());
        }
        LocalDate today = LocalDate.now(platform.clock().withZone(ZoneId.systemDefault()));
        to = today;
        from = today.minusMonths(11).withDayOfMonth(1);
        cycleFrom = process.initialPhase().name();
        cycleTo = process.phases().stream().filter(p -> p.outcome() == io.relata.api.process.PhaseOutcome.SUCCESS)
                .map(PhaseDefinition::name).findFirst().orElse(process.phases().get(process.phases().size() - 1).name());
    }

    private ProcessDefinition process() {
        return platform.model().process(name == null ? "" : name)
                .orElseThrow(() -> new Pages.PageNotFoundException("No process '" + name + "'"));
    }

    private EntityDefinition entity() {
        return Pages.entity(platform, process().entity());
    }

    public String getName() {
        return name;
    }

    public String getTitle() {
        return ui.text(process().label());
    }

    public String getEntityName() {
        return process().entity();
    }

    public String getEntityLabel() {
        return ui.plural(entity());
    }

    /** The diagram as SVG markup, drawn from the metadata (labels escaped by the generator). */
    public String getSvg() {
        if (svg == null) {
            try {
                svg = ProcessDiagram.svg(process(), entity(), ui.locale(), platform.model());
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "The diagram of process '" + name + "' cannot be drawn", e);
                svg = "";
            }
        }
        return svg;
    }

    // ---- period ----

    /** Recomputes the figures for the period and cycle-time phases in the form. */
    public void apply() {
        figures = null;
        refused = false;
        getFigures();
    }

    public ProcessFigures getFigures() {
        if (figures == null && !refused) {
            ProcessDefinition process = process();
            if (from == null || to == null) {
                error(ui.message("kpi.period.missing"));
                return null;
            }
            if (to.isBefore(from)) {
                error(ui.message("kpi.period.reversed"));
                return null;
            }
            try {
                KpiPeriod period = new KpiPeriod(from, to.plusDays(1), Granularity.parse(granularity), ZoneId.systemDefault());
                figures = platform.kpis().figures(process, period, List.of(new PhasePair(cycleFrom, cycleTo)));
            } catch (IllegalArgumentException e) {
                error(e.getMessage());
            }
        }
        return figures;
    }

    private void error(String text) {
        refused = true;
        FacesContext context = FacesContext.getCurrentInstance();
        context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
        context.validationFailed();
    }

    public List<PhaseOption> getPhases() {
        ProcessDefinition process = process();
        return process.phases().stream().map(p -> new PhaseOption(p.name(), phaseLabel(p.name()))).toList();
    }

    public List<String> getGranularities() {
        return List.of(Granularity.DAY.apiName(), Granularity.WEEK.apiName(), Granularity.MONTH.apiName());
    }

    // ---- figures as rows ----

    public List<PeriodRow> getPeriodRows() {
        ProcessFigures f = getFigures();
        if (f == null) {
            return List.of();
        }
        int max = f.casesPerPeriod().stream().mapToInt(p -> Math.max(p.started(), p.ended())).max().orElse(0);
        List<PeriodRow> rows = new ArrayList<>();
        for (PeriodCount count : f.casesPerPeriod()) {
            rows.add(new PeriodRow(bucketLabel(count.from(), count.to(), f.period().granularity()),
                    shortBucketLabel(count.from(), f.period().granularity()), count.started(), count.ended(),
                    share(count.started(), max), share(count.ended(), max)));
        }
        return rows;
    }

    private String bucketLabel(LocalDate bucketFrom, LocalDate bucketTo, Granularity unit) {
        Locale locale = ui.locale();
        return switch (unit) {
            case MONTH -> bucketFrom.format(DateTimeFormatter.ofPattern("MMM yyyy", locale));
            case WEEK -> bucketFrom.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(locale)) + " – "
                    + bucketTo.minusDays(1).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(locale));
            case DAY -> bucketFrom.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale));
        };
    }

    /** Under a column of the chart there is room for a few letters: the month, or the day a week or day starts. */
    private String shortBucketLabel(LocalDate bucketFrom, Granularity unit) {
        return bucketFrom.format(DateTimeFormatter.ofPattern(unit == Granularity.MONTH ? "MMM" : "d.M.", ui.locale()));
    }

    public List<OutcomeRow> getOutcomeRows() {
        ProcessFigures f = getFigures();
        if (f == null) {
            return List.of();
        }
        return f.outcomes().byPhase().stream().map((OutcomeCount o) -> new OutcomeRow(phaseLabel(o.phase()),
                ProcessTexts.cssOutcome(o.outcome()), o.count(), percent(o.share()), width(o.share()))).toList();
    }

    public List<ReasonRow> getReasonRows() {
        ProcessFigures f = getFigures();
        if (f == null) {
            return List.of();
        }
        return f.outcomes().byReason().stream().map((ReasonCount r) -> new ReasonRow(phaseLabel(r.phase()),
                r.reason() == null ? ui.message("kpi.noReason") : r.reason(), r.count(), percent(r.share()))).toList();
    }

    public StatsRow getEndedDurations() {
        ProcessFigures f = getFigures();
        return f == null ? null : stats(ui.message("kpi.duration.ended"), f.durations().ended());
    }

    public String getOpenCount() {
        ProcessFigures f = getFigures();
        return f == null ? "" : Integer.toString(f.durations().open().count());
    }

    public String getOpenMeanAge() {
        ProcessFigures f = getFigures();
        return f == null ? "" : ProcessTexts.duration(f.durations().open().meanAge(), ui.locale());
    }

    public List<ConversionRow> getConversionRows() {
        ProcessFigures f = getFigures();
        if (f == null) {
            return List.of();
        }
        int top = f.conversion().phases().stream().mapToInt(PhaseConversion::entered).max().orElse(0);
        return f.conversion().phases().stream().map(c -> new ConversionRow(phaseLabel(c.phase()), c.entered(),
                c.advanced(), percent(c.rate()), share(c.entered(), top), width(c.rate()))).toList();
    }

    public String getWinRate() {
        ProcessFigures f = getFigures();
        return f == null ? "" : percent(f.conversion().winRate());
    }

    public List<StatsRow> getPhaseTimeRows() {
        ProcessFigures f = getFigures();
        if (f == null) {
            return List.of();
        }
        List<StatsRow> rows = new ArrayList<>();
        for (PhaseTime time : f.timeInPhase()) {
            StatsRow row = stats(phaseLabel(time.phase()), time.completedStays());
            rows.add(row.withNow(time.casesInPhaseNow()));
        }
        return rows;
    }

    public CycleRow getCycleTime() {
        ProcessFigures f = getFigures();
        if (f == null || f.cycleTimes().isEmpty()) {
            return null;
        }
        CycleTime cycle = f.cycleTimes().get(0);
        return new CycleRow(phaseLabel(cycle.from()), phaseLabel(cycle.to()), cycle.enteredFrom(),
                stats("", cycle.durations()));
    }

    private StatsRow stats(String label, DurationStats stats) {
        Locale locale = ui.locale();
        return new StatsRow(label, stats.count(), ProcessTexts.duration(stats.mean(), locale),
                ProcessTexts.duration(stats.median(), locale), ProcessTexts.duration(stats.p90(), locale),
                ProcessTexts.duration(stats.min(), locale), ProcessTexts.duration(stats.max(), locale), null);
    }

    private String phaseLabel(String phase) {
        return ui.text(process().phaseLabel(entity(), phase));
    }

    private String percent(Double share) {
        return ProcessTexts.percent(share, ui.locale());
    }

    /** A bar's width in percent of the widest (0 when there is nothing to show). */
    private static int share(int value, int max) {
        return max <= 0 ? 0 : (int) Math.round(100.0 * value / max);
    }

    private static int width(Double share) {
        return share == null ? 0 : (int) Math.round(100 * share);
    }


    // ---- form properties ----

    public LocalDate getFrom() {
        return from;
    }

    public void setFrom(LocalDate from) {
        this.from = from;
    }

    public LocalDate getTo() {
        return to;
    }

    public void setTo(LocalDate to) {
        this.to = to;
    }

    public String getGranularity() {
        return granularity;
    }

    public void setGranularity(String granularity) {
        this.granularity = granularity;
    }

    public String getCycleFrom() {
        return cycleFrom;
    }

    public void setCycleFrom(String cycleFrom) {
        this.cycleFrom = cycleFrom;
    }

    public String getCycleTo() {
        return cycleTo;
    }

    public void setCycleTo(String cycleTo) {
        this.cycleTo = cycleTo;
    }

    public record PhaseOption(String name, String label) implements Serializable {
    }

    /** Cases started and ended in one bucket; the bars' heights in percent of the busiest bucket. */
    public record PeriodRow(String label, String shortLabel, int started, int ended, int startedBar, int endedBar) {
    }

    public record OutcomeRow(String phase, String outcome, int count, String share, int bar) {
    }

    public record ReasonRow(String phase, String reason, int count, String share) {
    }

    /** One phase of the funnel: its bar's width relative to the widest, the advanced part's width within it. */
    public record ConversionRow(String phase, int entered, int advanced, String rate, int enteredBar,
                                int advancedOfEntered) {
    }

    /** Duration figures; {@code now} for time per phase: the cases in the phase at present. */
    public record StatsRow(String label, int count, String mean, String median, String p90, String min, String max,
                           Integer now) {

        StatsRow withNow(int casesNow) {
            return new StatsRow(label, count, mean, median, p90, min, max, casesNow);
        }
    }

    public record CycleRow(String from, String to, int enteredFrom, StatsRow durations) {
    }
}
