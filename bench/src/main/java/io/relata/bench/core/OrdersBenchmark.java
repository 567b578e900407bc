package io.relata.bench.core;

import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.runtime.Database;
import io.relata.runtime.MetadataRuntime;
import io.relata.runtime.orders.Forecast;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order management benchmark (issue 16), in process on PostgreSQL with the shipped metadata:
 * <ol>
 * <li>the forecast ({@link Forecast#table}: per salesperson, month, phase and category, within the viewer's rows) at
 * 1M opportunities loaded by COPY, against the same aggregation written by hand in SQL, interleaved call by call, for
 * a sales manager (every row) and a rep (the team's rows); goal ≤ 1.2× at p95;</li>
 * <li>a quote with 200 lines: changing one line's quantity through the user's store (the line's price lookup in the
 * price lists, exact money rules, the quote's totals recomputed over its 200 lines in the same transaction), and the
 * line form's preview as the user types (the rules without the write); p50 and p95 server time.</li>
 * </ol>
 * Writes bench/results/&lt;date&gt;-orders-1m.md. {@code -Dbench.rows} (1M), {@code -Dbench.samples} (100),
 * {@code -Dbench.reuse=true} keeps the loaded database.
 */
public final class OrdersBenchmark {


    private final Path repository = Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    private final BenchDatabase database = new BenchDatabase("relata_bench_orders");
    private final int rows = Integer.getInteger("bench.rows", 1_000_000);
    private final boolean reuse = Boolean.getBoolean("bench.reuse");
    private final int samples = Integer.getInteger("bench.samples", 100);
    private final Path output = Path.of(System.getProperty("bench.out",
            repository.resolve("bench/results/" + LocalDate.now() + "-orders-1m.md").toString()));
    private final Report out = new Report();

    public static void main(String[] args) throws Exception {
        new OrdersBenchmark().run();
    }

    private void run() throws Exception {
        if (!reuse) {
            database.recreate();
        }
        InProcessCrm crm = new InProcessCrm(database, repository);
        Database db = crm.db;
        MetadataRuntime metadata = crm.metadata;
        JdbcRecordStore store = crm.store;
        out.append("# Order management at " + String.format("%,d", rows) + " opportunities (issue 16)\n\n");
        out.line("PostgreSQL " + database.scalar("SHOW server_version") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", load average before: " + Report.loadAverage()
                + ". In process: the record store, rules and forecast of the runtime on the shipped metadata.");
        LocalDate first = LocalDate.now(ZoneId.systemDefault()).withDayOfMonth(1);
        if (!reuse) {
            load(first);
        }
        Actor manager = Actor.user(1, "bench_manager", Set.of("sales_manager"), List.of(1L));
        Actor rep = Actor.user(2, "bench_rep", Set.of("sales"), List.of(1L));
        forecast(db, metadata, store, manager, rep, first);
        quote(metadata, store, rep);
        out.line("Load average after: " + Report.loadAverage() + ".");
        Files.createDirectories(output.getParent());
        out.write(output);
        System.out.println("Report: " + output);
        crm.close();
        System.exit(0);
    }

    /** 2,000 accounts and the opportunities: owners across 30 reps in 5 teams, close dates over 24 months. */
    private void load(LocalDate first) throws Exception {
        out.section("Load");
        try (Connection c = database.connect()) {
            out.line(OpportunityData.load(c, rows, first));
        }
    }

    private void forecast(Database db, MetadataRuntime metadata, JdbcRecordStore store, Actor manager, Actor rep,
                          LocalDate first) throws Exception {
        out.section("Forecast: 3 months, per salesperson, against the same SQL by hand");
        Forecast forecast = new Forecast(metadata::model, db.dataSource(), Clock.systemDefaultZone());
        LocalDate end = first.plusMonths(3);
        String sql = "SELECT owner_user, EXTRACT(YEAR FROM close_date), EXTRACT(MONTH FROM close_date), phase,"
                + " forecast_category, SUM(amount), SUM(weighted_amount) FROM rec_opportunity WHERE close_date >= ?"
                + " AND close_date < ?%s GROUP BY 1, 2, 3, 4, 5";
        out.table("viewer", "platform p50 ms", "platform p95 ms", "SQL by hand p50 ms", "SQL by hand p95 ms",
                "p95 ratio", "rows in the table");
        for (Actor viewer : List.of(manager, rep)) {
            SecuredRecordStore records = new SecuredRecordStore(store, metadata::model, () -> viewer, AuditSink.NONE);
            String byHand = String.format(sql, viewer == rep ? " AND owner_team = 1" : "");
            Latencies platform = new Latencies();
            Latencies raw = new Latencies();
            int tableRows = 0;
            for (int i = 0; i < samples + 10; i++) {
                long started = System.nanoTime();
                Forecast.Table table = forecast.table(records, first, 3);
                long platformNanos = System.nanoTime() - started;
                tableRows = table.rows().size();
                started = System.nanoTime();
                try (Connection c = db.dataSource().getConnection(); PreparedStatement statement = c.prepareStatement(byHand)) {
                    statement.setObject(1, first);
                    statement.setObject(2, end);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            rs.getBigDecimal(6);
                        }
                    }
                }
                long rawNanos = System.nanoTime() - started;
                if (i >= 10) { // after the warm-up
                    platform.add(platformNanos);
                    raw.add(rawNanos);
                }
            }
            out.row(viewer.username(), Report.ms(platform.p50()), Report.ms(platform.p95()), Report.ms(raw.p50()),
                    Report.ms(raw.p95()), String.format("%.2f×", platform.p95() / raw.p95()), Integer.toString(tableRows));
        }
        out.line("The platform's figure includes what the SQL by hand leaves out: the quotas (a second, small GROUP BY),"
                + " the viewer's row condition, the access checks, the last week's snapshot and sorting the groups. "
                + samples + " calls each after 10 to warm up, interleaved. Both run the same plan (bitmap index scan"
                + " on close_date, then grouping); an ORDER BY of the grouped keys in SQL had made PostgreSQL sort all"
                + " 123,000 matching rows on disk to group them (1.90x at p95 in the first run of this day), so the"
                + " platform sorts the few thousand groups in Java.");
    }

    private void quote(MetadataRuntime metadata, JdbcRecordStore store, Actor rep) {
        out.section("A quote with 200 lines: one line changed, and the line form's preview");
        long account = store.create("account", Map.of("name", "Bench Kunde " + System.nanoTime()), rep.userId(),
                rep.primaryTeam()).id();
        long opportunity = store.create("opportunity", Map.of("name", "Bench Deal", "account", account, "phase",
                "proposal", "amount", 100000, "close_date", LocalDate.now().plusDays(60).toString()), rep.userId(),
                rep.primaryTeam()).id();
        // the customer's own list: the one that applies, also when an earlier run (bench.reuse) left standard lists
        long list = store.create("price_list", Map.of("name", "Bench", "currency", "eur", "valid_from", "2020-01-01",
                "account", account)).id();
        long[] products = new long[20];
        for (int p = 0; p < products.length; p++) {
            products[p] = store.create("product", Map.of("name", "Produkt " + p, "code", "B-" + p + "-" + System.nanoTime()))
                    .id();
            store.create("price_list_item", Map.of("price_list", list, "product", products[p], "min_quantity", 1,
                    "unit_price", new BigDecimal(100 + p * 7 + ".35")));
            store.create("price_list_item", Map.of("price_list", list, "product", products[p], "min_quantity", 50,
                    "unit_price", new BigDecimal(90 + p * 7 + ".15")));
        }
        SecuredRecordStore records = new SecuredRecordStore(store, metadata::model, () -> rep, AuditSink.NONE);
        long quote = records.create("quote", Map.of("name", "Bench quote", "opportunity", opportunity)).id();
        long[] lines = new long[200];
        long started = System.nanoTime();
        for (int i = 0; i < lines.length; i++) {
            lines[i] = records.create("quote_line", Map.of("quote", quote, "product", products[i % products.length],
                    "quantity", 1 + i % 80, "discount_percent", i % 10)).id();
        }
        double createMs = (System.nanoTime() - started) / 1e6 / lines.length;
        Latencies change = new Latencies();
        Latencies preview = new Latencies();
        for (int i = 0; i < samples + 10; i++) {
            long line = lines[(i * 37) % lines.length];
            Record current = records.get("quote_line", line);
            int quantity = 1 + (i * 13) % 120; // crosses the tier at 50 now and then
            long t = System.nanoTime();
            records.update("quote_line", line, current.version(), Map.of("quantity", quantity));
            long changed = System.nanoTime() - t;
            Map<String, Object> typed = new LinkedHashMap<>(current.values());
            typed.put("quantity", Integer.toString(quantity + 1));
            t = System.nanoTime();
            records.preview("quote_line", typed, line);
            long previewed = System.nanoTime() - t;
            if (i >= 10) {
                change.add(changed);
                preview.add(previewed);
            }
        }
        Record totals = records.get("quote", quote);
        out.table("what", "p50 ms", "p95 ms");
        out.row("change one line (rules, price lookup, totals over 200 lines, in one transaction)", Report.ms(change.p50()),
                Report.ms(change.p95()));
        out.row("line form preview as the user types (rules only)", Report.ms(preview.p50()), Report.ms(preview.p95()));
        out.line(String.format("Creating the 200 lines took %.1f ms per line on average. The quote's totals after the"
                + " run: net %s, gross %s (kept current by the platform in each change).", createMs,
                totals.get("net_total"), totals.get("gross_total")));
    }
}
