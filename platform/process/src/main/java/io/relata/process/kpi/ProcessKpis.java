package io.relata.process.kpi;

import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.UnknownEntityException;
import io.relata.store.ReadScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Computes the figures of a process from its phase stamps.
 *
 * <p>Whose figures: the viewer's ({@link ReadScope}). Only stamps of records they may read count — the read
 * scope is a condition of the query, as in every read of the record store — and closing reasons are values of
 * the phases' reason fields, listed only where they may see that field. Someone who may not read the entity, or
 * not see its phase field, gets no figures at all.
 *
 * <p>How: one query loads, in order, every stamp (up to now) of the cases that have a stamp in the period;
 * the figures are computed in Java from these case histories. That set holds both populations the figures
 * need (cases started in the period, cases ended in it), and it keeps the logic that SQL would spread over
 * dialect-specific window functions (the end of a reopened case, "first entry of B after the first entry of
 * A", percentiles) in one place that behaves the same on H2 and PostgreSQL. Timestamps are read as
 * {@link OffsetDateTime} and compared as instants; days, weeks and months are cut in the period's zone.
 * Memory grows with the stamps of those cases (a few hundred bytes per stamp).
 */
public final class ProcessKpis {

    /** The viewer's read scope goes where {@code %s} is: a condition on the record each stamp is about. */
    private static final String STAMPS_OF_CASES_ACTIVE_IN_PERIOD = """
            SELECT s.case_id, s.to_phase, s.changed_at, s.reason
            FROM crm_phase_stamp s
            WHERE s.process = ? AND s.entity = ? AND s.changed_at <= ?
              AND s.case_id IN (SELECT p.case_id FROM crm_phase_stamp p
                                WHERE p.process = ? AND p.changed_at >= ? AND p.changed_at < ?)
              AND %s
            ORDER BY s.case_id, s.changed_at, s.id""";

    /** Most frequent first; equal counts alphabetically, "no reason given" last. */
    private static final Comparator<Map.Entry<Optional<String>, Integer>> REASONS_BY_COUNT =
            Comparator.<Map.Entry<Optional<String>, Integer>>comparingInt(Map.Entry::getValue).reversed()
                    .thenComparing(e -> e.getKey().isEmpty())
                    .thenComparing(e -> e.getKey().orElse(""));

    private final DataSource dataSource;
    private final Clock clock;
    private final Function<String, ReadScope> viewer;

    /**
     * @param clock  gives "now": stamps after it are ignored, open cases' age is measured up to it
     * @param viewer what the user the figures are for may read of an entity, asked once per computation:
     *               {@code SecuredRecordStore::readScope} for the current user ({@link ReadScope#everything} only
     *               for platform work); it throws {@link UnknownEntityException} for an entity they cannot read
     */
    public ProcessKpis(DataSource dataSource, Clock clock, Function<String, ReadScope> viewer) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.viewer = Objects.requireNonNull(viewer, "viewer");
    }

    /** All figures, with cycle times from the first phase to each success phase. */
    public ProcessFigures figures(ProcessDefinition process, KpiPeriod period) {
        List<PhasePair> toSuccess = process.phases().isEmpty() ? List.of() : process.phases().stream()
                .filter(p -> p.outcome() == PhaseOutcome.SUCCESS)
                .map(p -> new PhasePair(process.initialPhase().name(), p.name()))
                .toList();
        return figures(process, period, toSuccess);
    }

    /**
     * All figures, with the cycle times of {@code cycleTimes} (each phase must belong to the process), over the
     * records the viewer may read; closing reasons only where they may see the phase's reason field.
     *
     * @throws UnknownEntityException if the viewer may not read the process's entity or see its phase field
     *                                (where its records stand)
     */
    public ProcessFigures figures(ProcessDefinition process, KpiPeriod period, List<PhasePair> cycleTimes) {
        PipelineOrder order = new PipelineOrder(process);
        cycleTimes.forEach(pair -> {
            order.requirePhase(pair.from());
            order.requirePhase(pair.to());
        });
        ReadScope scope = viewer.apply(process.entity());
        if (!scope.sees(process.phaseField())) {
            throw new UnknownEntityException(process.entity());
        }
        Instant asOf = clock.instant();
        List<CaseHistory> cases = load(process, period, asOf, scope);
        List<CaseHistory> started = cases.stream().filter(c -> period.contains(c.start())).toList();
        return new ProcessFigures(process.name(), period, asOf, started.size(),
                casesPerPeriod(cases, started, order, period),
                outcomes(cases, order, period, scope),
                durations(cases, started, order, period, asOf),
                conversion(started, order),
                timeInPhase(started, order),
                cycleTimes.stream().map(pair -> cycleTime(started, pair)).toList());
    }

    /** The cycle time between two phases of the process for the cases started in the period. */
    public CycleTime cycleTime(ProcessDefinition process, KpiPeriod period, PhasePair pair) {
        return figures(process, period, List.of(pair)).cycleTimes().get(0);
    }

    private List<CaseHistory> load(ProcessDefinition process, KpiPeriod period, Instant asOf, ReadScope scope) {
        List<CaseHistory> cases = new ArrayList<>();
        String sql = STAMPS_OF_CASES_ACTIVE_IN_PERIOD.formatted(scope.condition("s.record_id"));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, process.name());
            statement.setString(2, process.entity());
            statement.setObject(3, OffsetDateTime.ofInstant(asOf, ZoneOffset.UTC));
            statement.setString(4, process.name());
            statement.setObject(5, OffsetDateTime.ofInstant(period.start(), ZoneOffset.UTC));
            statement.setObject(6, OffsetDateTime.ofInstant(period.end(), ZoneOffset.UTC));
            scope.bind(statement, 7);
            statement.setFetchSize(1_000);
            try (ResultSet rows = statement.executeQuery()) {
                long caseId = 0;
                List<CaseHistory.Stamp> stamps = new ArrayList<>();
                while (rows.next()) {
                    long rowCase = rows.getLong(1);
                    if (!stamps.isEmpty() && rowCase != caseId) {
                        cases.add(new CaseHistory(caseId, stamps));
                        stamps = new ArrayList<>();
                    }
                    caseId = rowCase;
                    stamps.add(new CaseHistory.Stamp(rows.getString(2),
                            rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getString(4)));
                }
                if (!stamps.isEmpty()) {
                    cases.add(new CaseHistory(caseId, stamps));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the phase stamps of process '" + process.name()
                    + "' for " + period.from() + " to " + period.to() + ": " + e.getMessage(), e);
        }
        return cases;
    }

    private static List<PeriodCount> casesPerPeriod(List<CaseHistory> cases, List<CaseHistory> started,
                                                    PipelineOrder order, KpiPeriod period) {
        List<KpiPeriod.Bucket> buckets = period.buckets();
        int[] startedPerBucket = new int[buckets.size()];
        int[] endedPerBucket = new int[buckets.size()];
        for (CaseHistory history : started) {
            startedPerBucket[bucketOf(buckets, period, history.start())]++;
        }
        for (CaseHistory history : cases) {
            history.ending(order)
                    .filter(ending -> period.contains(ending.at()))
                    .ifPresent(ending -> endedPerBucket[bucketOf(buckets, period, ending.at())]++);
        }
        List<PeriodCount> counts = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            KpiPeriod.Bucket bucket = buckets.get(i);
            counts.add(new PeriodCount(bucket.from(), bucket.to(), startedPerBucket[i], endedPerBucket[i]));
        }
        return counts;
    }

    private static int bucketOf(List<KpiPeriod.Bucket> buckets, KpiPeriod period, Instant instant) {
        LocalDate day = LocalDate.ofInstant(instant, period.zone());
        int low = 0;
        int high = buckets.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (buckets.get(middle).from().isAfter(day)) {
                high = middle - 1;
            } else {
                low = middle;
            }
        }
        return low;
    }

    /** Reasons are listed only for phases whose reason field the viewer may see (they are its values). */
    private static Outcomes outcomes(List<CaseHistory> cases, PipelineOrder order, KpiPeriod period, ReadScope scope) {
        List<CaseHistory.Ending> endings = endedInPeriod(cases, order, period);
        List<OutcomeCount> byPhase = new ArrayList<>();
        List<ReasonCount> byReason = new ArrayList<>();
        for (PhaseDefinition phase : order.phases()) {
            if (!phase.isClosing()) {
                continue;
            }
            List<CaseHistory.Ending> inPhase = endings.stream().filter(e -> e.phase().equals(phase.name())).toList();
            byPhase.add(new OutcomeCount(phase.name(), phase.outcome(), inPhase.size(),
                    share(inPhase.size(), endings.size())));
            if (!scope.sees(phase.reasonField())) {
                continue;
            }
            Map<Optional<String>, Integer> reasons = new LinkedHashMap<>();
            inPhase.forEach(e -> reasons.merge(Optional.ofNullable(e.reason()), 1, Integer::sum));
            reasons.entrySet().stream()
                    .sorted(REASONS_BY_COUNT)
                    .forEach(r -> byReason.add(new ReasonCount(phase.name(), r.getKey().orElse(null),
                            r.getValue(), (double) r.getValue() / inPhase.size())));
        }
        return new Outcomes(endings.size(), byPhase, byReason);
    }

    private static List<CaseHistory.Ending> endedInPeriod(List<CaseHistory> cases, PipelineOrder order,
                                                          KpiPeriod period) {
        return cases.stream()
                .map(c -> c.ending(order))
                .flatMap(Optional::stream)
                .filter(e -> period.contains(e.at()))
                .toList();
    }

    private static CaseDurations durations(List<CaseHistory> cases, List<CaseHistory> started, PipelineOrder order,
                                           KpiPeriod period, Instant asOf) {
        List<Duration> ended = new ArrayList<>();
        for (CaseHistory history : cases) {
            history.ending(order).filter(e -> period.contains(e.at()))
                    .ifPresent(e -> ended.add(Duration.between(history.start(), e.at())));
        }
        List<Duration> openAges = started.stream()
                .filter(c -> c.ending(order).isEmpty())
                .map(c -> Duration.between(c.start(), asOf))
                .toList();
        return new CaseDurations(DurationStats.of(ended),
                new OpenCases(openAges.size(), openAges.isEmpty() ? null : DurationStats.of(openAges).mean()));
    }

    private static Conversion conversion(List<CaseHistory> started, PipelineOrder order) {
        List<PhaseConversion> phases = new ArrayList<>();
        for (PhaseDefinition phase : order.phases()) {
            if (phase.isClosing()) {
                continue;
            }
            int position = order.position(phase.name());
            int entered = 0;
            int advanced = 0;
            for (CaseHistory history : started) {
                int entry = history.firstEntry(phase.name(), 0);
                if (entry < 0) {
                    continue;
                }
                entered++;
                boolean wentOn = history.stamps().subList(entry + 1, history.stamps().size()).stream()
                        .map(CaseHistory.Stamp::phase)
                        .anyMatch(later -> order.outcome(later) == PhaseOutcome.SUCCESS
                                || (order.outcome(later) == PhaseOutcome.OPEN && order.position(later) > position));
                if (wentOn) {
                    advanced++;
                }
            }
            phases.add(new PhaseConversion(phase.name(), entered, advanced, share(advanced, entered)));
        }
        int closed = 0;
        int won = 0;
        for (CaseHistory history : started) {
            Optional<CaseHistory.Ending> ending = history.ending(order);
            if (ending.isPresent()) {
                closed++;
                if (order.outcome(ending.get().phase()) == PhaseOutcome.SUCCESS) {
                    won++;
                }
            }
        }
        return new Conversion(phases, closed, won, share(won, closed));
    }

    private static List<PhaseTime> timeInPhase(List<CaseHistory> started, PipelineOrder order) {
        Map<String, List<Duration>> stays = new LinkedHashMap<>();
        Map<String, Integer> now = new LinkedHashMap<>();
        for (CaseHistory history : started) {
            List<CaseHistory.Stamp> stamps = history.stamps();
            for (int i = 0; i + 1 < stamps.size(); i++) {
                stays.computeIfAbsent(stamps.get(i).phase(), p -> new ArrayList<>())
                        .add(Duration.between(stamps.get(i).at(), stamps.get(i + 1).at()));
            }
            now.merge(history.last().phase(), 1, Integer::sum);
        }
        return order.phases().stream()
                .filter(p -> !p.isClosing())
                .map(p -> new PhaseTime(p.name(), DurationStats.of(stays.getOrDefault(p.name(), List.of())),
                        now.getOrDefault(p.name(), 0)))
                .toList();
    }

    private static CycleTime cycleTime(List<CaseHistory> started, PhasePair pair) {
        int enteredFrom = 0;
        List<Duration> durations = new ArrayList<>();
        for (CaseHistory history : started) {
            int from = history.firstEntry(pair.from(), 0);
            if (from < 0) {
                continue;
            }
            enteredFrom++;
            int to = history.firstEntry(pair.to(), from + 1);
            if (to >= 0) {
                durations.add(Duration.between(history.stamps().get(from).at(), history.stamps().get(to).at()));
            }
        }
        return new CycleTime(pair.from(), pair.to(), enteredFrom, DurationStats.of(durations));
    }

    private static Double share(int part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
