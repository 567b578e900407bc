package io.relata.bench.core;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.marketing.CampaignAudience;
import io.relata.runtime.marketing.CampaignLinks;
import io.relata.runtime.marketing.CampaignResponses;
import io.relata.runtime.marketing.CampaignMail;
import io.relata.runtime.marketing.CampaignSender;
import io.relata.runtime.marketing.Consents;
import io.relata.store.AuditSink;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The campaign benchmark (issue 18), in process on PostgreSQL with the shipped metadata, at 1M contacts loaded by
 * COPY, 40 % of them with a granted newsletter consent:
 * <ol>
 * <li>the live count of a target group (as the campaign page shows it, through a marketing user's store) against the
 * same COUNT by hand; goal ≤ 1 s at p95;</li>
 * <li>preparing a campaign to a target group of about 15,000 (a member per person, queued or skipped, consent looked up
 * per person), in recipients per second, against inserting the same number of rows by JDBC batch;</li>
 * <li>sending the queued ones to a GreenMail on 127.0.0.1 (claim, consent check, mail, mark: at most once), in mails
 * per second, against the same number of mails sent by JavaMail alone over one connection.</li>
 * </ol>
 * Writes bench/results/&lt;date&gt;-campaigns-1m.md. {@code -Dbench.rows} (1M), {@code -Dbench.samples} (20),
 * {@code -Dbench.reuse=true} keeps the loaded contacts of an earlier run.
 */
public final class CampaignBenchmark {

    private static final String[] STAGES = {"subscriber", "lead", "marketing_qualified", "sales_qualified", "opportunity",
            "customer", "evangelist"};
    /** Out of 100: the lifecycle stages' shares (evangelist 5 %, customer 30 %). */
    private static final int[] STAGE_SHARES = {20, 20, 10, 10, 5, 30, 5};

    private final Path repository = Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    private final BenchDatabase database = new BenchDatabase("relata_bench_campaigns");
    private final int rows = Integer.getInteger("bench.rows", 1_000_000);
    private final boolean reuse = Boolean.getBoolean("bench.reuse");
    private final int samples = Integer.getInteger("bench.samples", 20);
    private final Path output = Path.of(System.getProperty("bench.out",
            repository.resolve("bench/results/" + LocalDate.now() + "-campaigns-1m.md").toString()));
    private final Report out = new Report();

    public static void main(String[] args) throws Exception {
        new CampaignBenchmark().run();
    }

    private void run() throws Exception {
        if (!reuse) {
            database.recreate();
        }
        InProcessCrm crm = new InProcessCrm(database, repository);
        out.append("# Campaigns at " + String.format("%,d", rows) + " contacts (issue 18)\n\n");
        out.line("PostgreSQL " + database.scalar("SHOW server_version") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", load average before: " + Report.loadAverage()
                + ". In process: the runtime's marketing classes on the shipped metadata, no HTTP.");
        PlatformClock clock = new PlatformClock(Clock.systemUTC(), true);
        JdbcTransactions transactions = new JdbcTransactions(crm.db.dataSource(), crm.db.schemaGate());
        SecuredRecordStore system = new SecuredRecordStore(crm.store, crm.metadata::model, () -> Actor.SYSTEM,
                AuditSink.NONE);
        Actor marketing = Actor.user(7, "bench_marketing", Set.of("marketing"), List.of());
        SecuredRecordStore asMarketing = new SecuredRecordStore(crm.store, crm.metadata::model, () -> marketing,
                AuditSink.NONE);
        long purpose;
        try (Connection c = database.connect()) {
            boolean loaded = reuse && count(c, "SELECT COUNT(*) FROM rec_contact") == rows;
            if (!loaded) {
                purpose = system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                        "label_en", "Newsletter", "text_de", "Ja", "text_en", "Yes", "double_opt_in", false)).id();
                out.section("Load");
                double contacts = CopyLoader.load(c, "rec_contact", rows, new Contacts());
                double consents = CopyLoader.load(c, "rec_consent", rows * 2 / 5, new GrantedConsents(purpose));
                out.line(String.format("%,d contacts by COPY in %.0f s, %,d granted consents in %.0f s.", rows, contacts,
                        rows * 2 / 5, consents));
            } else {
                purpose = count(c, "SELECT MIN(id) FROM rec_consent_purpose");
                try (Statement s = c.createStatement()) { // members and campaigns of an earlier run
                    s.execute("DELETE FROM rec_campaign_member");
                    s.execute("DELETE FROM rec_campaign");
                    s.execute("DELETE FROM rec_target_group");
                }
            }
        }
        Outbox outbox = new Outbox(transactions, clock, MailSettings.NONE, Map::of, Outbox.Policy.DEFAULT, "bench");
        Supplier<SecuredRecordStore> platform = () -> system;
        Consents consents = new Consents(crm.metadata::model, platform, transactions, outbox, () -> "http://crm.bench.test",
                clock);
        CampaignAudience audience = new CampaignAudience(crm.metadata::model, platform, transactions, consents, clock);

        // 1. the live count
        Record customers = system.create("target_group", Map.of("name", "German customers", "audience", "contact",
                "conditions", "lifecycle_stage:in:customer|evangelist\nlanguage:eq:de"));
        String byHand = "SELECT COUNT(*) FROM rec_contact WHERE lifecycle_stage IN ('customer', 'evangelist') AND language = 'de'";
        // the same people with a granted newsletter consent: a condition over related records, an EXISTS per person
        Record consenting = system.create("target_group", Map.of("name", "German customers with consent", "audience",
                "contact", "conditions", "lifecycle_stage:in:customer|evangelist\nlanguage:eq:de\nconsents.purpose:eq:"
                        + purpose + "\nconsents.status:eq:granted"));
        String consentingByHand = byHand + " AND EXISTS (SELECT 1 FROM rec_consent r WHERE r.contact = rec_contact.id"
                + " AND r.purpose = " + purpose + " AND r.status = 'granted')";
        out.section("The target group's live count against the same COUNT by hand");
        out.table("target group", "people", "platform p50 ms", "platform p95 ms", "by hand p50 ms", "by hand p95 ms",
                "p95 ratio");
        liveCount(out, audience, asMarketing, crm, samples, "customers and evangelists, German", customers, byHand);
        liveCount(out, audience, asMarketing, crm, samples, "the same with a granted newsletter consent (related records)",
                consenting, consentingByHand);
        out.line(samples + " counts each after 3, interleaved, as a marketing user (who reads every contact and consent)."
                + " The first count is before the exclusions (address, consent, contact pause), which preparing decides"
                + " per person; the second names the consent as a condition over related records. Goal: ≤ 1 s at p95.");

        // 2. preparing
        Record evangelists = system.create("target_group", Map.of("name", "English evangelists", "audience", "contact",
                "conditions", "lifecycle_stage:eq:evangelist\nlanguage:eq:en"));
        Record campaign = system.create("campaign", Map.of("name", "Bench news", "channel", "email", "purpose", purpose,
                "target_group", evangelists.id(), "messages_per_minute", 10_000, "subject_de", "Neu für {{record.first_name}}",
                "subject_en", "New for {{record.first_name}}", "body_de", "Guten Tag {{record.last_name}}",
                "body_en", "Hello {{record.first_name}} {{record.last_name}},\n\nour news.\n\n{{sender.name}}"));
        long started = System.nanoTime();
        CampaignAudience.Prepared prepared = audience.prepare(asMarketing, campaign.id());
        double prepareSeconds = (System.nanoTime() - started) / 1e9;
        int members = prepared.queued() + prepared.skipped().values().stream().mapToInt(Integer::intValue).sum();
        double batchSeconds = batchInsert(crm, members, campaign.id());
        out.section("Preparing a campaign");
        out.table("members", "queued", "skipped", "platform s", "members/s", "JDBC batch insert s", "rows/s", "ratio");
        out.row(String.format("%,d", members), String.format("%,d", prepared.queued()), prepared.skipped().toString(),
                String.format("%.1f", prepareSeconds), Report.num(members / prepareSeconds),
                String.format("%.2f", batchSeconds), Report.num(members / batchSeconds),
                String.format("%.1f×", prepareSeconds / batchSeconds));
        out.line("The platform reads the target group in pages of 500 through the preparing user's store, looks up each"
                + " person's consent and writes each member as a record (rules, audit) in one transaction; the baseline"
                + " inserts the same number of rows into a table like the members' by JDBC batches of 500.");

        // 3. sending
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        try {
            MailSettings settings = new MailSettings("127.0.0.1", smtp.getSmtp().getPort(), "news@bench.test", null, null,
                    false, Duration.ofSeconds(30));
            CampaignMail mails = new CampaignMail(platform, id -> Optional.of(new CampaignMail.Sender("Bench", "b@bench.test")),
                    () -> "http://crm.bench.test");
            CampaignLinks links = new CampaignLinks(platform, transactions, new CampaignResponses(platform, clock),
                    () -> "http://crm.bench.test", clock);
            CampaignSender sender = new CampaignSender(platform, transactions, consents, mails, links, () -> settings,
                    () -> "http://crm.bench.test", "de", clock);
            sender.start(campaign.id());
            started = System.nanoTime();
            int sent = 0;
            while (!"sent".equals(system.get("campaign", campaign.id()).get("status"))) {
                clock.advance(Duration.ofMinutes(1)); // a minute's worth per round: the rate does not hold it back
                sent += sender.sendDue();
            }
            double sendSeconds = (System.nanoTime() - started) / 1e9;
            int received = smtp.getReceivedMessages().length;
            smtp.purgeEmailFromAllMailboxes();
            double plainSeconds = plainJavaMail(settings, sent);
            out.section("Sending to a mail server on 127.0.0.1 (GreenMail)");
            out.table("mails", "received", "platform s", "mails/s", "JavaMail alone s", "mails/s", "ratio");
            out.row(String.format("%,d", sent), String.format("%,d", received), String.format("%.1f", sendSeconds),
                    Report.num(sent / sendSeconds), String.format("%.1f", plainSeconds), Report.num(sent / plainSeconds),
                    String.format("%.1f×", sendSeconds / plainSeconds));
            out.line("Per mail the platform claims the member (a committed update), checks the consent again, renders"
                    + " subject and text from the recipient's record, makes the unsubscribe token (a row), sends and"
                    + " marks the member sent; one SMTP connection per round. The baseline sends the same number of"
                    + " plain-text mails of the same size by JavaMail over one connection. The rate was set out of the"
                    + " way (10,000 a minute, the clock moved a minute per round).");
        } finally {
            smtp.stop();
        }
        out.line("Load average after: " + Report.loadAverage() + ".");
        Files.createDirectories(output.getParent());
        out.write(output);
        crm.close();
        System.exit(0);
    }

    private static double batchInsert(InProcessCrm crm, int members, long campaign) throws Exception {
        try (Connection c = crm.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE bench_members (LIKE rec_campaign_member INCLUDING DEFAULTS)");
            c.setAutoCommit(false);
            long started = System.nanoTime();
            try (var insert = c.prepareStatement("INSERT INTO bench_members (id, version, created_at, updated_at,"
                    + " campaign, contact, email, language, status) VALUES (?, 1, now(), now(), ?, ?, ?, 'en', 'queued')")) {
                for (int i = 1; i <= members; i++) {
                    insert.setLong(1, i);
                    insert.setLong(2, campaign);
                    insert.setLong(3, i);
                    insert.setString(4, "c" + i + "@bench.example");
                    insert.addBatch();
                    if (i % 500 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** Counts {@code group}'s people {@code samples} times after 3, each time also by hand, and writes the row. */
    private static void liveCount(Report out, CampaignAudience audience, SecuredRecordStore reader, InProcessCrm crm,
                                  int samples, String name, Record group, String byHand) throws Exception {
        Latencies counted = new Latencies();
        Latencies raw = new Latencies();
        long people = 0;
        for (int i = 0; i < samples + 3; i++) {
            long started = System.nanoTime();
            people = audience.count(reader, group);
            long platformNanos = System.nanoTime() - started;
            started = System.nanoTime();
            long direct;
            try (Connection c = crm.db.dataSource().getConnection()) {
                direct = count(c, byHand);
            }
            long rawNanos = System.nanoTime() - started;
            if (direct != people) {
                throw new IllegalStateException("the platform counted " + people + ", the SQL " + direct);
            }
            if (i >= 3) {
                counted.add(platformNanos);
                raw.add(rawNanos);
            }
        }
        out.row(name, String.format("%,d", people), Report.ms(counted.p50()), Report.ms(counted.p95()),
                Report.ms(raw.p50()), Report.ms(raw.p95()), String.format("%.2f×", counted.p95() / raw.p95()));
    }

    private static double plainJavaMail(MailSettings settings, int count) throws Exception {
        long started = System.nanoTime();
        try (Transport transport = settings.session().getTransport("smtp")) {
            transport.connect(settings.host(), settings.port(), null, null);
            for (int i = 0; i < count; i++) {
                MimeMessage message = new MimeMessage(settings.session());
                message.setFrom(new InternetAddress(settings.from()));
                message.setRecipients(Message.RecipientType.TO, InternetAddress.parse("c" + i + "@bench.example"));
                message.setSubject("New for Kim", "UTF-8");
                message.setText("Hello Kim Bergland,\n\nour news.\n\nBench\n\n-- \nYou receive this e-mail because you"
                        + " agreed to it. Unsubscribe: http://crm.bench.test/unsubscribe.xhtml?t=" + "x".repeat(43), "UTF-8");
                message.setHeader("List-Unsubscribe", "<http://crm.bench.test/api/v1/public/unsubscribe/" + "x".repeat(43) + ">");
                transport.sendMessage(message, message.getAllRecipients());
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final Set<String> SYSTEM = Set.of("id", "version", "created_at", "updated_at");

    private static Set<String> with(String... columns) {
        Set<String> all = new java.util.HashSet<>(SYSTEM);
        all.addAll(List.of(columns));
        return all;
    }

    /** Contacts c1 … cN: German for 70 %, the lifecycle stages by {@link #STAGE_SHARES}. */
    private static final class Contacts implements CopyLoader.Rows {
        private final SplittableRandom random = new SplittableRandom(18);
        private long id;
        private String stage;
        private String language;

        @Override
        public Set<String> columns() {
            return with("first_name", "last_name", "email", "language", "lifecycle_stage");
        }

        @Override
        public void next(int row) {
            id = row + 1L;
            int roll = random.nextInt(100);
            int stageIndex = 0;
            for (int sum = STAGE_SHARES[0]; roll >= sum; sum += STAGE_SHARES[++stageIndex]) {
                // the stage whose share the roll falls into
            }
            stage = STAGES[stageIndex];
            language = random.nextInt(10) < 7 ? "de" : "en";
        }

        @Override
        public String value(String column) {
            return switch (column) {
                case "id" -> Long.toString(id);
                case "version" -> "1";
                case "created_at", "updated_at" -> Instant.parse("2026-01-01T00:00:00Z").plusSeconds(id).toString();
                case "first_name" -> "Kim";
                case "last_name" -> LeadLoader.SURNAMES[(int) (id % LeadLoader.SURNAMES.length)];
                case "email" -> "c" + id + "@bench.example";
                case "language" -> language;
                case "lifecycle_stage" -> stage;
                default -> null;
            };
        }
    }

    /** A granted newsletter consent for contacts 1, 3, 6, 8, … (two in five). */
    private static final class GrantedConsents implements CopyLoader.Rows {
        private final long purpose;
        private long contact;
        private long id;

        GrantedConsents(long purpose) {
            this.purpose = purpose;
        }

        @Override
        public Set<String> columns() {
            return with("email", "purpose", "contact", "status", "source", "language", "text_shown", "requested_at",
                    "granted_at");
        }

        @Override
        public void next(int row) {
            id = row + 1L;
            contact = row / 2 * 5L + (row % 2 == 0 ? 1 : 3); // 1, 3, 6, 8, 11, 13, …
        }

        @Override
        public String value(String column) {
            return switch (column) {
                case "id" -> Long.toString(id);
                case "version" -> "1";
                case "created_at", "updated_at", "requested_at", "granted_at" -> "2026-06-01T00:00:00Z";
                case "email" -> "c" + contact + "@bench.example";
                case "purpose" -> Long.toString(purpose);
                case "contact" -> Long.toString(contact);
                case "status" -> "granted";
                case "source" -> "import";
                case "language" -> "de";
                case "text_shown" -> "Ja";
                default -> null;
            };
        }
    }
}
