package io.relata.process.kpi;

import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.UnknownEntityException;
import io.relata.store.ReadScope;
import io.relata.store.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Computes the figures of a process from its phase stamps, in the database.
 *
 * <p>Whose figures: the viewer's ({@link ReadScope}). Only stamps of records they may read count — the read
 * scope is a condition of the query, as in every read of the record store — and closing reasons are values of
 * the phases' reason fields, listed only where they may see that field. Someone who may not read the entity, or
 * not see its phase field, gets no figures at all.
 *
 * <p>How: {@link StampQuery} reads every stamp (up to now) of the cases that have a stamp in the period, orders
 * each case's stamps with window functions and aggregates them to a few rows per figure (counts per day, per
 * phase, per reason; count, mean, percentiles, minimum and maximum of durations); only these rows reach Java. A
 * caller that needs one figure (a dashboard widget) asks for that part only. Time and memory in Java do not grow
 * with the number of cases; the database's work does (bench/README.md, "Dashboard benchmark").
 */
public final class ProcessKpis {

    /** Most frequent first; equal counts alphabetically, "no reason given" last. */
    private static final Comparator<Map.Entry<Optional<String>, Integer>> REASONS_BY_COUNT =
            Comparator.<Map.Entry<Optional<String>, Integer>>comparingInt(Map.Entry::getValue).reversed()
                    .thenComparing(e -> e.getKey().isEmpty())
                    .thenComparing(e -> e.getKey().orElse(""));

