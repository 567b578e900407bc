package io.relata.bench.core;

import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.dashboard.Widget;
import io.relata.api.security.Actor;
import io.relata.process.kpi.ProcessKpis;
import io.relata.runtime.Database;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.dashboard.Dashboards;
import io.relata.runtime.dashboard.KeyLabels;
import io.relata.runtime.dashboard.WidgetFigures;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard benchmark (issue 17), in process on PostgreSQL with the shipped metadata and dashboards, at 1M
 * opportunities loaded by COPY ({@link OpportunityData}, the same rows as the order benchmark):
 * <ol>
 * <li>the sales funnel (open volume per phase) and the won revenue per month of the last 12 months, as widgets of the
 * shipped {@code sales} dashboard through the viewer's store, against the same GROUP BY written by hand, interleaved
 * call by call, for a sales manager (every row) and a rep (the team's rows); goal ≤ 1.2× at p95;</li>
 * <li>the whole shipped {@code sales} dashboard (8 widgets: 4 kpis, two of them with the previous period, the funnel,
 * a stacked bar, a line and a donut) for both; goal ≤ 500 ms server time at p95.</li>
 * </ol>
 * Writes bench/results/&lt;date&gt;-dashboards-1m.md. {@code -Dbench.rows} (1M), {@code -Dbench.samples} (100),
 * {@code -Dbench.reuse=true} keeps the loaded database of an earlier run (of this or the order benchmark).
 */
public final class DashboardBenchmark {

    private static final String OPEN = "'qualification', 'needs_analysis', 'proposal', 'negotiation'";

    private final Path repository = Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    private final BenchDatabase database = new BenchDatabase("relata_bench_orders");
    private final int rows = Integer.getInteger("bench.rows", 1_000_000);
    private final boolean reuse = Boolean.getBoolean("bench.reuse");
    private final int samples = Integer.getInteger("bench.samples", 100);
    private final Path output = Path.of(System.getProperty("bench.out",
            repository.resolve("bench/results/" + LocalDate.now() + "-dashboards-1m.md").toString()));
    private final Report out = new Report();

    public static void main(String[] args) throws Exception {
        new DashboardBenchmark().run();
    }

    private void run() throws Exception {
        if (!reuse) {
            database.recreate();
        }
        InProcessCrm crm = new InProcessCrm(database, repository);
        Database db = crm.db;
        MetadataRuntime metadata = crm.metadata;
        JdbcRecordStore store = crm.store;
        out.append("# Dashboards at " + String.format("%,d", rows) + " opportunities (issue 17)\n\n");
        out.line("PostgreSQL " + database.scalar("SHOW server_version") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", load average before: " + Report.loadAverage()
                + ". In process: the runtime's dashboards on the shipped metadata through the viewer's record store.");
        LocalDate first = LocalDate.now(ZoneId.systemDefault()).withDayOfMonth(1);
        try (Connection c = database.connect()) {
            boolean loaded = reuse && count(c, "rec_opportunity") == rows;
            boolean stamped = loaded && count(c, "crm_process_case") > 0;
            if (!loaded || !stamped) {
                out.section("Load");
            }
            if (!loaded) {
                out.line(OpportunityData.load(c, rows, first));
            }
            if (!stamped) {
                out.line(ProcessStampData.load(c, LocalDate.now(ZoneId.systemDefault())));
            }
        }
        Clock clock = Clock.systemDefaultZone();
        Dashboards dashboards = new Dashboards(metadata::model, clock);
        DashboardDefinition sales = metadata.model().dashboard("sales").orElseThrow();
        Actor manager = Actor.user(1, "bench_manager", Set.of("sales_manager"), List.of(1L));
        Actor rep = Actor.user(100, "bench_rep", Set.of("sales"), List.of(1L)); // owns rows, in team 1
        // the manager reads every row; the rep (RowScope#aggregateParts) the team's rows and their own outside the team
        String everyRow = "SELECT %s FROM rec_opportunity WHERE %s";
        String teamRows = "SELECT %1$s FROM (SELECT %2$s FROM rec_opportunity WHERE owner_team IN (1) AND %3$s UNION ALL"
                + " SELECT %2$s FROM rec_opportunity WHERE owner_user = 100 AND (owner_team IS NULL OR owner_team < 1"
                + " OR owner_team > 1) AND %3$s) in_scope";
        String teamAsOneOr = "SELECT %s FROM rec_opportunity WHERE (owner_user = 100 OR owner_team IN (1)) AND %s";
        Map<String, String[]> shapes = Map.of(
                "funnel", new String[] {"phase, SUM(amount)", "phase, amount", "phase IN (" + OPEN + ")", " GROUP BY phase"},
                "won_per_month", new String[] {"EXTRACT(YEAR FROM close_date), EXTRACT(MONTH FROM close_date), SUM(amount)",
                        "close_date, amount", "phase = 'won' AND close_date >= ? AND close_date < ?", " GROUP BY 1, 2"});

        out.section("Funnel and monthly revenue against the same SQL by hand");
        out.table("widget", "viewer", "platform p50 ms", "platform p95 ms", "SQL by hand p50 ms", "SQL by hand p95 ms",
                "p95 ratio", "team scope as one OR, p95 ms");
        for (String widget : List.of("funnel", "won_per_month")) {
            String[] shape = shapes.get(widget);
            LocalDate from = widget.equals("funnel") ? null : first.minusMonths(11);
            for (Actor viewer : List.of(manager, rep)) {
                Dashboards.Viewer as = viewer(db, metadata, store, clock, viewer);
                Widget definition = sales.widget(widget).orElseThrow();
                boolean team = viewer == rep;
                String sql = (team ? String.format(teamRows, shape[0], shape[1], shape[2])
                        : String.format(everyRow, shape[0], shape[2])) + shape[3];
                String asOneOr = team ? String.format(teamAsOneOr, shape[0], shape[2]) + shape[3] : null;
                Latencies platform = new Latencies();
                Latencies raw = new Latencies();
                Latencies or = new Latencies();
                for (int i = 0; i < samples + 10; i++) {
                    long started = System.nanoTime();
                    WidgetFigures figures = dashboards.figures(as, definition);
                    long platformNanos = System.nanoTime() - started;
                    if (figures.hidden()) {
                        throw new IllegalStateException(widget + " is hidden from " + viewer.username());
                    }
                    started = System.nanoTime();
                    byHand(db, sql, from, first.plusMonths(1));
                    long rawNanos = System.nanoTime() - started;
                    long orNanos = 0;
                    if (asOneOr != null) {
                        started = System.nanoTime();
                        byHand(db, asOneOr, from, first.plusMonths(1));
                        orNanos = System.nanoTime() - started;
                    }
                    if (i >= 10) {
                        platform.add(platformNanos);
                        raw.add(rawNanos);
                        or.add(orNanos);
                    }
                }
                out.row(widget, viewer.username(), Report.ms(platform.p50()), Report.ms(platform.p95()),
                        Report.ms(raw.p50()), Report.ms(raw.p95()), String.format("%.2f×", platform.p95() / raw.p95()),
                        team ? Report.ms(or.p95()) : "–");
            }
        }
        out.line("The platform's figure includes what the SQL by hand leaves out: the access checks, the viewer's row"
                + " condition (for the rep), the labels of the groups (phases by their option labels, months by name),"
                + " the empty months filled in and the drill-down filters of every cell. The rep's SQL by hand reads"
                + " the team's rows and the rep's own rows outside the team in two branches, as the platform does; the"
                + " last column is the same figure with the team scope as one OR (the platform's query before). "
                + samples + " calls each after 10 to warm up, interleaved.");

        out.section("The shipped sales dashboard: 8 widgets, server time per page");
        out.table("viewer", "p50 ms", "p95 ms", "widgets");
        for (Actor viewer : List.of(manager, rep)) {
            Dashboards.Viewer as = viewer(db, metadata, store, clock, viewer);
            Latencies page = new Latencies();
            for (int i = 0; i < samples + 5; i++) {
                long started = System.nanoTime();
                List<WidgetFigures> figures = dashboards.figures(as, sales);
                long nanos = System.nanoTime() - started;
                if (figures.size() != sales.widgets().size()) {
                    throw new IllegalStateException("not every widget was computed");
                }
                if (i >= 5) {
                    page.add(nanos);
                }
            }
            out.row(viewer.username(), Report.ms(page.p50()), Report.ms(page.p95()),
                    Integer.toString(sales.widgets().size()));
        }
        out.line("The widgets run one after the other on one connection each (10 queries: two kpis also compute the"
                + " previous period); the activities they count are none here (the table is empty), the opportunities"
                + " 1M. Goal: ≤ 500 ms at p95.");
        processFigures(db, metadata, store, dashboards, manager, rep);
        out.line("Load average after: " + Report.loadAverage() + ".");
        Files.createDirectories(output.getParent());
        out.write(output);
        System.out.println("Report: " + output);
        crm.close();
        System.exit(0);
    }

    /**
     * The process widgets of the shipped management dashboard (win rate, cycle time, outcomes over the last 365 days):
     * each computes its figure in the database ({@code ProcessKpis}: window functions over the stamps of the cases
     * active in the period, then GROUP BY), which at 1M cases is where the work is.
     */
    private void processFigures(Database db, MetadataRuntime metadata, JdbcRecordStore store, Dashboards dashboards,
                                Actor manager, Actor rep) {
        out.section("Process figures of the management dashboard (1M cases of opportunity_sales)");
        DashboardDefinition management = metadata.model().dashboard("management").orElseThrow();
        int calls = Integer.getInteger("bench.processSamples", 10);
        out.table("widget", "viewer", "p50 ms", "p95 ms", "heap after the call, MB");
        Clock clock = Clock.systemDefaultZone();
        for (String widget : List.of("win_rate", "cycle_time", "outcomes")) {
            for (Actor viewer : List.of(manager, rep)) {
                Dashboards.Viewer as = viewer(db, metadata, store, clock, viewer);
                Widget definition = management.widget(widget).orElseThrow();
                Latencies latencies = new Latencies();
                long heap = 0;
                for (int i = 0; i < calls + 2; i++) {
                    long started = System.nanoTime();
                    dashboards.figures(as, definition);
                    long nanos = System.nanoTime() - started;
                    if (i >= 2) {
                        latencies.add(nanos);
                        Runtime runtime = Runtime.getRuntime();
                        heap = Math.max(heap, runtime.totalMemory() - runtime.freeMemory());
                    }
                }
                out.row(widget, viewer.username(), Report.ms(latencies.p50()), Report.ms(latencies.p95()),
                        Long.toString(heap / (1024 * 1024)));
            }
        }
        out.line("Each process widget computes its figure in the database (ProcessKpis: window functions over the"
                + " stamps of the cases active in the period, then GROUP BY; only a few rows reach Java); " + calls
                + " calls each after 2. A rep's scope is a condition on the stamps' records.");
    }

    private static Dashboards.Viewer viewer(Database db, MetadataRuntime metadata, JdbcRecordStore store, Clock clock,
                                            Actor actor) {
        SecuredRecordStore records = new SecuredRecordStore(store, metadata::model, () -> actor, AuditSink.NONE);
        return new Dashboards.Viewer(records, new ProcessKpis(db.dataSource(), clock, records::readScope),
                new AccessPolicy(metadata.model(), actor), new KeyLabels("en", id -> "Rep " + id, id -> "Team " + id));
    }

    private static long count(Connection c, String table) throws Exception {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void byHand(Database db, String sql, LocalDate from, LocalDate until) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            // a query in two branches has the period's two parameters in each
            for (int i = 1; from != null && i <= statement.getParameterMetaData().getParameterCount(); i += 2) {
                statement.setObject(i, from);
                statement.setObject(i + 1, until);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rs.getBigDecimal(rs.getMetaData().getColumnCount());
                }
            }
        }
    }
}
