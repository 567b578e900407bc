package io.relata.bench.core;

import static io.relata.bench.core.Report.loadAverage;
import static io.relata.bench.core.Report.ms;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.security.Actor;
import io.relata.metadata.MetadataLoader;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.process.ProcessCases;
import io.relata.runtime.AuditLog;
import io.relata.runtime.customer.CustomerViews;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The customer view benchmark of issue 15: "the whole 360° customer view of an account with 50 contacts, 200
 * activities, 30 opportunities renders in ≤ 300 ms server time at 1M records in the database". The CRM on
 * PostgreSQL with 1M accounts, contacts, opportunities and activities loaded by COPY ({@link CustomerData}); the
 * customer view of that account, its plain record page, the customer view of a small account and Payara's health
 * check as the floor, each fetched as a sales manager (reads everything) and as the sales rep who owns the
 * account's records (row scope applied), interleaved call by call after a warm-up, one client with keep-alive, Basic
 * credentials on every call. Every answer is checked (status 200, the panels the viewer's roles show, the totals of
 * the related lists, the contacts' e-mail addresses, the figure of open opportunities), so that a broken page does
 * not count as a fast one. Then where the time goes: the statements {@link CustomerViews#show} runs, recorded from
 * the store and run directly, with their plans, and the scans of each table per page from PostgreSQL's statistics.
 * Bounded, loopback only; writes a Markdown report. Run by {@code bench/customer.sh}; settings are system
 * properties {@code bench.*} (see that script).
 */
public final class CustomerViewBenchmark {

    private static final String ADMIN_PASSWORD = "violet-harbour-compass-2026";
    private static final String USER_PASSWORD = "copper-lantern-meadow-2026";
    private static final int REPS = 30;
    private static final int TEAMS = 5;
    private static final String MANAGER = "bench_manager";
    /** Owns the target's and the small account's records; in the first team. */
    private static final String TARGET_REP = "bench_rep_00";
    /** A rep of the second team: owns some of the target's activities. */
    private static final String COLLEAGUE = "bench_rep_06";
    private static final double GOAL_MS = 300;
    /** The related lists' limits in metadata/views/account.yaml: a list shows at most this many rows. */
    private static final Map<String, Integer> LIMITS = Map.of("open_todos", 10, "contacts", 50, "opportunities", 30,
            "tickets", 20, "contact_activities", 10);

    private final Path repository = Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    private final int port = Integer.getInteger("bench.port", 18081);
    private final BenchDatabase database = new BenchDatabase("relata_bench_customer");
    private final int rows = Integer.getInteger("bench.rows", 1_000_000);
    private final boolean reuse = Boolean.getBoolean("bench.reuse");
    private final int samples = Integer.getInteger("bench.samples", 200);
    private final int warmUp = Integer.getInteger("bench.warmup", 20);
    /** Profiles the server with JFR while it serves extra customer views (after the measurement; -Dbench.jfr=false: not). */
    private final boolean profile = Boolean.parseBoolean(System.getProperty("bench.jfr", "true"));
    private final Path work = repository.resolve("bench/target/customer");
    private final Path report = Path.of(System.getProperty("bench.out",
            repository.resolve("bench/results/" + LocalDate.now() + "-customer-view-1m.md").toString()));

    private final Report out = new Report();
    private final Map<String, String> environment = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        new CustomerViewBenchmark().run();
    }

    /** The sales users: the reps (owners of the records), the target's rep, a colleague of another team, the manager. */
    private record Users(List<CustomerData.Owner> reps, CustomerData.Owner targetRep, CustomerData.Owner colleague,
                         long managerId) {
    }

    /** Who looks: their client, and whether they are the rep (row scope) or the manager (every row). */
    private record Viewer(String label, Crm crm, boolean rep) {
    }

    /** One page a viewer fetches and how its answer is checked. */
    private record Page(String label, String path, boolean anonymous, Check check) {
    }

    private interface Check {
        void verify(String html);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        environment.putAll(database.crmEnvironment());
        environment.put("CRM_DEMO_DATA", "false");
        environment.put("CRM_ADMIN_PASSWORD", ADMIN_PASSWORD);
        environment.put("CRM_DATA_DIR", work.resolve("data").toString());
        CustomerData.Sizes sizes = CustomerData.Sizes.of(rows);

        out.append("# Customer view benchmark (issue 15), " + LocalDate.now() + "\n");
        out.section("Set-up");
        out.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + memoryGib() + " GiB RAM; PostgreSQL " + database.scalar("SHOW server_version") + " (shared_buffers "
                + database.scalar("SHOW shared_buffers") + ", work_mem " + database.scalar("SHOW work_mem")
                + "); the CRM, PostgreSQL and this client share the cores. Load average before: " + loadAverage());
        boolean load = !reuse || !databaseLoaded(sizes);
        Users users = null;
        CustomerData.Loaded loaded = null;
        if (load) {
            database.recreate();
            Report.deleteRecursively(work.resolve("data"));
            try (Server first = start("First start, empty database " + database.name())) {
                users = createUsers(first);
                CustomerData data = new CustomerData(sizes, users.reps(), users.targetRep(), users.colleague());
                out.line("Loading by COPY; load average before: " + loadAverage());
                try (Connection connection = database.connect()) {
                    loaded = data.load(connection);
                }
                out.line("Load average after the load: " + loadAverage());
            }
        }
        try (Server server = start("Start on the loaded database")) {
            Crm admin = Crm.basic(server.base(), "admin", ADMIN_PASSWORD);
            if (users == null) {
                users = lookUpUsers(admin);
            }
            CustomerData data = new CustomerData(sizes, users.reps(), users.targetRep(), users.colleague());
            describeData(data, loaded);

            List<Viewer> viewers = List.of(
                    new Viewer("sales manager (role sales_manager: reads every record)", Crm.basic(server.base(), MANAGER,
                            USER_PASSWORD), false),
                    new Viewer("sales rep who owns the account's records (role sales, team scope, activities through "
                            + "their owner or the record they are about)", Crm.basic(server.base(), TARGET_REP, USER_PASSWORD), true));
            Map<Viewer, List<Page>> pages = new LinkedHashMap<>();
            for (Viewer viewer : viewers) {
                pages.put(viewer, pages(data, viewer.rep()));
            }
            Map<String, Latencies> latencies = measure(server, pages);
            results(pages, latencies);
            if (profile) {
                try {
                    profileServer(server, pages);
                } catch (Exception e) {
                    failed("the JFR profile", e);
                }
            }
            breakdown(server, data, users, pages, latencies);
            out.section("Server memory");
            out.line("RSS after the measurement: " + server.rssMib() + " MiB (peak " + server.peakRssMib() + " MiB)");
        }
        out.write(report);
    }

    // ----- set-up -----

    private Server start(String what) throws IOException, InterruptedException {
        Path log = work.resolve("server-" + System.currentTimeMillis() + ".log");
        Server server = Server.start(repository, environment, port, log, Duration.ofMinutes(10));
        out.line(server.describe(what) + "; log " + repository.relativize(log));
        return server;
    }

    private boolean databaseLoaded(CustomerData.Sizes sizes) {
        try (Connection connection = database.connect()) {
            CustomerData probe = new CustomerData(sizes, List.of(new CustomerData.Owner(0, "", 0)),
                    new CustomerData.Owner(0, "", 0), new CustomerData.Owner(0, "", 0));
            return CopyLoader.count(connection, "rec_activity") == probe.activityRows();
        } catch (SQLException e) {
            return false;
        }
    }

    private Users createUsers(Server server) throws IOException, InterruptedException {
        Crm admin = Crm.basic(server.base(), "admin", ADMIN_PASSWORD);
        List<Long> teams = new ArrayList<>();
        for (int t = 0; t < TEAMS; t++) {
            teams.add(admin.post("/api/v1/admin/teams", "{\"name\": " + Crm.quote(teamName(t)) + "}")
                    .getJsonNumber("id").longValue());
        }
        List<CustomerData.Owner> reps = new ArrayList<>();
        for (int i = 0; i < REPS; i++) {
            String name = repName(i);
            long team = teams.get(i * TEAMS / REPS);
            JsonObject user = admin.post("/api/v1/admin/users", "{\"username\": " + Crm.quote(name) + ", \"displayName\": "
                    + Crm.quote("Bench Rep " + i) + ", \"email\": " + Crm.quote(name + "@bench.example.org")
                    + ", \"password\": " + Crm.quote(USER_PASSWORD) + ", \"roles\": [\"sales\"], \"teams\": [" + team + "]}");
            reps.add(new CustomerData.Owner(user.getJsonNumber("id").longValue(), name, team));
        }
        long manager = admin.post("/api/v1/admin/users", "{\"username\": " + Crm.quote(MANAGER) + ", \"displayName\": "
                + "\"Bench Manager\", \"password\": " + Crm.quote(USER_PASSWORD) + ", \"roles\": [\"sales_manager\"]}")
                .getJsonNumber("id").longValue();
        return users(reps, manager);
    }

    private Users lookUpUsers(Crm admin) throws IOException, InterruptedException {
        Map<String, Long> teams = new HashMap<>();
        for (var team : admin.getJson("/api/v1/admin/teams").getJsonArray("items").getValuesAs(JsonObject.class)) {
            teams.put(team.getString("name"), team.getJsonNumber("id").longValue());
        }
        List<CustomerData.Owner> reps = new ArrayList<>();
        for (int i = 0; i < REPS; i++) {
            reps.add(new CustomerData.Owner(admin.userId(repName(i)), repName(i), teams.get(teamName(i * TEAMS / REPS))));
        }
        out.line("Reused the loaded database " + database.name() + " and its users");
        return users(reps, admin.userId(MANAGER));
    }

    private static Users users(List<CustomerData.Owner> reps, long manager) {
        CustomerData.Owner target = reps.stream().filter(r -> r.username().equals(TARGET_REP)).findFirst().orElseThrow();
        CustomerData.Owner colleague = reps.stream().filter(r -> r.username().equals(COLLEAGUE)).findFirst().orElseThrow();
        if (target.teamId() == colleague.teamId()) {
            throw new IllegalStateException("the colleague must be in another team");
        }
        return new Users(reps, target, colleague, manager);
    }

    private static String repName(int i) {
        return String.format(Locale.ROOT, "bench_rep_%02d", i);
    }

    private static String teamName(int t) {
        return "Vertrieb Team " + (t + 1);
    }

    private void describeData(CustomerData data, CustomerData.Loaded loaded) throws SQLException {
        Map<String, Long> counts;
        try (Connection connection = database.connect()) {
            counts = CustomerData.rowsPerTable(connection);
        }
        long records = counts.get("rec_account") + counts.get("rec_contact") + counts.get("rec_opportunity")
                + counts.get("rec_activity");
        out.line(String.format(Locale.ROOT, "Users: admin, %d sales reps (role sales) in %d teams of %d, and %s (role "
                + "sales_manager, no team). Records owned by a random rep, team = the owner's team. The target account "
                + "(id %d, \"%s\") and the small account (id %d, \"%s\") and all their records belong to %s (team 1); %d "
                + "of the target's activities belong to %s (team 2): %s sees those only where they are about one of the "
                + "target's opportunities.", REPS, TEAMS, REPS / TEAMS, MANAGER, data.targetId(), CustomerData.TARGET_NAME,
                data.smallId(), CustomerData.SMALL_NAME, TARGET_REP, data.colleagueActivities(), COLLEAGUE, TARGET_REP));
        out.table("table", "rows", "load (s)");
        for (var entry : counts.entrySet()) {
            Double seconds = loaded == null ? null : loaded.secondsPerTable().get(entry.getKey());
            out.row(entry.getKey(), String.format(Locale.ROOT, "%,d", entry.getValue()),
                    seconds == null ? "–" : String.format(Locale.ROOT, "%.1f", seconds));
        }
        if (loaded != null) {
            out.row("open_tickets of the accounts (UPDATE, VACUUM ANALYZE)", "",
                    String.format(Locale.ROOT, "%.1f", loaded.secondsPerTable().get("open_tickets of the accounts")));
        }
        out.line(String.format(Locale.ROOT, "**%,d records** in accounts, contacts, opportunities and activities (plus "
                + "tickets, process cases, phase stamps and audit entries). %s", records, loaded == null
                ? "Loaded by an earlier run (-Dbench.reuse=true)."
                : String.format(Locale.ROOT, "Loaded by COPY in **%.0f s** in all (each table: secondary indexes and "
                + "foreign keys dropped, COPY, indexes and foreign keys created again from their own definitions, "
                + "VACUUM ANALYZE).", loaded.seconds())));
        out.line("Spread: contacts on random accounts (~" + counts.get("rec_contact") / Math.max(1, counts.get("rec_account"))
                + " per account); opportunities on the account of a random contact (70 %) or a random account, phases "
                + "uniform over the 7 phases of the sales process (each with its process case and phase stamps); "
                + "activities: 25 % about a random opportunity (regarding, on its account), 55 % with a random contact "
                + "(on its account), 20 % on a random account only; three in four done (history), the rest open to-dos, "
                + "calls and meetings due from 10 days ago to 80 days ahead. The special accounts' rows are spread "
                + "evenly over the ids of each table. The target: " + CustomerData.TARGET_CONTACTS + " contacts, "
                + CustomerData.TARGET_ACTIVITIES + " activities (150 done over the last two years, 50 open: 30 to-dos, "
                + "10 calls, 10 meetings, due from 5 days ago to 20 days ahead; 160 with one of its contacts, 67 about "
                + "one of its opportunities), " + CustomerData.TARGET_OPPORTUNITIES + " opportunities (all 7 phases, "
                + "5,000–250,000 €), " + CustomerData.TARGET_TICKETS + " tickets (3 open), its creation and 4 changes "
                + "in the audit trail. The small account: " + CustomerData.SMALL_CONTACTS + " contacts, "
                + CustomerData.SMALL_ACTIVITIES + " activities, " + CustomerData.SMALL_OPPORTUNITIES + " opportunity.");
    }

    // ----- pages and checks -----

    private List<Page> pages(CustomerData data, boolean rep) {
        long target = data.targetId();
        long small = data.smallId();
        CustomerData.Expected targetView = data.expected(true, rep);
        CustomerData.Expected smallView = data.expected(false, rep);
        return List.of(
                new Page("customer view, target account (50 contacts, 200 activities, 30 opportunities)",
                        "/customer.xhtml?entity=account&id=" + target, false, html -> checkView(html, CustomerData.TARGET_NAME,
                        List.of(data.targetContactEmail(0), data.targetContactEmail(CustomerData.TARGET_CONTACTS - 1)), targetView)),
                new Page("record page, target account (baseline)", "/record.xhtml?entity=account&id=" + target, false,
                        html -> require(html, CustomerData.TARGET_NAME, "info@nordlicht-zielkunde.example")),
                new Page("customer view, small account (2 contacts, 5 activities, 1 opportunity)",
                        "/customer.xhtml?entity=account&id=" + small, false, html -> checkView(html, CustomerData.SMALL_NAME,
                        List.of(data.smallContactEmail(0), data.smallContactEmail(1)), smallView)),
                new Page("floor: GET /health/live (no login)", "/health/live", true, html -> require(html, "UP")));
    }

    private static void require(String html, String... texts) {
        for (String text : texts) {
            if (!html.contains(text)) {
                throw new IllegalStateException("The page does not show \"" + text + "\"");
            }
        }
    }

    private static final Pattern SECTION = Pattern.compile("<section class=\"card customer-panel[^\"]*\" data-panel=\"([a-z_]+)\"");
    private static final Pattern BADGE = Pattern.compile("<span class=\"badge\">([0-9]+)</span>");
    private static final Pattern OPEN_OPPORTUNITIES = Pattern.compile(
            "data-figure=\"open_opportunities\">\\s*<span class=\"figure-value\">([^<]*)</span>");

    /** The customer view as the viewer must see it; throws with what differs. */
    static void checkView(String html, String name, List<String> contactEmails, CustomerData.Expected expected) {
        require(html, name);
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher section = SECTION.matcher(html);
        List<int[]> bounds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (section.find()) {
            names.add(section.group(1));
            bounds.add(new int[] {section.start(), 0});
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < bounds.size() ? bounds.get(i + 1)[0] : html.length();
            sections.put(names.get(i), html.substring(bounds.get(i)[0], end));
        }
        if (!names.equals(expected.panels())) {
            throw new IllegalStateException(name + ": panels " + names + ", expected " + expected.panels());
        }
        for (var total : expected.totals().entrySet()) {
            String panel = sections.get(total.getKey());
            Matcher badge = BADGE.matcher(panel);
            if (!badge.find() || Long.parseLong(badge.group(1)) != total.getValue()) {
                throw new IllegalStateException(name + ": panel " + total.getKey() + " shows " + (badge.find(0) ? badge.group(1)
                        : "no total") + ", expected " + total.getValue());
            }
            int rows = count(panel, "<tr data-id=");
            long shown = Math.min(total.getValue(), LIMITS.get(total.getKey()));
            if (rows != shown) {
                throw new IllegalStateException(name + ": panel " + total.getKey() + " lists " + rows + " rows, expected " + shown);
            }
        }
        require(sections.get("contacts"), contactEmails.toArray(String[]::new));
        Matcher open = OPEN_OPPORTUNITIES.matcher(sections.get("sales_figures"));
        if (!open.find() || !open.group(1).strip().equals(Long.toString(expected.openOpportunities()))) {
            throw new IllegalStateException(name + ": open opportunities " + (open.find(0) ? open.group(1) : "missing")
                    + ", expected " + expected.openOpportunities());
        }
        if (!sections.get("timeline").contains("class=\"moment ")) {
            throw new IllegalStateException(name + ": the timeline is empty");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static String fetch(Server server, Viewer viewer, Page page) throws IOException, InterruptedException {
        return page.anonymous() ? Crm.anonymousGet(server.base(), page.path()) : viewer.crm().get(page.path());
    }

    private static String key(Viewer viewer, Page page) {
        return (viewer.rep() ? "rep" : "manager") + "|" + page.label();
    }

    // ----- measurement -----

    private Map<String, Latencies> measure(Server server, Map<Viewer, List<Page>> pages) throws Exception {
        out.section("First calls after the start");
        out.line("Each page once per viewer right after /health/ready (the CRM's background warm-up may still run), "
                + "checked like every later call; the size of the HTML.");
        out.table("viewer", "page", "first call (ms)", "HTML (KiB)");
        for (var entry : pages.entrySet()) {
            for (Page page : entry.getValue()) {
                long t0 = System.nanoTime();
                String html = fetch(server, entry.getKey(), page);
                long t1 = System.nanoTime();
                page.check().verify(html);
                out.row(entry.getKey().rep() ? "rep" : "manager", page.label(), ms((t1 - t0) / 1e6),
                        String.format(Locale.ROOT, "%.1f", html.getBytes(StandardCharsets.UTF_8).length / 1024.0));
            }
        }
        String before = loadAverage();
        Map<String, Latencies> latencies = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < warmUp + samples; i++) {
            for (var entry : pages.entrySet()) {
                for (Page page : entry.getValue()) {
                    long t0 = System.nanoTime();
                    String html = fetch(server, entry.getKey(), page);
                    long t1 = System.nanoTime();
                    page.check().verify(html);
                    if (i >= warmUp) {
                        latencies.computeIfAbsent(key(entry.getKey(), page), k -> new Latencies()).add(t1 - t0);
                    }
                }
            }
            if (i == warmUp - 1) {
                started = System.nanoTime();
            }
        }
        out.section("Results");
        out.line(String.format(Locale.ROOT, "%d calls of each page per viewer after %d warm-up rounds, interleaved call by "
                + "call (round by round: the manager's four pages, then the rep's), one client (HTTP/1.1, keep-alive), "
                + "Basic credentials on every call (as CoreBenchmark; no session cookie kept), every answer checked "
                + "before the next call (status 200, the panels of the viewer's roles, the totals and rows of each "
                + "related list, the contacts' e-mail addresses, the figure of open opportunities, a non-empty timeline; "
                + "the record page: name and e-mail; the floor: UP). Time from sending the request to the whole HTML "
                + "read, on loopback. The measurement took %.0f s; load average before %s, after %s.",
                samples, warmUp, (System.nanoTime() - started) / 1e9, before, loadAverage()));
        return latencies;
    }

    private void results(Map<Viewer, List<Page>> pages, Map<String, Latencies> latencies) {
        out.table("viewer", "page", "p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)", "p50 / floor p50");
        for (var entry : pages.entrySet()) {
            Viewer viewer = entry.getKey();
            Latencies floor = latencies.get(key(viewer, entry.getValue().get(3)));
            for (Page page : entry.getValue()) {
                Latencies l = latencies.get(key(viewer, page));
                out.row(viewer.rep() ? "rep" : "manager", page.label(), ms(l.p50()), ms(l.p95()), ms(l.percentileMs(99)),
                        ms(l.percentileMs(100)), String.format(Locale.ROOT, "%.0f×", l.p50() / floor.p50()));
            }
        }
        out.line("");
        out.table("viewer", "customer view p50 / record page p50", "customer view p50 / floor p50",
                "small account's view p50", "target's view p95", "p95 ≤ 300 ms?");
        for (var entry : pages.entrySet()) {
            Viewer viewer = entry.getKey();
            List<Page> list = entry.getValue();
            Latencies view = latencies.get(key(viewer, list.get(0)));
            Latencies record = latencies.get(key(viewer, list.get(1)));
            Latencies small = latencies.get(key(viewer, list.get(2)));
            Latencies floor = latencies.get(key(viewer, list.get(3)));
            out.row(viewer.label(), String.format(Locale.ROOT, "%.2f×", view.p50() / record.p50()),
                    String.format(Locale.ROOT, "%.0f×", view.p50() / floor.p50()), ms(small.p50()) + " ms",
                    ms(view.p95()) + " ms", view.p95() <= GOAL_MS ? "**yes**" : "**no**");
        }
    }

    // ----- where the time goes -----

    private void breakdown(Server server, CustomerData data, Users users, Map<Viewer, List<Page>> pages,
                           Map<String, Latencies> latencies) throws Exception {
        out.section("Where the time goes");
        // each part on its own: a failure is reported and the others still run
        Map<Viewer, List<RecordedSql>> statements = Map.of();
        try {
            statements = inProcess(data, users, pages, latencies);
        } catch (Exception e) {
            failed("the in-process reading", e);
        }
        try {
            whatIfExists(statements);
        } catch (Exception e) {
            failed("the EXISTS comparison", e);
        }
        try {
            reminders();
        } catch (Exception e) {
            failed("the reminders query", e);
        }
        try {
            tableScans(server, pages);
        } catch (Exception e) {
            failed("the table scans", e);
        }
    }

    private void failed(String part, Exception e) {
        e.printStackTrace();
        out.line("*" + part + " failed: " + e + "*");
    }

    /**
     * {@link CustomerViews#show} in this JVM on the same database, through a secured store for each viewer: the
     * whole call, and each statement it ran (recorded from the store) run directly over JDBC.
     */
    private Map<Viewer, List<RecordedSql>> inProcess(CustomerData data, Users users, Map<Viewer, List<Page>> pages,
                                                     Map<String, Latencies> latencies) throws Exception {
        MetadataModel model = model();
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL(database.url());
        plain.setUser(database.user());
        List<RecordedSql> recorded = new ArrayList<>();
        // one open connection for every call, as the server's pool hands out (a new connection per statement: ~10 ms each)
        Connection shared = plain.getConnection();
        DataSource recording = RecordedSql.recording(oneConnection(shared), recorded::add);
        JdbcRecordStore system = new JdbcRecordStore(recording, () -> model);
        JdbcTransactions transactions = new JdbcTransactions(recording);
        CustomerViews views = new CustomerViews(() -> model, new AuditLog(recording), new ProcessCases(transactions, () -> model),
                new Outbox(transactions, Clock.systemUTC(), MailSettings.NONE, Map::of, Outbox.Policy.DEFAULT, "bench"),
                new io.relata.runtime.files.RecordFiles(recording, new io.relata.runtime.files.RecordFiles.Settings(
                        io.relata.runtime.files.RecordFiles.Storage.DATABASE, java.nio.file.Files.createTempDirectory("bench-files"),
                        1, java.util.Set.of()), () -> model, Clock.systemUTC()),
                Clock.systemUTC());
        out.line("**1. `CustomerViews.show` in this JVM** (the runtime's reading of the view, without JSF, formatting and "
                + "HTTP): the same code on the same database, metadata from metadata/ and the shipped plugins' layers, "
                + "through a `SecuredRecordStore` for each viewer, 30 calls to warm up, then 100 timed; each statement "
                + "it ran (recorded from the store's connections) then run directly over one JDBC connection 30 times "
                + "(after 5), every column of every row read.");
        Map<Viewer, List<RecordedSql>> statements = new LinkedHashMap<>();
        for (var entry : pages.entrySet()) {
            Viewer viewer = entry.getKey();
            Actor actor = viewer.rep()
                    ? Actor.user(users.targetRep().userId(), TARGET_REP, Set.of("sales"), List.of(users.targetRep().teamId()))
                    : Actor.user(users.managerId(), MANAGER, Set.of("sales_manager"), List.of());
            SecuredRecordStore store = new SecuredRecordStore(system, () -> model, () -> actor, AuditSink.NONE);
            AccessPolicy access = new AccessPolicy(model, actor);
            Latencies show = new Latencies();
            for (int i = 0; i < 130; i++) {
                recorded.clear();
                long t0 = System.nanoTime();
                views.show(store, access, "account", data.targetId()).orElseThrow();
                if (i >= 30) {
                    show.add(System.nanoTime() - t0);
                }
            }
            List<RecordedSql> ran = List.copyOf(recorded);
            statements.put(viewer, ran);
            Latencies page = latencies.get(key(viewer, entry.getValue().get(0)));
            Latencies floor = latencies.get(key(viewer, entry.getValue().get(3)));
            out.line(String.format(Locale.ROOT, "*%s*: `show` p50 **%s ms** (p95 %s ms), %d statements; the page's p50 "
                    + "%s ms, so about %s ms of the page are outside `show` (the page's own reads of titles and cells, "
                    + "formatting, JSF rendering, authentication, HTTP; the floor is %s ms).", viewer.rep() ? "rep" : "manager",
                    ms(show.p50()), ms(show.p95()), ran.size(), ms(page.p50()), ms(page.p50() - show.p50()), ms(floor.p50())));
            out.table("#", "statement (table: what)", "rows", "direct p50 (ms)");
            double sum = 0;
            try (Connection connection = plain.getConnection()) {
                int n = 0;
                List<double[]> slowest = new ArrayList<>();
                for (RecordedSql statement : ran) {
                    n++;
                    Latencies direct = new Latencies();
                    int rowsRead = 0;
                    for (int i = 0; i < 35; i++) {
                        long t0 = System.nanoTime();
                        rowsRead = statement.run(connection);
                        if (i >= 5) {
                            direct.add(System.nanoTime() - t0);
                        }
                    }
                    sum += direct.p50();
                    slowest.add(new double[] {direct.p50(), n - 1});
                    out.row(Integer.toString(n), summary(statement.text()), Integer.toString(rowsRead), ms(direct.p50()));
                }
                out.row("", "**sum**", "", "**" + ms(sum) + "**");
                out.line("");
                slowest.sort(Comparator.comparingDouble((double[] s) -> s[0]).reversed());
                out.line("The three slowest statements for the " + (viewer.rep() ? "rep" : "manager") + ", with their plans "
                        + "(EXPLAIN ANALYZE, one run):");
                for (int i = 0; i < Math.min(3, slowest.size()); i++) {
                    RecordedSql statement = ran.get((int) slowest.get(i)[1]);
                    out.append("Statement " + ((int) slowest.get(i)[1] + 1) + " (" + ms(slowest.get(i)[0]) + " ms):\n\n```sql\n"
                            + statement.describe() + "\n```\n\n```\n" + explain(connection, statement) + "```\n\n");
                }
            }
        }
        shared.close();
        return statements;
    }

    /**
     * The query the CRM's reminders run every 5 s ({@code Reminders.sendDue}: open activities whose reminder time has
     * come), as the system store writes it: its time and plan, and the same with a partial index on the reminder time
     * of open activities (created for the measurement and dropped again).
     */
    private void reminders() throws Exception {
        MetadataModel model = model();
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL(database.url());
        plain.setUser(database.user());
        List<RecordedSql> recorded = new ArrayList<>();
        JdbcRecordStore system = new JdbcRecordStore(RecordedSql.recording(plain, recorded::add), () -> model);
        system.query("activity", new RecordQuery(List.of(new Filter("done", FilterOperator.EQ, false),
                new Filter("reminder_at", FilterOperator.LE, java.time.OffsetDateTime.now())),
                List.of(Sort.asc("reminder_at")), null, 200, null));
        RecordedSql query = recorded.get(0);
        try (Connection connection = database.connect()) {
            double before = directP50(connection, query, 10);
            String plan = explain(connection, query);
            String index = "bench_whatif_open_reminders";
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE INDEX " + index + " ON rec_activity (reminder_at, id) WHERE NOT done");
            }
            double after;
            String planAfter;
            try {
                after = directP50(connection, query, 10);
                planAfter = explain(connection, query);
            } finally {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP INDEX " + index);
                }
            }
            out.line(String.format(Locale.ROOT, "**3. Background: the reminders query.** Every 5 s (`crm.timer.interval.ms`) "
                    + "the CRM looks for open activities whose reminder is due (`Reminders.sendDue`); at this size it takes "
                    + "**%s ms** (p50 of 10 direct runs; PostgreSQL starts 2 parallel workers for it, so it takes both "
                    + "cores for that long) and runs whether anyone is logged in or not; with a partial index "
                    + "`(reminder_at, id) WHERE NOT done` (created for this measurement and dropped again) **%s ms**.",
                    ms(before), ms(after)));
            out.append("```sql\n" + query.describe() + "\n```\n\nAs it is:\n\n```\n" + plan + "```\n\nWith the index:\n\n```\n"
                    + planAfter + "```\n\n");
        }
    }

    private static double directP50(Connection connection, RecordedSql statement, int runs) throws SQLException {
        Latencies latencies = new Latencies();
        for (int i = 0; i < runs + 3; i++) {
            long t0 = System.nanoTime();
            statement.run(connection);
            if (i >= 3) {
                latencies.add(System.nanoTime() - t0);
            }
        }
        return latencies.p50();
    }

    /**
     * The rep's statements again, with each read scope sub-select {@code "regarding" IN (SELECT "id" FROM <linked>
     * WHERE <scope>)} written as a correlated {@code EXISTS} that probes the linked record by its primary key: same
     * parameters, same rows (checked), run directly.
     */
    private void whatIfExists(Map<Viewer, List<RecordedSql>> statements) throws SQLException {
        out.line("**2. The same statements with the read scope's sub-selects as correlated `EXISTS`.** Each `\"regarding\" "
                + "IN (SELECT \"id\" FROM <linked table> WHERE <its read scope>)` that the store writes for an entity "
                + "whose read access comes from a link (`readAccessFrom: regarding`, `RowScope.condition`) rewritten as "
                + "`EXISTS (SELECT 1 FROM <linked table> l WHERE l.\"id\" = <table>.\"regarding\" AND (<its read scope>))`: "
                + "same parameters, run directly 30 times each (after 5); the results compared value by value.");
        out.table("viewer", "#", "statement", "as the store writes it, p50 (ms)", "with EXISTS, p50 (ms)", "same result");
        try (Connection connection = database.connect()) {
            for (var entry : statements.entrySet()) {
                double sumBefore = 0;
                double sumAfter = 0;
                int n = 0;
                for (RecordedSql statement : entry.getValue()) {
                    n++;
                    String rewritten = existsRewrite(statement.text());
                    if (rewritten.equals(statement.text())) {
                        continue;
                    }
                    RecordedSql alternative = new RecordedSql(rewritten, statement.parameters());
                    double before = directP50(connection, statement, 30);
                    double after = directP50(connection, alternative, 30);
                    boolean same = result(connection, statement).equals(result(connection, alternative));
                    sumBefore += before;
                    sumAfter += after;
                    out.row(entry.getKey().rep() ? "rep" : "manager", Integer.toString(n), summary(statement.text()),
                            ms(before), ms(after), same ? "yes" : "**no**");
                }
                if (sumBefore > 0) {
                    out.row(entry.getKey().rep() ? "rep" : "manager", "", "**sum**", "**" + ms(sumBefore) + "**",
                            "**" + ms(sumAfter) + "**", "");
                }
            }
        }
        out.line("");
    }

    /** Every value of every row of the statement's result, as text. */
    private static String result(Connection connection, RecordedSql statement) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (PreparedStatement prepared = connection.prepareStatement(statement.text())) {
            statement.bind(prepared);
            try (ResultSet rows = prepared.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int c = 1; c <= columns; c++) {
                        text.append(rows.getString(c)).append('\t');
                    }
                    text.append('\n');
                }
            }
        }
        return text.toString();
    }

    private static final Pattern LINK_SUBSELECT = Pattern.compile("\"(\\w+)\" IN \\(SELECT \"id\" FROM \"(\\w+)\" WHERE ");

    /** {@code "f" IN (SELECT "id" FROM "t" WHERE c)} as {@code EXISTS (SELECT 1 FROM "t" l WHERE l."id" = "outer"."f" AND (c))}. */
    static String existsRewrite(String sql) {
        Matcher outer = Pattern.compile("FROM \"(\\w+)\"").matcher(sql);
        if (!outer.find()) {
            return sql;
        }
        String table = outer.group(1);
        StringBuilder result = new StringBuilder();
        int from = 0;
        Matcher link = LINK_SUBSELECT.matcher(sql);
        while (link.find(from)) {
            int open = sql.indexOf('(', link.start());
            int depth = 0;
            int close = -1;
            for (int i = open; i < sql.length() && close < 0; i++) {
                char c = sql.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    close = i;
                }
            }
            result.append(sql, from, link.start()).append("EXISTS (SELECT 1 FROM \"").append(link.group(2))
                    .append("\" l WHERE l.\"id\" = \"").append(table).append("\".\"").append(link.group(1)).append("\" AND (")
                    .append(sql, link.end(), close).append("))");
            from = close + 1;
        }
        return result.append(sql.substring(from)).toString();
    }

    /** The model the server runs: metadata/ and the shipped plugins' layers. */
    private MetadataModel model() throws Exception {
        List<Path> roots = new ArrayList<>(List.of(repository.resolve("metadata")));
        try (var plugins = Files.list(repository.resolve("plugins"))) {
            plugins.map(p -> p.resolve("src/main/resources/metadata")).filter(Files::isDirectory).sorted().forEach(roots::add);
        }
        return new MetadataLoader().loadDirectories(roots);
    }

    /** A data source that hands out {@code connection} again and again; closing what it hands out does nothing. */
    private static DataSource oneConnection(Connection connection) {
        Connection unclosable = (Connection) java.lang.reflect.Proxy.newProxyInstance(CustomerViewBenchmark.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(CustomerViewBenchmark.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** "rec_activity: count … WHERE …" in a few words: the table and the start of the condition. */
    static String summary(String sql) {
        String flat = sql.replaceAll("\\s+", " ");
        Matcher from = Pattern.compile("(?i)\\bFROM \"?([a-z_]+)\"?").matcher(flat);
        String table = from.find() ? from.group(1) : "?";
        String kind = flat.toUpperCase(Locale.ROOT).startsWith("SELECT COUNT") ? "count"
                : flat.toUpperCase(Locale.ROOT).matches("SELECT (SUM|MAX|MIN|AVG)\\(.*") ? "aggregate" : "select";
        int where = flat.toUpperCase(Locale.ROOT).indexOf(" WHERE ");
        String condition = where < 0 ? "" : flat.substring(where + 7);
        if (condition.length() > 110) {
            condition = condition.substring(0, 110) + " …";
        }
        return "`" + table + "` " + kind + (condition.isEmpty() ? "" : ": `" + condition.replace("|", "\\|") + "`");
    }

    private static String explain(Connection connection, RecordedSql statement) throws SQLException {
        StringBuilder plan = new StringBuilder();
        RecordedSql explain = new RecordedSql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement.text(), statement.parameters());
        try (PreparedStatement prepared = connection.prepareStatement(explain.text())) {
            explain.bind(prepared);
            try (ResultSet rows = prepared.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    /**
     * The scans of each table per page, from PostgreSQL's statistics: 30 calls of a page, then the statistics after
     * the server's connections reported them (a backend reports at most once a second, and 10 s after it went idle),
     * less what the CRM's background work (reminders every 5 s) read in an idle window of the same length.
     */
    private void tableScans(Server server, Map<Viewer, List<Page>> pages) throws Exception {
        int calls = 30;
        long flushMillis = 11_000;
        out.line("**4. Table scans per page** (PostgreSQL's statistics of the bench database, `pg_stat_user_tables`): "
                + calls + " calls of a page, then " + flushMillis / 1000 + " s until the server's connections have reported "
                + "them; less what the CRM read meanwhile on its own (its reminders query every 5 s), measured in an idle "
                + "window first and scaled to the same time. PostgreSQL counts an index scan per value of an `IN` list "
                + "(`contact IN (50 ids)`: 50) and per probe of a nested loop.");
        Thread.sleep(3000); // connections closed a moment ago report their statistics as their backends end
        try (Connection connection = database.connect()) {
            Map<String, long[]> s0 = tableStats(connection);
            long t0 = System.nanoTime();
            Thread.sleep(flushMillis);
            Map<String, long[]> s1 = tableStats(connection);
            double idleSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, long[]> idle = minus(s1, s0);
            out.line(String.format(Locale.ROOT, "What the CRM read on its own in the idle window (%.0f s, no page called):",
                    idleSeconds));
            out.table("table", "index scans", "rows fetched by index", "sequential scans", "rows read sequentially");
            idle.forEach((table, d) -> {
                if (d[0] + d[1] + d[2] + d[3] > 0) {
                    out.row(table, Long.toString(d[2]), String.format(Locale.ROOT, "%,d", d[3]), Long.toString(d[0]),
                            String.format(Locale.ROOT, "%,d", d[1]));
                }
            });
            out.line("");
            for (var entry : pages.entrySet()) {
                for (Page page : List.of(entry.getValue().get(0), entry.getValue().get(1))) {
                    Map<String, long[]> before = tableStats(connection);
                    long started = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        fetch(server, entry.getKey(), page);
                    }
                    Thread.sleep(flushMillis);
                    Map<String, long[]> delta = minus(tableStats(connection), before);
                    double scale = (System.nanoTime() - started) / 1e9 / idleSeconds;
                    out.line("*" + (entry.getKey().rep() ? "rep" : "manager") + ", " + page.label() + "*, per call:");
                    out.table("table", "index scans", "rows fetched by index", "sequential scans", "rows read sequentially");
                    for (var table : delta.entrySet()) {
                        long[] d = table.getValue();
                        long[] background = idle.getOrDefault(table.getKey(), new long[4]);
                        double[] perCall = new double[4];
                        boolean any = false;
                        for (int k = 0; k < 4; k++) {
                            perCall[k] = Math.max(0, (d[k] - background[k] * scale) / calls);
                            any |= perCall[k] >= 0.05;
                        }
                        if (any) {
                            out.row(table.getKey(), String.format(Locale.ROOT, "%.1f", perCall[2]),
                                    String.format(Locale.ROOT, "%,.0f", perCall[3]), String.format(Locale.ROOT, "%.1f", perCall[0]),
                                    String.format(Locale.ROOT, "%,.0f", perCall[1]));
                        }
                    }
                    out.line("");
                }
            }
        }
    }

    /** seq_scan, seq_tup_read, idx_scan, idx_tup_fetch per table. */
    private static Map<String, long[]> tableStats(Connection connection) throws SQLException {
        Map<String, long[]> stats = new java.util.TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), "
                     + "coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables")) {
            while (rows.next()) {
                stats.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)});
            }
        }
        return stats;
    }

    private static Map<String, long[]> minus(Map<String, long[]> after, Map<String, long[]> before) {
        Map<String, long[]> delta = new java.util.TreeMap<>();
        after.forEach((table, values) -> {
            long[] old = before.getOrDefault(table, new long[4]);
            long[] d = new long[4];
            for (int k = 0; k < 4; k++) {
                d[k] = values[k] - old[k];
            }
            delta.put(table, d);
        });
        return delta;
    }

    /**
     * A JFR profile of the server while it serves 100 customer views of the target per viewer: where the HTTP threads'
     * CPU samples fall (each sample counted once, for the innermost frame of a known layer), the samples within some
     * methods, and the hot methods. Time the threads wait for PostgreSQL is not in these samples: the statements'
     * own times are in the breakdown.
     */
    private void profileServer(Server server, Map<Viewer, List<Page>> pages) throws Exception {
        Path file = work.resolve("customer-view.jfr");
        try {
            server.jcmdOutput("JFR.configure", "stackdepth=512");
        } catch (IllegalStateException e) {
            System.err.println("JFR stack depth stays at its default: " + e.getMessage());
        }
        server.startRecording(file);
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            for (var entry : pages.entrySet()) {
                fetch(server, entry.getKey(), entry.getValue().get(0));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        server.dumpRecording(file);
        Map<String, Integer> layers = new LinkedHashMap<>();
        Map<String, Integer> within = new LinkedHashMap<>();
        for (String[] method : WITHIN) {
            within.put(method[1], 0);
        }
        int total = 0;
        Process print = new ProcessBuilder(server.jdkTool("jfr").toString(), "print", "--events", "jdk.ExecutionSample",
                "--stack-depth", "512", file.toString()).redirectErrorStream(true).start();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(print.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> frames = new ArrayList<>();
            boolean http = false;
            boolean stack = false;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String trimmed = line.strip();
                if (trimmed.startsWith("jdk.ExecutionSample")) {
                    frames.clear();
                    http = false;
                    stack = false;
                } else if (trimmed.startsWith("sampledThread = ")) {
                    http = trimmed.contains("http-thread-pool");
                } else if (trimmed.startsWith("stackTrace = [")) {
                    stack = true;
                } else if (stack && trimmed.equals("]")) {
                    stack = false;
                } else if (stack && !trimmed.isEmpty() && !trimmed.startsWith("...")) {
                    frames.add(trimmed);
                } else if (trimmed.equals("}") && http && !frames.isEmpty()) {
                    total++;
                    layers.merge(layer(frames), 1, Integer::sum);
                    for (String[] method : WITHIN) {
                        if (frames.stream().anyMatch(f -> f.startsWith(method[0]))) {
                            within.merge(method[1], 1, Integer::sum);
                        }
                    }
                    frames.clear();
                    http = false;
                }
            }
        }
        print.waitFor();
        Process view = new ProcessBuilder(server.jdkTool("jfr").toString(), "view", "--width", "160", "hot-methods",
                file.toString()).redirectErrorStream(true).start();
        String hot = new String(view.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        view.waitFor();
        out.section("JFR profile of the server");
        out.line(String.format(Locale.ROOT, "100 customer views of the target per viewer (%.0f s), recorded with JFR "
                + "(settings=profile, stack depth 512; %s); %,d CPU samples of the HTTP threads. Each sample counted once, "
                + "for the innermost frame that belongs to one of these layers:", seconds, repository.relativize(file), total));
        out.table("layer", "samples", "share");
        for (var layer : layers.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).toList()) {
            out.row(layer.getKey(), Integer.toString(layer.getValue()), percent(layer.getValue(), total));
        }
        out.line("Samples with these methods on the stack (a sample can count for several):");
        out.table("method", "samples", "share");
        for (var method : within.entrySet()) {
            out.row(method.getKey(), Integer.toString(method.getValue()), percent(method.getValue(), total));
        }
        out.append("\nHot methods (`jfr view hot-methods`, all threads):\n\n```\n" + hot.strip() + "\n```\n");
    }

    /** Frame prefixes and the layer a sample belongs to when the innermost such frame is found, in this order. */
    private static final String[][] LAYERS = {
            {"org.postgresql.", "PostgreSQL JDBC driver (sending, reading, decoding)"},
            {"io.relata.store.", "record store (SQL building, rows to records, access)"},
            {"io.relata.runtime.customer.", "CustomerViews (view reading)"},
            {"io.relata.process.", "process cases and outbox (timeline sources)"},
            {"io.relata.runtime.", "runtime (audit, other)"},
            {"io.relata.web.security.", "authentication (Basic, CurrentActor)"},
            {"io.relata.web.ui.", "page beans (CustomerPage, RecordView, RecordCells, UiText: formatting)"},
            {"io.relata.", "other Relata code (metadata, api)"},
            {"com.sun.faces.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"jakarta.faces.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"org.primefaces.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"org.glassfish.expressly.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"com.sun.el.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"jakarta.el.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"org.jboss.weld.", "JSF and EL (Mojarra, PrimeFaces, Expressly, Weld)"},
            {"org.glassfish.grizzly.", "HTTP server and servlet container (Grizzly, Catalina, Payara)"},
            {"org.apache.catalina.", "HTTP server and servlet container (Grizzly, Catalina, Payara)"},
            {"com.sun.enterprise.", "HTTP server and servlet container (Grizzly, Catalina, Payara)"},
            {"org.glassfish.", "HTTP server and servlet container (Grizzly, Catalina, Payara)"},
            {"fish.payara.", "HTTP server and servlet container (Grizzly, Catalina, Payara)"},
    };

    /** Methods whose samples are counted inclusively: frame prefix and label. */
    private static final String[][] WITHIN = {
            {"io.relata.web.ui.CustomerPage.load", "CustomerPage.load (the view read and formatted)"},
            {"io.relata.runtime.customer.CustomerViews.show", "CustomerViews.show (reading the view)"},
            {"io.relata.web.ui.CustomerPage$Formatter.panel", "CustomerPage.Formatter.panel (formatting the panels)"},
            {"io.relata.web.ui.RecordCells", "RecordCells (cell texts, titles of references)"},
            {"io.relata.api.record.RecordStore.titles", "titles of records"},
            {"io.relata.store.SecuredRecordStore.titles", "SecuredRecordStore.titles"},
            {"com.sun.faces.application.view.FaceletViewHandlingStrategy.renderView", "JSF renderView (writing the HTML)"},
            {"com.sun.faces.application.view.FaceletViewHandlingStrategy.buildView", "JSF buildView (building the component tree)"},
            {"io.relata.web.ui.UiText", "UiText (labels, messages, value formats)"},
            {"jakarta.el.BeanELResolver.invoke", "EL method calls (record accessors such as panel.kind(), row.id())"},
            {"jakarta.el.ELUtil.findMethod", "… of which ELUtil.findMethod (looks the method up on every call)"},
            {"com.sun.faces.renderkit.html_basic.OutcomeTargetLinkRenderer", "h:link rendering (outcome to URL)"},
            {"com.sun.faces.application.NavigationHandlerImpl", "… of which navigation (the outcome's navigation case)"},
            {"io.relata.web.security.CrmAuthenticationMechanism.validateRequest", "CrmAuthenticationMechanism.validateRequest"},
            {"org.postgresql.", "PostgreSQL JDBC driver"},
    };

    private static String layer(List<String> frames) {
        for (String frame : frames) {
            for (String[] layer : LAYERS) {
                if (frame.startsWith(layer[0])) {
                    return layer[1];
                }
            }
        }
        return "JDK and other (no frame of a known layer)";
    }

    private static String percent(int part, int total) {
        return String.format(Locale.ROOT, "%.0f %%", total == 0 ? 0.0 : 100.0 * part / total);
    }

    // ----- machine -----

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long memoryGib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024).findFirst().orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }
}
