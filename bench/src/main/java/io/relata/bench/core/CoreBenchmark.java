package io.relata.bench.core;

import static io.relata.bench.core.Report.loadAverage;
import static io.relata.bench.core.Report.mean;
import static io.relata.bench.core.Report.ms;
import static io.relata.bench.core.Report.num;

import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.Actor;
import io.relata.metadata.MetadataLoader;
import io.relata.api.model.MetadataModel;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The core benchmark of issue 12: the CRM on PostgreSQL with 1M leads, each list, search, count and read
 * workload through REST next to the same SQL (recorded from the record store) run directly over JDBC,
 * interleaved call by call; creates at 8 clients through REST (Basic and token) next to single-row JDBC
 * inserts; start-up, first visit of each page after readiness, and the server's memory. Bounded (a fixed
 * number of calls and seconds), loopback only. Writes a Markdown report. Run by {@code bench/core.sh};
 * settings are system properties {@code bench.*} (see that script).
 */
public final class CoreBenchmark {

    private static final String ADMIN_PASSWORD = "violet-harbour-compass-2026";
    private static final String USER_PASSWORD = "copper-lantern-meadow-2026";
    private static final int OWNERS = 33;
    private static final String REP = "bench_rep_00";

    private final Path repository = Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    private final int port = Integer.getInteger("bench.port", 18080);
    private final BenchDatabase database = new BenchDatabase("relata_bench");
    private final int rows = Integer.getInteger("bench.rows", 1_000_000);
    private final boolean reuse = Boolean.getBoolean("bench.reuse");
    private final int samples = Integer.getInteger("bench.samples", 300);
    private final int writeSeconds = Integer.getInteger("bench.write.seconds", 15);
    private final int writers = Integer.getInteger("bench.writers", 8);
    /** Profiles the server with JFR during the reads and writes (bench/target/core/server.jfr); figures then are not comparable. */
    private final boolean profile = Boolean.getBoolean("bench.jfr");
    private final Path work = repository.resolve("bench/target/core");
    private final Path report = Path.of(System.getProperty("bench.out",
            repository.resolve("bench/results/" + LocalDate.now() + "-core-1m.md").toString()));

    private final Report out = new Report();
    private final Map<String, String> environment = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        new CoreBenchmark().run();
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        environment.putAll(database.crmEnvironment());
        environment.put("CRM_DEMO_DATA", "false");
        environment.put("CRM_ADMIN_PASSWORD", ADMIN_PASSWORD);
        environment.put("CRM_DATA_DIR", work.resolve("data").toString());

        section("Set-up");
        line("Date " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL "
                + database.scalar("SHOW server_version") + ", " + rows + " leads, load average before: " + loadAverage());
        boolean load = !reuse || !databaseHas(rows);
        if (load) {
            database.recreate();
            Report.deleteRecursively(work.resolve("data"));
            try (Server first = start("first start, empty database")) {
                List<Long> owners = createUsers(first);
                try (Connection connection = connect()) {
                    double seconds = LeadLoader.load(connection, rows, owners);
                    line(String.format(Locale.ROOT, "Loaded %,d leads with COPY (indexes dropped and built again, VACUUM ANALYZE) in %.1f s",
                            rows, seconds));
                }
            }
        } else {
            line("Reused the loaded database " + database.name() + " (" + rows + " leads)");
        }

