package io.relata.runtime.orders;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.Aggregate;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.store.SecuredRecordStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The sales forecast per salesperson (the opportunity's owner) and month (of its close date): quota, won, commit (open
 * opportunities the owner committed), best case (commit and best case), pipeline (open, not omitted) and weighted
 * (the open amounts times their probability), as the viewer may read them: every figure is computed in the database
 * within the viewer's rows, and a viewer who may not see amounts gets no forecast. Won and lost are the phases whose
 * outcome is success or failure in the opportunity's processes. Each week the forecast is kept ({@code
 * crm_forecast_snapshot}), so the page shows what changed since.
 */
public final class Forecast {

    public static final String OPPORTUNITY = "opportunity";
    public static final String QUOTA = "quota";
    /** Months kept in a weekly snapshot: this one and the next five. */
    static final int SNAPSHOT_MONTHS = 6;

    private final Supplier<MetadataModel> models;
    private final DataSource dataSource;
    private final Clock clock;

    /** @param clock in the platform's zone: which month and week it is */
    public Forecast(Supplier<MetadataModel> models, DataSource dataSource, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the model has what a forecast needs: opportunities with amount, close date and forecast category. */
    public boolean available() {
        Optional<EntityDefinition> opportunity = models.get().entity(OPPORTUNITY);
        return opportunity.isPresent() && opportunity.get().field("amount").isPresent()
                && opportunity.get().field("close_date").isPresent()
                && opportunity.get().field("forecast_category").isPresent()
                && opportunity.get().field("weighted_amount").isPresent() && phaseField().isPresent();
    }

    /** One cell: the figures of a salesperson in a month, or a total. */
    public record Figures(BigDecimal quota, BigDecimal won, BigDecimal commit, BigDecimal bestCase, BigDecimal pipeline,
                          BigDecimal weighted) {

        public static final Figures ZERO = new Figures(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        Figures plus(Figures other) {
            return new Figures(quota.add(other.quota), won.add(other.won), commit.add(other.commit),
                    bestCase.add(other.bestCase), pipeline.add(other.pipeline), weighted.add(other.weighted));
        }

        /** Won as a share of the quota in percent, or null without a quota. */
        public BigDecimal attainment() {
            return quota.signum() == 0 ? null
                    : won.multiply(BigDecimal.valueOf(100)).divide(quota, 0, java.math.RoundingMode.HALF_UP);
        }
    }

    /**
     * One salesperson's row, or one team's.
     *
     * @param ownerUser the salesperson, or the team ({@link By#TEAM})
     * @param lastWeek  the total as the snapshot of the latest earlier week had it; null if there is none, for
     *                  teams (whose members change) and for rows the viewer reads only in part (another's row
     *                  under a team or linked read scope)
     */
    public record Row(long ownerUser, Map<LocalDate, Figures> months, Figures total, Figures lastWeek) {
    }

    /** The rows of the table: one per salesperson (the owner) or per team (the owner's team). */
    public enum By {
        OWNER, TEAM
    }

    /** The forecast table: months, one row per salesperson with figures, and the total. */
    public record Table(List<LocalDate> months, List<Row> rows, Map<LocalDate, Figures> monthTotals, Figures total,
                        LocalDate snapshotWeek) {
    }

    /** The phases of the opportunity's processes by outcome: won (success) and lost (failure); others are open. */
    private record Phases(String field, Set<String> won, Set<String> lost) {
    }

    private Optional<String> phaseField() {
        return models.get().processesOf(OPPORTUNITY).stream().map(ProcessDefinition::phaseField).findFirst();
    }

    private Phases phases() {
        Set<String> won = new HashSet<>();
        Set<String> lost = new HashSet<>();
        for (ProcessDefinition process : models.get().processesOf(OPPORTUNITY)) {
            for (PhaseDefinition phase : process.phases()) {
                if (phase.outcome() == PhaseOutcome.SUCCESS) {
                    won.add(phase.name());
                } else if (phase.outcome() == PhaseOutcome.FAILURE) {
                    lost.add(phase.name());
                }
            }
        }
        return new Phases(phaseField().orElse("phase"), won, lost);
    }

    /** The first day of this month in the platform's zone. */
    public LocalDate thisMonth() {
        return LocalDate.now(clock).withDayOfMonth(1);
    }

    /**
     * The forecast for {@code months} months from {@code firstMonth} as the user of {@code records} may read it.
     *
     * @throws io.relata.api.record.RecordException when they may not read opportunities or their amounts
     */
    public Table table(SecuredRecordStore records, LocalDate firstMonth, int months) {
        return table(records, firstMonth, months, By.OWNER);
    }

    /** The forecast with a row per salesperson or per team. */
    public Table table(SecuredRecordStore records, LocalDate firstMonth, int months, By by) {
        String key = by == By.TEAM ? "owner_team" : "owner_user";
        LocalDate first = firstMonth.withDayOfMonth(1);
        List<LocalDate> range = new ArrayList<>();
        for (int i = 0; i < months; i++) {
            range.add(first.plusMonths(i));
        }
        LocalDate end = first.plusMonths(months);
        Phases phases = phases();
        Map<Long, Map<LocalDate, Figures>> cells = new TreeMap<>();
        RecordQuery closing = new RecordQuery(List.of(new Filter("close_date", FilterOperator.GE, first.toString()),
                new Filter("close_date", FilterOperator.LT, end.toString())), List.of(), null, 1, null);
        List<Grouping.Group> groups = records.groups(OPPORTUNITY, closing, new Grouping(List.of(
                Grouping.Key.of(key), Grouping.Key.month("close_date"), Grouping.Key.of(phases.field()),
                Grouping.Key.of("forecast_category")), List.of(new Grouping.Measure(Aggregate.SUM, "amount"),
                new Grouping.Measure(Aggregate.SUM, "weighted_amount"))));
        for (Grouping.Group group : groups) {
            if (!(group.keys().get(0) instanceof Long owner) || !(group.keys().get(1) instanceof LocalDate month)) {
                continue; // no owner, no close date: in nobody's forecast
            }
            String phase = String.valueOf(group.keys().get(2));
            String category = String.valueOf(group.keys().get(3));
            BigDecimal amount = amount(group.values().get(0));
            BigDecimal weighted = amount(group.values().get(1));
            Figures figures;
            if (phases.won().contains(phase)) {
                figures = new Figures(BigDecimal.ZERO, amount, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                        BigDecimal.ZERO);
            } else if (phases.lost().contains(phase) || "omitted".equals(category)) {
                continue;
            } else {
                boolean commit = "commit".equals(category);
                boolean bestCase = commit || "best_case".equals(category);
                figures = new Figures(BigDecimal.ZERO, BigDecimal.ZERO, commit ? amount : BigDecimal.ZERO,
                        bestCase ? amount : BigDecimal.ZERO, amount, weighted);
            }
            cells.computeIfAbsent(owner, o -> new TreeMap<>()).merge(month, figures, Figures::plus);
        }
        if (records.policy().canRead(QUOTA) && models.get().entity(QUOTA).isPresent()) {
            RecordQuery inRange = new RecordQuery(List.of(new Filter("month", FilterOperator.GE, first.toString()),
                    new Filter("month", FilterOperator.LT, end.toString())), List.of(), null, 1, null);
            for (Grouping.Group group : records.groups(QUOTA, inRange, new Grouping(List.of(Grouping.Key.of(key),
                    Grouping.Key.month("month")), List.of(new Grouping.Measure(Aggregate.SUM, "amount"))))) {
                if (group.keys().get(0) instanceof Long owner && group.keys().get(1) instanceof LocalDate month) {
                    cells.computeIfAbsent(owner, o -> new TreeMap<>()).merge(month, new Figures(amount(group.values()
                            .get(0)), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO),
                            Figures::plus);
                }
            }
        }
        LocalDate week = LocalDate.now(clock).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Snapshot snapshot = by == By.TEAM ? new Snapshot(null, Map.of()) : snapshotBefore(week, cells.keySet(), first, end);
        // The snapshot summed all of an owner's opportunities: set against a row the viewer sees only in part,
        // the change would disclose figures of records outside their read scope.
        boolean readsEveryOpportunity = records.readScope(OPPORTUNITY).allRecords();
        List<Row> rows = new ArrayList<>();
        Map<LocalDate, Figures> monthTotals = new LinkedHashMap<>();
        range.forEach(month -> monthTotals.put(month, Figures.ZERO));
        Figures total = Figures.ZERO;
        for (Map.Entry<Long, Map<LocalDate, Figures>> owner : cells.entrySet()) {
            Map<LocalDate, Figures> byMonth = new LinkedHashMap<>();
            Figures rowTotal = Figures.ZERO;
            for (LocalDate month : range) {
                Figures figures = owner.getValue().getOrDefault(month, Figures.ZERO);
                byMonth.put(month, figures);
                rowTotal = rowTotal.plus(figures);
                monthTotals.merge(month, figures, Figures::plus);
            }
            total = total.plus(rowTotal);
            boolean readInFull = readsEveryOpportunity || owner.getKey() == records.policy().actor().userId();
            rows.add(new Row(owner.getKey(), byMonth, rowTotal,
                    readInFull ? snapshot.totals().get(owner.getKey()) : null));
        }
        return new Table(range, rows, monthTotals, total, snapshot.week());
    }

    private static BigDecimal amount(Object value) {
        return value instanceof BigDecimal amount ? amount : BigDecimal.ZERO;
    }

    /** What a figure of the forecast sums up. */
    public enum Measure {
        WON, COMMIT, BEST_CASE, PIPELINE, WEIGHTED;

        public BigDecimal of(Figures figures) {
            return switch (this) {
                case WON -> figures.won();
                case COMMIT -> figures.commit();
                case BEST_CASE -> figures.bestCase();
                case PIPELINE -> figures.pipeline();
                case WEIGHTED -> figures.weighted();
            };
        }
    }

    /**
     * The filters of the opportunities behind a figure (the list page shows exactly them): the owner (null: all),
     * closing in {@code months} months from {@code month}, in the measure's phases and forecast categories.
     */
    public List<Filter> drillDown(Measure measure, Long owner, LocalDate month, int months) {
        return drillDown(measure, By.OWNER, owner, month, months);
    }

    /** {@link #drillDown(Measure, Long, LocalDate, int)} of a row per salesperson or per team. */
    public List<Filter> drillDown(Measure measure, By by, Long row, LocalDate month, int months) {
        Phases phases = phases();
        List<Filter> filters = new ArrayList<>();
        if (row != null) {
            filters.add(new Filter(by == By.TEAM ? "owner_team" : "owner_user", FilterOperator.EQ, Long.toString(row)));
        }
        filters.add(new Filter("close_date", FilterOperator.GE, month.withDayOfMonth(1).toString()));
        filters.add(new Filter("close_date", FilterOperator.LT, month.withDayOfMonth(1).plusMonths(months).toString()));
        if (measure == Measure.WON) {
            filters.add(new Filter(phases.field(), FilterOperator.IN, List.copyOf(new java.util.TreeSet<>(phases.won()))));
            return filters;
        }
        List<String> open = models.get().entity(OPPORTUNITY).flatMap(e -> e.field(phases.field()))
                .map(f -> f.options().stream().map(io.relata.api.model.ChoiceOption::value)
                        .filter(v -> !phases.won().contains(v) && !phases.lost().contains(v)).toList())
                .orElse(List.of());
        filters.add(new Filter(phases.field(), FilterOperator.IN, open));
        filters.add(switch (measure) {
            case COMMIT -> new Filter("forecast_category", FilterOperator.EQ, "commit");
            case BEST_CASE -> new Filter("forecast_category", FilterOperator.IN, List.of("commit", "best_case"));
            default -> new Filter("forecast_category", FilterOperator.NE, "omitted");
        });
        return filters;
    }

    // ---- weekly snapshots ----

    /** The totals per salesperson of the latest snapshot before {@code week}, over the months in the range. */
    private record Snapshot(LocalDate week, Map<Long, Figures> totals) {
    }

    private Snapshot snapshotBefore(LocalDate week, Set<Long> owners, LocalDate first, LocalDate end) {
        if (owners.isEmpty()) {
            return new Snapshot(null, Map.of());
        }
        try (Connection c = dataSource.getConnection()) {
            LocalDate latest;
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT MAX(week_start) FROM crm_forecast_snapshot WHERE week_start < ?")) {
                statement.setObject(1, week);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    latest = rs.getObject(1, LocalDate.class);
                }
            }
            if (latest == null) {
                return new Snapshot(null, Map.of());
            }
            Map<Long, Figures> totals = new LinkedHashMap<>();
            try (PreparedStatement statement = c.prepareStatement("SELECT owner_user, quota, won, commit_sum, best_case,"
                    + " pipeline, weighted FROM crm_forecast_snapshot WHERE week_start = ? AND month_start >= ? AND month_start < ?")) {
                statement.setObject(1, latest);
                statement.setObject(2, first);
                statement.setObject(3, end);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long owner = rs.getLong(1);
                        if (owners.contains(owner)) {
                            totals.merge(owner, new Figures(rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                                    rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7)), Figures::plus);
                        }
                    }
                }
            }
            return new Snapshot(latest, totals);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the forecast snapshots: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps this week's forecast (this month and the next five, every salesperson, the platform's view) unless it is
     * kept already: once a week on whichever node comes first.
     *
     * @param platform the platform's own store (every record)
     * @return the rows written; 0 when this week's snapshot exists
     */
    public int snapshotIfDue(SecuredRecordStore platform) {
        if (!available()) {
            return 0;
        }
        LocalDate week = LocalDate.now(clock).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM crm_forecast_snapshot WHERE week_start = ?")) {
                exists.setObject(1, week);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return 0;
                    }
                }
            }
            Table table = table(platform, thisMonth(), SNAPSHOT_MONTHS);
            c.setAutoCommit(false);
            int written = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_forecast_snapshot (week_start, owner_user, month_start,"
                    + " quota, won, commit_sum, best_case, pipeline, weighted, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Row row : table.rows()) {
                    for (Map.Entry<LocalDate, Figures> cell : row.months().entrySet()) {
                        Figures f = cell.getValue();
                        insert.setObject(1, week);
                        insert.setLong(2, row.ownerUser());
                        insert.setObject(3, cell.getKey());
                        insert.setBigDecimal(4, f.quota());
                        insert.setBigDecimal(5, f.won());
                        insert.setBigDecimal(6, f.commit());
                        insert.setBigDecimal(7, f.bestCase());
                        insert.setBigDecimal(8, f.pipeline());
                        insert.setBigDecimal(9, f.weighted());
                        insert.setObject(10, OffsetDateTime.now(clock));
                        insert.addBatch();
                        written++;
                    }
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState()) || e instanceof java.sql.SQLIntegrityConstraintViolationException
                        || (e.getNextException() != null && "23505".equals(e.getNextException().getSQLState()))) {
                    return 0; // another node kept this week meanwhile
                }
                throw e;
            }
            return written;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not keep the forecast snapshot: " + e.getMessage(), e);
        }
    }

    // ---- quotas ----

    /**
     * Sets the quota of {@code owner} for the month of {@code month} (a quota record owned by them, created or
     * changed), with the rights of the user of {@code records} (sales management); an empty amount removes it.
     */
    public void setQuota(SecuredRecordStore records, long owner, Long ownerTeam, LocalDate month, BigDecimal amount) {
        LocalDate first = month.withDayOfMonth(1);
        List<Record> existing = records.query(QUOTA, new RecordQuery(List.of(new Filter("owner_user", FilterOperator.EQ,
                Long.toString(owner)), new Filter("month", FilterOperator.EQ, first.toString())), List.of(), null, 10, null))
                .records();
        if (amount == null) {
            existing.forEach(quota -> records.delete(QUOTA, quota.id(), quota.version()));
            return;
        }
        if (!existing.isEmpty()) {
            Record quota = existing.get(0);
            records.update(QUOTA, quota.id(), quota.version(), Map.of("amount", amount));
            return;
        }
        Record created = records.create(QUOTA, Map.of("month", first, "amount", amount));
        records.updateOnBehalf(QUOTA, created.id(), created.version(), Map.of(), Set.of(), owner, ownerTeam);
    }
}