    /** Sort memory of one computation on PostgreSQL (its default, 4 MB, spills a year of 1M cases to disk). */
    private static final String SORT_MEMORY = "64MB";

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
        return figures(process, period, toSuccess(process));
    }

    /**
     * All figures, with the cycle times of {@code cycleTimes} (each phase must belong to the process), over the
     * records the viewer may read; closing reasons only where they may see the phase's reason field.
     *
     * @throws UnknownEntityException if the viewer may not read the process's entity or see its phase field
     *                                (where its records stand)
     */
    public ProcessFigures figures(ProcessDefinition process, KpiPeriod period, List<PhasePair> cycleTimes) {
        Rows rows = query(process, period, EnumSet.allOf(StampQuery.Part.class), cycleTimes);
        return new ProcessFigures(process.name(), period, rows.asOf, rows.casesStarted(),
                casesPerPeriod(rows, period), outcomes(rows), durations(rows), conversion(rows, true), timeInPhase(rows),
                cycleTimes(rows, cycleTimes));
    }

    /** The cycle time between two phases of the process for the cases started in the period. */
    public CycleTime cycleTime(ProcessDefinition process, KpiPeriod period, PhasePair pair) {
        return cycleTimes(process, period, List.of(pair)).get(0);
    }

    /** Cycle times only (default: from the first phase to each success phase); see {@link #figures}. */
    public List<CycleTime> cycleTimes(ProcessDefinition process, KpiPeriod period, List<PhasePair> pairs) {
        return cycleTimes(query(process, period, EnumSet.of(StampQuery.Part.CYCLE_TIMES), pairs), pairs);
    }

    /** Cycle times from the first phase to each success phase only. */
    public List<CycleTime> cycleTimes(ProcessDefinition process, KpiPeriod period) {
        return cycleTimes(process, period, toSuccess(process));
    }

    /** Cases started (and ended) per bucket of the period only; the sum of started is the cases started. */
    public List<PeriodCount> casesPerPeriod(ProcessDefinition process, KpiPeriod period) {
        return casesPerPeriod(query(process, period, EnumSet.of(StampQuery.Part.PER_DAY), List.of()), period);
    }

    /** Outcomes and reasons of the cases ended in the period only. */
    public Outcomes outcomes(ProcessDefinition process, KpiPeriod period) {
        return outcomes(query(process, period, EnumSet.of(StampQuery.Part.OUTCOMES), List.of()));
    }

    /** Conversion per phase and win rate of the cases started in the period only. */
    public Conversion conversion(ProcessDefinition process, KpiPeriod period) {
        return conversion(query(process, period, EnumSet.of(StampQuery.Part.CONVERSION, StampQuery.Part.CURRENT),
                List.of()), true);
    }

    /** How many of the cases started in the period closed, and were won, without the conversion per phase. */
    public Conversion winRate(ProcessDefinition process, KpiPeriod period) {
        return conversion(query(process, period, EnumSet.of(StampQuery.Part.CURRENT), List.of()), false);
    }

    /** Time spent per stay in each open phase, of the cases started in the period only. */
    public List<PhaseTime> timeInPhase(ProcessDefinition process, KpiPeriod period) {
        return timeInPhase(query(process, period, EnumSet.of(StampQuery.Part.STAYS, StampQuery.Part.CURRENT),
                List.of()));
    }

    private static List<PhasePair> toSuccess(ProcessDefinition process) {
        return process.phases().isEmpty() ? List.of() : process.phases().stream()
                .filter(p -> p.outcome() == PhaseOutcome.SUCCESS)
                .map(p -> new PhasePair(process.initialPhase().name(), p.name()))
                .toList();
    }

    private Rows query(ProcessDefinition process, KpiPeriod period, Set<StampQuery.Part> parts, List<PhasePair> pairs) {
        PipelineOrder order = new PipelineOrder(process);
        pairs.forEach(pair -> {
            order.requirePhase(pair.from());
            order.requirePhase(pair.to());
        });
        ReadScope scope = viewer.apply(process.entity());
        if (!scope.sees(process.phaseField())) {
            throw new UnknownEntityException(process.entity());
        }
        Instant asOf = clock.instant();
        StampQuery query = new StampQuery(process, period, asOf, scope, parts, pairs);
        Rows rows = new Rows(order, scope, asOf);
        try (Connection connection = dataSource.getConnection()) {
            // the windows sort every stamp of the period's cases: in memory, not in temporary files, on PostgreSQL
            boolean postgres = SqlDialect.detect(connection) == SqlDialect.POSTGRESQL;
            boolean autoCommit = connection.getAutoCommit();
            if (postgres) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL work_mem = '" + SORT_MEMORY + "'");
                }
            }
            try (PreparedStatement statement = query.prepare(connection, postgres ? SqlDialect.POSTGRESQL : SqlDialect.H2);
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(StampQuery.Row.read(result));
                }
            } finally {
                if (postgres) {
                    connection.rollback();
                    connection.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not compute the figures of process '" + process.name()
                    + "' for " + period.from() + " to " + period.to() + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** The aggregated rows of one query, by kind. */
    private static final class Rows {
        final PipelineOrder order;
        final ReadScope scope;
        final Instant asOf;
        final List<StampQuery.Row> started = new ArrayList<>();
        final List<StampQuery.Row> ended = new ArrayList<>();
        final List<StampQuery.Row> outcomes = new ArrayList<>();
        final List<StampQuery.Row> current = new ArrayList<>();
        final List<StampQuery.Row> conversion = new ArrayList<>();
        final List<StampQuery.Row> stays = new ArrayList<>();
        final Map<Integer, StampQuery.Row> cycles = new LinkedHashMap<>();
        StampQuery.Row endedDurations;
        StampQuery.Row openAges;

        Rows(PipelineOrder order, ReadScope scope, Instant asOf) {
            this.order = order;
            this.scope = scope;
            this.asOf = asOf;
        }

        void add(StampQuery.Row row) {
            switch (row.kind()) {
                case StampQuery.STARTED -> started.add(row);
                case StampQuery.ENDED -> ended.add(row);
                case StampQuery.OUTCOME -> outcomes.add(row);
                case StampQuery.CURRENT -> current.add(row);
                case StampQuery.CONVERSION -> conversion.add(row);
                case StampQuery.STAY -> stays.add(row);
                case StampQuery.ENDED_DURATION -> endedDurations = row;
                case StampQuery.OPEN_AGE -> openAges = row;
                case StampQuery.CYCLE -> cycles.put(Integer.valueOf(row.key()), row);
                default -> throw new IllegalStateException("Unknown row kind " + row.kind());
            }
        }

        int casesStarted() {
            return started.stream().mapToInt(StampQuery.Row::count).sum();
        }
    }

    private static List<PeriodCount> casesPerPeriod(Rows rows, KpiPeriod period) {
        List<KpiPeriod.Bucket> buckets = period.buckets();
        int[] startedPerBucket = new int[buckets.size()];
        int[] endedPerBucket = new int[buckets.size()];
        rows.started.forEach(row -> startedPerBucket[bucketOf(buckets, row.day())] += row.count());
        rows.ended.forEach(row -> endedPerBucket[bucketOf(buckets, row.day())] += row.count());
        List<PeriodCount> counts = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            KpiPeriod.Bucket bucket = buckets.get(i);
            counts.add(new PeriodCount(bucket.from(), bucket.to(), startedPerBucket[i], endedPerBucket[i]));
        }
        return counts;
    }

    private static int bucketOf(List<KpiPeriod.Bucket> buckets, LocalDate day) {
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
    private static Outcomes outcomes(Rows rows) {
        int ended = rows.outcomes.stream().mapToInt(StampQuery.Row::count).sum();
        List<OutcomeCount> byPhase = new ArrayList<>();
        List<ReasonCount> byReason = new ArrayList<>();
        for (PhaseDefinition phase : rows.order.phases()) {
            if (!phase.isClosing()) {
                continue;
            }
            Map<Optional<String>, Integer> reasons = new LinkedHashMap<>();
            rows.outcomes.stream().filter(row -> row.key().equals(phase.name()))
                    .forEach(row -> reasons.merge(Optional.ofNullable(row.detail()), row.count(), Integer::sum));
            int inPhase = reasons.values().stream().mapToInt(Integer::intValue).sum();
            byPhase.add(new OutcomeCount(phase.name(), phase.outcome(), inPhase, share(inPhase, ended)));
            if (!rows.scope.sees(phase.reasonField())) {
                continue;
            }
            reasons.entrySet().stream()
                    .sorted(REASONS_BY_COUNT)
                    .forEach(r -> byReason.add(new ReasonCount(phase.name(), r.getKey().orElse(null),
                            r.getValue(), (double) r.getValue() / inPhase)));
        }
        return new Outcomes(ended, byPhase, byReason);
    }

    private static CaseDurations durations(Rows rows) {
        DurationStats ended = rows.endedDurations == null ? DurationStats.NONE : rows.endedDurations.stats();
        int open = rows.openAges == null ? 0 : rows.openAges.count();
        return new CaseDurations(ended, new OpenCases(open, open == 0 ? null : rows.openAges.stats().mean()));
    }

    private static Conversion conversion(Rows rows, boolean perPhase) {
        List<PhaseConversion> phases = new ArrayList<>();
        for (PhaseDefinition phase : rows.order.phases()) {
            if (phase.isClosing() || !perPhase) {
                continue;
            }
            Optional<StampQuery.Row> row = rows.conversion.stream().filter(r -> r.key().equals(phase.name())).findFirst();
            int entered = row.map(StampQuery.Row::count).orElse(0);
            int advanced = row.map(StampQuery.Row::other).orElse(0);
            phases.add(new PhaseConversion(phase.name(), entered, advanced, share(advanced, entered)));
        }
        int closed = rows.current.stream().mapToInt(StampQuery.Row::other).sum();
        int won = rows.current.stream().filter(r -> rows.order.outcome(r.key()) == PhaseOutcome.SUCCESS)
                .mapToInt(StampQuery.Row::other).sum();
        return new Conversion(phases, closed, won, share(won, closed));
    }

    private static List<PhaseTime> timeInPhase(Rows rows) {
        return rows.order.phases().stream()
                .filter(p -> !p.isClosing())
                .map(p -> new PhaseTime(p.name(),
                        rows.stays.stream().filter(r -> r.key().equals(p.name())).findFirst()
                                .map(StampQuery.Row::stats).orElse(DurationStats.NONE),
                        rows.current.stream().filter(r -> r.key().equals(p.name())).findFirst()
                                .map(StampQuery.Row::count).orElse(0)))
                .toList();
    }

    private static List<CycleTime> cycleTimes(Rows rows, List<PhasePair> pairs) {
        List<CycleTime> times = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            StampQuery.Row row = rows.cycles.get(i);
            times.add(new CycleTime(pairs.get(i).from(), pairs.get(i).to(), row == null ? 0 : row.other(),
                    row == null ? DurationStats.NONE : row.stats()));
        }
        return times;
    }

    private static Double share(int part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