        try (Server server = start("start with " + rows + " leads")) {
            Crm admin = Crm.basic(server.base(), "admin", ADMIN_PASSWORD);
            Crm rep = Crm.basic(server.base(), REP, USER_PASSWORD);
            firstVisits(server, admin);
            long adminId = userId(admin, "admin");
            Map<String, List<Case>> reads = readCases(admin, adminId, rep, userId(admin, REP));
            if (profile) {
                server.startRecording(work.resolve("server.jfr"));
            }
            section("Reads through REST and the same SQL directly");
            line("Each workload: " + samples + " REST calls and " + samples + " direct runs of the SQL the store generated for "
                    + "the same query (recorded from the store, run over one JDBC connection, every column of every row read), "
                    + "interleaved call by call after 20 warm-up pairs; one client, keep-alive. Load average before: " + loadAverage());
            measureReads(server.base(), reads);
            line("Load average after: " + loadAverage());
            section("Creates at " + writers + " clients");
            measureWrites(admin, adminId);
            if (profile) {
                server.dumpRecording(work.resolve("server.jfr"));
                line("Profiled with JFR (settings=profile): " + work.resolve("server.jfr") + "; the figures above include its cost");
            }
            section("Server memory");
            line("RSS after the load: " + server.rssMib() + " MiB (peak " + server.peakRssMib() + " MiB); goal ≤ 700 MiB");
            section("Plans of the recorded SQL (EXPLAIN ANALYZE, one run after the measurement)");
            plans(reads);
        }
        out.write(report);
    }

    // ----- server and data -----

    private Server start(String what) throws IOException, InterruptedException {
        Path log = work.resolve("server-" + System.currentTimeMillis() + ".log");
        Server server = Server.start(repository, environment, port, log, Duration.ofMinutes(10));
        line(server.describe(what));
        return server;
    }

    private List<Long> createUsers(Server server) throws IOException, InterruptedException {
        Crm admin = Crm.basic(server.base(), "admin", ADMIN_PASSWORD);
        List<Long> owners = new ArrayList<>();
        owners.add(userId(admin, "admin"));
        for (int i = 0; i < OWNERS - 1; i++) {
            String name = String.format(Locale.ROOT, "bench_rep_%02d", i);
            JsonObject user = admin.post("/api/v1/admin/users", "{\"username\": " + Crm.quote(name) + ", \"displayName\": "
                    + Crm.quote("Bench Rep " + i) + ", \"password\": " + Crm.quote(USER_PASSWORD) + ", \"roles\": [\"sales\"]}");
            owners.add(user.getJsonNumber("id").longValue());
        }
        line("Users: admin and " + (OWNERS - 1) + " sales reps (role sales: leads read: team; in no team, so a rep reads "
                + "the leads they own); each owns 1/" + OWNERS + " of the leads");
        return owners;
    }

    private static long userId(Crm admin, String username) throws IOException, InterruptedException {
        return admin.userId(username);
    }

    private boolean databaseHas(int expected) {
        try (Connection connection = connect()) {
            return LeadLoader.count(connection) >= expected;
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connect() throws SQLException {
        return database.connect();
    }

    // ----- first visits -----

    private void firstVisits(Server server, Crm admin) throws IOException, InterruptedException {
        section("First visit of each page after readiness");
        line("Right after /health/ready answered 200 (the background warm-up runs at the same time, as it would for a "
                + "real first visitor); the time until the whole HTML arrived, first and second visit; pages behind the "
                + "login with Basic credentials (no login form).");
        table("page", "first visit (ms)", "second visit (ms)");
        Map<String, Function<String, String>> pages = new LinkedHashMap<>();
        pages.put("/login.xhtml", path -> call(() -> Crm.anonymousGet(server.base(), path)));
        for (String path : List.of("/index.xhtml", "/list.xhtml?entity=lead", "/record.xhtml?entity=lead&id=" + (rows / 2),
                "/list.xhtml?entity=contact", "/processes.xhtml", "/kanban.xhtml?process=lead_management", "/account.xhtml",
                "/api/v1/records/lead?limit=50", "/api/v1/records/lead/" + (rows / 3))) {
            pages.put(path, p -> call(() -> admin.get(p)));
        }
        for (var page : pages.entrySet()) {
            long first = System.nanoTime();
            page.getValue().apply(page.getKey());
            long second = System.nanoTime();
            page.getValue().apply(page.getKey());
            long end = System.nanoTime();
            row(page.getKey(), ms((second - first) / 1e6), ms((end - second) / 1e6));
        }
    }

    private interface Call {
        String call() throws IOException, InterruptedException;
    }

    private static String call(Call call) {
        try {
            return call.call();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ----- reads -----

    /** One REST call and the statements the store ran for the same query. */
    private record Case(Crm rest, String path, List<RecordedSql> direct) {
    }

    private Map<String, List<Case>> readCases(Crm admin, long adminId, Crm rep, long repId) throws Exception {
        Path metadata = repository.resolve("metadata");
        MetadataModel model = new MetadataLoader().loadDirectories(List.of(metadata));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.url());
        dataSource.setUser(database.user());
        List<RecordedSql> recorded = new ArrayList<>();
        JdbcRecordStore system = new JdbcRecordStore(RecordedSql.recording(dataSource, recorded::add), () -> model);
        SecuredRecordStore asAdmin = new SecuredRecordStore(system, () -> model,
                () -> Actor.user(adminId, "admin", Set.of("administrator"), List.of()), AuditSink.NONE);
        SecuredRecordStore asRep = new SecuredRecordStore(system, () -> model,
                () -> Actor.user(repId, REP, Set.of("sales"), List.of()), AuditSink.NONE);

        Map<String, List<Case>> cases = new LinkedHashMap<>();
        RecordQuery newest = new RecordQuery(List.of(), List.of(), null, 50, null);
        cases.put("list: a sales rep's own leads, newest first", List.of(
                new Case(rep, "/api/v1/records/lead?limit=50", recording(recorded, () -> asRep.query("lead", newest)))));
        cases.put("list: status = contacted, newest first", List.of(new Case(admin,
                "/api/v1/records/lead?limit=50&filter=status:eq:contacted", recording(recorded, () -> asAdmin.query("lead",
                        new RecordQuery(List.of(new Filter("status", FilterOperator.EQ, "contacted")), List.of(), null, 50, null))))));
        String deep = deepCursor(asAdmin, recorded);
        cases.put("list: all leads, newest first, page at depth " + rows / 2 + " (cursor)", List.of(new Case(admin,
                "/api/v1/records/lead?limit=50&cursor=" + URLEncoder.encode(deep, StandardCharsets.UTF_8),
                recording(recorded, () -> asAdmin.query("lead", new RecordQuery(List.of(), List.of(), null, 50, deep))))));
        cases.put("list: status = new, with count=true", List.of(new Case(admin,
                "/api/v1/records/lead?limit=50&filter=status:eq:new&count=true", recording(recorded, () -> {
                    RecordQuery query = new RecordQuery(List.of(new Filter("status", FilterOperator.EQ, "new")), List.of(), null, 50, null);
                    asAdmin.query("lead", query);
                    asAdmin.count("lead", query);
                }))));
        List<Case> searches = new ArrayList<>();
        for (String term : SEARCH_TERMS) {
            searches.add(new Case(admin, "/api/v1/records/lead?limit=50&q=" + URLEncoder.encode(term, StandardCharsets.UTF_8),
                    recording(recorded, () -> asAdmin.query("lead", new RecordQuery(List.of(), List.of(), term, 50, null)))));
        }
        cases.put("contains-search q= (" + SEARCH_TERMS.size() + " terms in turn)", searches);
        List<Case> byIdBasic = new ArrayList<>();
        List<Case> byIdToken = new ArrayList<>();
        String adminToken = admin.post("/api/v1/me/tokens", "{\"name\": \"core benchmark\"}").getString("token");
        Crm adminByToken = admin.withToken(adminToken);
        for (int i = 0; i < 50; i++) {
            long id = 1 + (long) i * (rows / 50) + i;
            List<RecordedSql> sql = recording(recorded, () -> asAdmin.find("lead", id).orElseThrow());
            byIdBasic.add(new Case(admin, "/api/v1/records/lead/" + id, sql));
            byIdToken.add(new Case(adminByToken, "/api/v1/records/lead/" + id, sql));
        }
        cases.put("one record by id (Basic)", byIdBasic);
        cases.put("one record by id (API token)", byIdToken);
        // what every request costs before the CRM does anything of its own: no SQL to compare with
        cases.put("floor: GET /health/live (no login, Payara's health check)", List.of(new Case(null, "/health/live", List.of())));
        cases.put("floor: GET /api/v1/me (Basic, a few fields of the user)", List.of(new Case(admin, "/api/v1/me", List.of())));
        return cases;
    }

    static final List<String> SEARCH_TERMS = List.of(
            "brandt",            // a surname: ~1/50 of the leads
            "hotels gmbh 77",    // part of company names: ~1,100 leads
            "30 1234567",        // one phone number
            "anna.weber4711",    // the start of an e-mail address: at most a few
            "quartalsende",      // a word of the description: ~1/15 of the leads
            "zzqx");             // no hit

    private interface StoreCall {
        void run() throws Exception;
    }

    private static List<RecordedSql> recording(List<RecordedSql> recorded, StoreCall call) throws Exception {
        recorded.clear();
        call.run();
        if (recorded.isEmpty()) {
            throw new IllegalStateException("The store ran no query");
        }
        return List.copyOf(recorded);
    }

    /** A cursor after the lead at half the table's depth in the default order, from a query filtered to it. */
    private String deepCursor(SecuredRecordStore store, List<RecordedSql> recorded) throws Exception {
        String createdAt = LeadLoader.FIRST_CREATED.plusSeconds(10L * (rows / 2)).toString();
        RecordPage page = store.query("lead", new RecordQuery(List.of(new Filter("created_at", FilterOperator.LE, createdAt)),
                List.of(), null, 1, null));
        recorded.clear();
        if (page.nextCursor() == null) {
            throw new IllegalStateException("No cursor at depth " + rows / 2);
        }
        return page.nextCursor();
    }

    private void measureReads(java.net.URI base, Map<String, List<Case>> reads) throws Exception {
        table("workload", "REST p50 (ms)", "REST p95 (ms)", "direct p50 (ms)", "direct p95 (ms)", "REST p50 / direct p50");
        try (Connection direct = connect()) {
            for (var workload : reads.entrySet()) {
                Latencies rest = new Latencies();
                Latencies sql = new Latencies();
                List<Case> cases = workload.getValue();
                for (int i = 0; i < 20 + samples; i++) {
                    Case c = cases.get(i % cases.size());
                    long t0 = System.nanoTime();
                    if (c.rest() == null) {
                        Crm.anonymousGet(base, c.path());
                    } else {
                        c.rest().get(c.path());
                    }
                    long t1 = System.nanoTime();
                    for (RecordedSql statement : c.direct()) {
                        statement.run(direct);
                    }
                    long t2 = System.nanoTime();
                    if (i >= 20) {
                        rest.add(t1 - t0);
                        sql.add(t2 - t1);
                    }
                }
                boolean floor = cases.get(0).direct().isEmpty();
                row(workload.getKey(), ms(rest.p50()), ms(rest.p95()), floor ? "–" : ms(sql.p50()), floor ? "–" : ms(sql.p95()),
                        floor ? "–" : String.format(Locale.ROOT, "%.2f×", rest.p50() / sql.p50()));
            }
        }
    }

    // ----- writes -----

    private void measureWrites(Crm admin, long adminId) throws Exception {
        String token = admin.post("/api/v1/me/tokens", "{\"name\": \"core benchmark writes\"}").getString("token");
        Crm byToken = admin.withToken(token);
        line("Each segment " + writeSeconds + " s with " + writers + " client threads, segments interleaved over two rounds: "
                + "REST POST /api/v1/records/contact (last name, first name, unique e-mail; rules, audit and process hook as "
                + "always) with Basic and with an API token, and a single-row JDBC INSERT of the same columns into "
                + "rec_contact (autocommit, one connection per thread). Load average before: " + loadAverage());
        AtomicLong sequence = new AtomicLong();
        Latencies restOne = new Latencies();
        Latencies jdbcOne = new Latencies();
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(CONTACT_INSERT)) {
            for (int i = 0; i < 20 + samples; i++) {
                long t0 = System.nanoTime();
                admin.post("/api/v1/records/contact", contactJson(sequence.incrementAndGet()));
                long t1 = System.nanoTime();
                insertContact(insert, adminId, sequence);
                long t2 = System.nanoTime();
                if (i >= 20) {
                    restOne.add(t1 - t0);
                    jdbcOne.add(t2 - t1);
                }
            }
        }
        line("One client first (" + samples + " pairs, interleaved, after 20 warm-up pairs):");
        table("one client", "p50 (ms)", "p95 (ms)");
        row("REST create, Basic", ms(restOne.p50()), ms(restOne.p95()));
        row("JDBC single-row INSERT", ms(jdbcOne.p50()), ms(jdbcOne.p95()));
        line("Then " + writers + " clients:");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            rates.computeIfAbsent("REST create, Basic", k -> new ArrayList<>()).add(segment(thread -> {
                long n = sequence.incrementAndGet();
                admin.post("/api/v1/records/contact", contactJson(n));
            }));
            rates.computeIfAbsent("REST create, API token", k -> new ArrayList<>()).add(segment(thread -> {
                long n = sequence.incrementAndGet();
                byToken.post("/api/v1/records/contact", contactJson(n));
            }));
            rates.computeIfAbsent("JDBC single-row INSERT", k -> new ArrayList<>()).add(jdbcSegment(sequence, adminId));
            // the ceiling of any REST call on this machine: a request that reads nothing and writes nothing
            rates.computeIfAbsent("floor: GET /api/v1/me (no write)", k -> new ArrayList<>()).add(segment(thread ->
                    byToken.get("/api/v1/me")));
        }
        table("path", "rows (calls)/s round 1", "round 2", "mean", "ratio to JDBC");
        double jdbc = mean(rates.get("JDBC single-row INSERT"));
        for (var rate : rates.entrySet()) {
            double mean = mean(rate.getValue());
            row(rate.getKey(), num(rate.getValue().get(0)), num(rate.getValue().get(1)), num(mean),
                    String.format(Locale.ROOT, "%.2f×", mean / jdbc));
        }
        line("Load average after: " + loadAverage());
    }

    private static String contactJson(long n) {
        return "{\"values\": {\"last_name\": \"Bench\", \"first_name\": \"Writer\", \"email\": \"writer" + n + "-"
                + System.nanoTime() % 1_000_000 + "@bench.example.org\"}}";
    }

    private interface Work {
        void run(int thread) throws Exception;
    }

    /** Rows per second that {@link #writers} threads achieve in {@link #writeSeconds}. */
    private double segment(Work work) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(writers);
        long started = System.nanoTime();
        for (int t = 0; t < writers; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        try {
                            work.run(thread);
                            done.incrementAndGet();
                        } catch (Exception e) {
                            if (failed.incrementAndGet() == 1) {
                                System.err.println("write failed: " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    finished.countDown();
                }
            });
            worker.start();
        }
        Thread.sleep(writeSeconds * 1000L);
        stop.set(true);
        finished.await();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " writes failed");
        }
        return done.get() / seconds;
    }

    private double jdbcSegment(AtomicLong sequence, long owner) throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<PreparedStatement> statements = new ArrayList<>();
        try {
            for (int t = 0; t < writers; t++) {
                Connection connection = connect();
                connections.add(connection);
                statements.add(connection.prepareStatement(CONTACT_INSERT));
            }
            return segment(thread -> insertContact(statements.get(thread), owner, sequence));
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static final String CONTACT_INSERT = "INSERT INTO rec_contact (version, created_at, updated_at, owner_user, "
            + "last_name, first_name, email) VALUES (1, now(), now(), ?, ?, ?, ?)";

    private static void insertContact(PreparedStatement insert, long owner, AtomicLong sequence) throws SQLException {
        insert.setLong(1, owner);
        insert.setString(2, "Bench");
        insert.setString(3, "Writer");
        insert.setString(4, "jdbc" + sequence.incrementAndGet() + "-" + System.nanoTime() % 1_000_000 + "@bench.example.org");
        insert.executeUpdate();
    }

    // ----- plans -----

    private void plans(Map<String, List<Case>> reads) throws SQLException {
        try (Connection connection = connect()) {
            for (var workload : reads.entrySet()) {
                for (RecordedSql statement : workload.getValue().get(0).direct()) { // none for the floors
                    out.append("\n**").append(workload.getKey()).append("**\n\n```sql\n").append(statement.describe())
                            .append("\n```\n\n```\n");
                    RecordedSql explain = new RecordedSql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement.text(),
                            statement.parameters());
                    try (PreparedStatement prepared = connection.prepareStatement(explain.text())) {
                        explain.bind(prepared);
                        try (ResultSet plan = prepared.executeQuery()) {
                            while (plan.next()) {
                                out.append(plan.getString(1)).append("\n");
                            }
                        }
                    }
                    out.append("```\n");
                }
            }
        }
    }

    private void section(String title) {
        out.section(title);
    }

    private void line(String text) {
        out.line(text);
    }

    private void table(String... headers) {
        out.table(headers);
    }

    private void row(String... cells) {
        out.row(cells);
    }
}
