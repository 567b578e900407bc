package io.relata.bench.core;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The customer records of the customer view benchmark, loaded by COPY ({@link CopyLoader}) into the tables the CRM
 * created from metadata/entities: accounts, contacts, opportunities, activities and tickets spread over random
 * accounts and contacts and owned by sales reps in teams, plus two accounts whose content is known exactly, the
 * <em>target</em> (50 contacts, 200 activities, 30 opportunities, 5 tickets) and a <em>small</em> account (2
 * contacts, 1 opportunity, 5 activities). Their rows are spread evenly over each table (ids and heap pages among
 * the others, as records entered over years would be), not appended at the end. Every opportunity follows the
 * sales process (a process case and its phase stamps, as the CRM writes them), and each account has its creation
 * in the audit trail, the target a few changes too; the opportunities' phases are those of their process.
 * Seeded: every run writes the same rows (dates relative to the day of the load).
 */
final class CustomerData {

    static final String TARGET_NAME = "Nordlicht Zielkunde AG";
    static final String SMALL_NAME = "Bergland Kleinkunde GmbH";
    static final int TARGET_CONTACTS = 50;
    static final int TARGET_ACTIVITIES = 200;
    static final int TARGET_OPPORTUNITIES = 30;
    static final int TARGET_TICKETS = 5;
    static final int SMALL_CONTACTS = 2;
    static final int SMALL_ACTIVITIES = 5;
    static final int SMALL_OPPORTUNITIES = 1;

    static final String[] PHASES = {"qualification", "needs_analysis", "proposal", "negotiation", "won", "lost", "cancelled"};
    private static final int[] PROBABILITY = {10, 25, 50, 75, 100, 0, 0};
    private static final String[] DONE_TYPES = {"call", "meeting", "email", "visit", "visit_report", "letter", "note"};
    private static final String[] INDUSTRIES = {"insurance", "banking", "telco", "energy", "retail", "manufacturing", "it",
            "public_sector", "healthcare", "other"};
    private static final String[] STAGES = {"subscriber", "lead", "marketing_qualified", "sales_qualified", "opportunity",
            "customer", "evangelist"};
    private static final String[] CITIES = {"Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf",
            "Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Kiel"};
    private static final String[] POSITIONS = {"Geschäftsführer", "Einkauf", "IT-Leitung", "Vertrieb", "Buchhaltung",
            "Assistenz", "Projektleitung", "Marketing"};
    /** ASCII names for the target's contacts, so the page's HTML can be checked for them as they are. */
    private static final String[] TARGET_SURNAMES = {"Albers", "Brinkmann", "Carstens", "Dreyer", "Ehlers", "Feddersen",
            "Gerdes", "Harms", "Ipsen", "Jensen"};
    private static final String[] TICKET_PHASES = {"open", "in_progress", "waiting_for_customer", "resolved", "rejected"};
    private static final String[] PRIORITIES = {"low", "normal", "normal", "high", "urgent"};
    private static final String[] SUBJECTS = {"Rückruf wegen Angebot", "Termin zur Bedarfsanalyse", "Vertragsentwurf senden",
            "Preisverhandlung", "Jahresgespräch", "Nachfassen nach Messe", "Referenzbesuch", "Rechnungsfrage klären"};

    /** How many rows of each table, besides the target's and the small account's. */
    record Sizes(int accounts, int contacts, int opportunities, int activities, int tickets) {
        /** {@code rows} records over accounts (2 %), contacts (25 %), opportunities (8 %) and activities (the rest); tickets 2 % on top. */
        static Sizes of(int rows) {
            int accounts = Math.max(10, rows / 50);
            int contacts = Math.max(20, rows / 4);
            int opportunities = Math.max(10, rows * 2 / 25);
            return new Sizes(accounts, contacts, opportunities, Math.max(20, rows - accounts - contacts - opportunities),
                    Math.max(5, rows / 50));
        }
    }

    /** A sales user who owns records: their id, name and team. */
    record Owner(long userId, String username, long teamId) {
    }

    /** What one viewer must see of an account's customer view: the panels and the totals of its related lists. */
    record Expected(List<String> panels, Map<String, Long> totals, long openOpportunities) {
    }

    /** Rows per table after the load, the seconds it took in all and per table. */
    record Loaded(Map<String, Long> rowsPerTable, double seconds, Map<String, Double> secondsPerTable) {
    }

    static final List<String> MANAGER_PANELS = List.of("facts", "sales_figures", "service_figures", "open_todos", "contacts",
            "opportunities", "tickets", "contact_activities", "timeline");
    static final List<String> REP_PANELS = List.of("facts", "sales_figures", "open_todos", "contacts", "opportunities",
            "contact_activities", "timeline");

    private final Sizes sizes;
    private final List<Owner> reps;
    private final Owner targetOwner;
    private final Owner colleague;
    private final Instant now = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).plus(8, ChronoUnit.HOURS);
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    // the layout of each table: which ids are the special accounts' rows
    private final Layout accounts;
    private final Layout contacts;
    private final Layout opportunities;
    private final Layout activities;
    private final Layout tickets;

    // background relations, by background index
    private final int[] contactAccount;
    private final int[] opportunityAccount;
    private final int[] opportunityOwner;
    private final byte[] opportunityPhase;

    // special rows' contents
    private final Special[] specialActivities = new Special[TARGET_ACTIVITIES + SMALL_ACTIVITIES];

    /**
     * @param reps        the owners of the background records (each record's team is its owner's)
     * @param targetOwner the rep who owns the target's and the small account's records
     * @param colleague   a rep of another team who owns some of the target's activities
     */
    CustomerData(Sizes sizes, List<Owner> reps, Owner targetOwner, Owner colleague) {
        this.sizes = sizes;
        this.reps = reps;
        this.targetOwner = targetOwner;
        this.colleague = colleague;
        accounts = new Layout(sizes.accounts(), 2);
        contacts = new Layout(sizes.contacts(), TARGET_CONTACTS + SMALL_CONTACTS);
        opportunities = new Layout(sizes.opportunities(), TARGET_OPPORTUNITIES + SMALL_OPPORTUNITIES);
        activities = new Layout(sizes.activities(), TARGET_ACTIVITIES + SMALL_ACTIVITIES);
        tickets = new Layout(sizes.tickets(), TARGET_TICKETS);
        SplittableRandom random = new SplittableRandom(15);
        contactAccount = new int[sizes.contacts()];
        for (int c = 0; c < contactAccount.length; c++) {
            contactAccount[c] = accounts.background(random.nextInt(sizes.accounts()));
        }
        opportunityAccount = new int[sizes.opportunities()];
        opportunityOwner = new int[sizes.opportunities()];
        opportunityPhase = new byte[sizes.opportunities()];
        for (int o = 0; o < opportunityAccount.length; o++) {
            // most deals are with an account that has contacts: the account of a random contact
            opportunityAccount[o] = random.nextInt(10) < 7 ? contactAccount[random.nextInt(contactAccount.length)]
                    : accounts.background(random.nextInt(sizes.accounts()));
            opportunityOwner[o] = random.nextInt(reps.size());
            opportunityPhase[o] = (byte) random.nextInt(PHASES.length);
        }
        for (int j = 0; j < specialActivities.length; j++) {
            specialActivities[j] = j < TARGET_ACTIVITIES ? targetActivity(j) : smallActivity(j - TARGET_ACTIVITIES);
        }
    }

    long targetId() {
        return accounts.special(0);
    }

    long smallId() {
        return accounts.special(1);
    }

    // ----- load -----

    Loaded load(Connection connection) throws SQLException, IOException {
        long started = System.nanoTime();
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("rec_account", CopyLoader.load(connection, "rec_account", accounts.total(), new AccountRows()));
        seconds.put("rec_contact", CopyLoader.load(connection, "rec_contact", contacts.total(), new ContactRows()));
        seconds.put("rec_opportunity", CopyLoader.load(connection, "rec_opportunity", opportunities.total(), new OpportunityRows()));
        seconds.put("rec_activity", CopyLoader.load(connection, "rec_activity", activities.total(), new ActivityRows()));
        seconds.put("rec_ticket", CopyLoader.load(connection, "rec_ticket", tickets.total(), new TicketRows()));
        seconds.put("crm_process_case", CopyLoader.load(connection, "crm_process_case", opportunities.total(), new CaseRows()));
        StampRows stamps = new StampRows();
        seconds.put("crm_phase_stamp", CopyLoader.load(connection, "crm_phase_stamp", stamps.count(), stamps));
        AuditRows audit = new AuditRows();
        seconds.put("crm_audit", CopyLoader.load(connection, "crm_audit", audit.count(), audit));
        long update = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            // the computed field as the CRM keeps it: open tickets per account
            statement.executeUpdate("UPDATE rec_account a SET open_tickets = t.n FROM (SELECT account, count(*) AS n FROM rec_ticket "
                    + "WHERE phase IN ('open', 'in_progress', 'waiting_for_customer') GROUP BY account) t WHERE t.account = a.id");
            statement.execute("VACUUM ANALYZE rec_account");
        }
        seconds.put("open_tickets of the accounts", (System.nanoTime() - update) / 1e9);
        return new Loaded(rowsPerTable(connection), (System.nanoTime() - started) / 1e9, seconds);
    }

    static final List<String> TABLES = List.of("rec_account", "rec_contact", "rec_opportunity", "rec_activity", "rec_ticket",
            "crm_process_case", "crm_phase_stamp", "crm_audit");

    static Map<String, Long> rowsPerTable(Connection connection) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, CopyLoader.count(connection, table));
        }
        return rows;
    }

    /** How many of the target's activities the colleague owns. */
    long colleagueActivities() {
        return java.util.Arrays.stream(specialActivities).filter(a -> a.owner() == colleague).count();
    }

    /** The number of activities the load writes: a database with as many was loaded with these sizes. */
    int activityRows() {
        return activities.total();
    }

    String targetContactEmail(int j) {
        return (firstName(j) + "." + TARGET_SURNAMES[j % TARGET_SURNAMES.length] + j + "@nordlicht-zielkunde.example")
                .toLowerCase(Locale.ROOT);
    }

    String smallContactEmail(int j) {
        return "kontakt" + j + "@bergland-kleinkunde.example";
    }

    private static String firstName(int j) {
        return LeadLoader.FIRST_NAMES[j % LeadLoader.FIRST_NAMES.length];
    }

    /** What a viewer sees of the target (or the small account): the manager every row, the rep what their scope reaches. */
    Expected expected(boolean target, boolean rep) {
        int from = target ? 0 : TARGET_ACTIVITIES;
        int to = target ? TARGET_ACTIVITIES : specialActivities.length;
        long todos = 0;
        long withContact = 0;
        for (int j = from; j < to; j++) {
            Special activity = specialActivities[j];
            if (rep && !activity.visibleToRep) {
                continue;
            }
            if (activity.type.equals("todo") && !activity.done) {
                todos++;
            }
            if (activity.contact != 0) {
                withContact++;
            }
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("open_todos", todos);
        totals.put("contacts", (long) (target ? TARGET_CONTACTS : SMALL_CONTACTS));
        totals.put("opportunities", (long) (target ? TARGET_OPPORTUNITIES : SMALL_OPPORTUNITIES));
        if (!rep) {
            totals.put("tickets", (long) (target ? TARGET_TICKETS : 0));
        }
        totals.put("contact_activities", withContact);
        long open = 0;
        for (int j = 0; j < (target ? TARGET_OPPORTUNITIES : SMALL_OPPORTUNITIES); j++) {
            open += specialPhase(target ? j : TARGET_OPPORTUNITIES + j) < 4 ? 1 : 0;
        }
        return new Expected(rep ? REP_PANELS : MANAGER_PANELS, totals, open);
    }

    // ----- the special rows -----

    /** One of the target's or the small account's activities. */
    private record Special(boolean target, String type, boolean done, Instant dueAt, long contact, long regarding,
                           Owner owner, boolean visibleToRep, String subject) {
    }

    /**
     * The target's activity {@code j}: three in four are done (history over the last two years), the rest open
     * (to-dos, planned calls and meetings; some overdue); four in five with one of its contacts, one in three about
     * one of its opportunities; one in seven owned by a colleague of another team, who the target's rep sees only
     * where it is about one of their opportunities.
     */
    private Special targetActivity(int j) {
        boolean done = j % 4 != 0;
        int open = j / 4;
        String type = done ? DONE_TYPES[j % DONE_TYPES.length] : open % 5 < 3 ? "todo" : open % 5 == 3 ? "call" : "meeting";
        Instant due = done ? now.minus(j * 84L + 3, ChronoUnit.HOURS) : now.plus(open % 25 - 5, ChronoUnit.DAYS).plus(j % 8, ChronoUnit.HOURS);
        long contact = j % 5 != 4 ? contacts.special((j * 7) % TARGET_CONTACTS) : 0;
        long regarding = j % 3 == 0 ? opportunities.special((j / 3) % TARGET_OPPORTUNITIES) : 0;
        Owner owner = j % 7 == 3 ? colleague : targetOwner;
        boolean visible = owner == targetOwner || regarding != 0;
        return new Special(true, type, done, due, contact, regarding, owner, visible,
                SUBJECTS[j % SUBJECTS.length] + " (Nordlicht " + (j + 1) + ")");
    }

    private Special smallActivity(int j) {
        boolean done = j < 3;
        return new Special(false, done ? DONE_TYPES[j] : "todo", done, done ? now.minus(30L * (j + 1), ChronoUnit.DAYS)
                : now.plus(7L * j, ChronoUnit.DAYS), j % 2 == 0 ? contacts.special(TARGET_CONTACTS + j % SMALL_CONTACTS) : 0,
                j == 0 ? opportunities.special(TARGET_OPPORTUNITIES) : 0, targetOwner, true,
                SUBJECTS[j % SUBJECTS.length] + " (Bergland " + (j + 1) + ")");
    }

    /** The phase of special opportunity {@code j}: the target's cycle through all phases, the small account's is in proposal. */
    private static int specialPhase(int j) {
        return j < TARGET_OPPORTUNITIES ? j % PHASES.length : 2;
    }

    // ----- generators -----

    private Owner rep(SplittableRandom random) {
        return reps.get(random.nextInt(reps.size()));
    }

    private static String date(Instant at) {
        return at.toString();
    }

    private abstract class Rows implements CopyLoader.Rows {
        final SplittableRandom random;
        final Layout layout;
        long id;
        /** The special row's index, or -1 for a background row. */
        int special;
        /** The background row's index, or -1 for a special row. */
        int background;
        Owner owner;
        Instant created;

        Rows(Layout layout, long seed) {
            this.layout = layout;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void next(int row) {
            id = row + 1L;
            special = layout.specialIndex(row);
            background = special < 0 ? layout.backgroundIndex(row) : -1;
            owner = special >= 0 ? targetOwner : rep(random);
            // created over the three years before the load, in id order
            created = now.minus(3L * 365 * 24 * 3600 * (layout.total() - row) / layout.total(), ChronoUnit.SECONDS);
            prepare();
        }

        abstract void prepare();

        /** The columns every record table has; null if {@code column} is not one of them. */
        String system(String column) {
            return switch (column) {
                case "id" -> Long.toString(id);
                case "version" -> "1";
                case "created_at", "updated_at" -> date(created);
                case "owner_user" -> Long.toString(owner.userId());
                case "owner_team" -> Long.toString(owner.teamId());
                default -> null;
            };
        }
    }

    private static final Set<String> SYSTEM = Set.of("id", "version", "created_at", "updated_at", "owner_user", "owner_team");

    private static Set<String> with(String... columns) {
        Set<String> all = new java.util.HashSet<>(SYSTEM);
        all.addAll(List.of(columns));
        return all;
    }

    private final class AccountRows extends Rows {
        AccountRows() {
            super(accounts, 21);
        }

        @Override
        void prepare() {
        }

        @Override
        public Set<String> columns() {
            return with("name", "industry", "website", "phone", "email", "annual_revenue", "employees", "street",
                    "postal_code", "city", "country", "customer_since", "is_customer", "lifecycle_stage", "open_tickets");
        }

        @Override
        public String value(String column) {
            String system = system(column);
            if (system != null) {
                return system;
            }
            boolean target = special == 0;
            boolean small = special == 1;
            return switch (column) {
                case "name" -> target ? TARGET_NAME : small ? SMALL_NAME : LeadLoader.COMPANY_WORDS[background % 20] + " "
                        + LeadLoader.COMPANY_KINDS[(background / 20) % 10] + " " + (background + 1);
                case "industry" -> target ? "energy" : INDUSTRIES[random.nextInt(INDUSTRIES.length)];
                case "website" -> target ? "https://nordlicht-zielkunde.example" : "https://firma" + id + ".example";
                case "phone" -> "+49 40 " + (2_000_000 + id);
                case "email" -> target ? "info@nordlicht-zielkunde.example" : "info@firma" + id + ".example";
                case "annual_revenue" -> target ? "48000000.00" : Integer.toString(100_000 + random.nextInt(50_000_000)) + ".00";
                case "employees" -> target ? "420" : Integer.toString(1 + random.nextInt(2000));
                case "street" -> "Hafenstraße " + (1 + id % 120);
                case "postal_code" -> Integer.toString(10_000 + (int) (id * 37 % 89_999));
                case "city" -> target ? "Hamburg" : CITIES[random.nextInt(CITIES.length)];
                case "country" -> "DE";
                case "customer_since" -> target ? today.minusYears(6).toString() : random.nextBoolean()
                        ? today.minusDays(random.nextInt(3650)).toString() : null;
                case "is_customer" -> target || random.nextBoolean() ? "true" : "false";
                case "lifecycle_stage" -> target ? "customer" : STAGES[random.nextInt(STAGES.length)];
                case "open_tickets" -> "0";
                default -> null;
            };
        }
    }

    private final class ContactRows extends Rows {
        private String first;
        private String last;
        private long account;

        ContactRows() {
            super(contacts, 22);
        }

        @Override
        void prepare() {
            if (special >= 0 && special < TARGET_CONTACTS) {
                first = firstName(special);
                last = TARGET_SURNAMES[special % TARGET_SURNAMES.length];
                account = targetId();
            } else if (special >= 0) {
                first = "Kim";
                last = "Bergland-" + (special - TARGET_CONTACTS + 1);
                account = smallId();
            } else {
                first = LeadLoader.FIRST_NAMES[random.nextInt(LeadLoader.FIRST_NAMES.length)];
                last = LeadLoader.SURNAMES[random.nextInt(LeadLoader.SURNAMES.length)];
                account = contactAccount[background];
            }
        }

        @Override
        public Set<String> columns() {
            return with("salutation", "first_name", "last_name", "email", "phone", "mobile", "position", "account",
                    "birthday", "lifecycle_stage");
        }

        @Override
        public String value(String column) {
            String system = system(column);
            if (system != null) {
                return system;
            }
            return switch (column) {
                case "salutation" -> random.nextBoolean() ? "mr" : "ms";
                case "first_name" -> first;
                case "last_name" -> last;
                case "email" -> special >= TARGET_CONTACTS ? smallContactEmail(special - TARGET_CONTACTS) : special >= 0
                        ? targetContactEmail(special) : "kontakt" + id + "@firma" + account + ".example";
                case "phone" -> "+49 30 " + (3_000_000 + id);
                case "mobile" -> random.nextInt(3) == 0 ? "+49 170 " + (4_000_000 + id) : null;
                case "position" -> POSITIONS[random.nextInt(POSITIONS.length)];
                case "account" -> Long.toString(account);
                case "birthday" -> random.nextInt(4) == 0 ? LocalDate.of(1960 + random.nextInt(40), 1 + random.nextInt(12),
                        1 + random.nextInt(28)).toString() : null;
                case "lifecycle_stage" -> STAGES[random.nextInt(STAGES.length)];
                default -> null;
            };
        }
    }

    private final class OpportunityRows extends Rows {
        private int phase;
        private long account;
        private BigDecimal amount;

        OpportunityRows() {
            super(opportunities, 23);
        }

        @Override
        void prepare() {
            if (special >= 0) {
                phase = specialPhase(special);
                account = special < TARGET_OPPORTUNITIES ? targetId() : smallId();
                amount = BigDecimal.valueOf(5_000L + special * 7_919L % 250_000L);
            } else {
                phase = opportunityPhase[background];
                account = opportunityAccount[background];
                owner = reps.get(opportunityOwner[background]);
                amount = BigDecimal.valueOf(1_000L + random.nextInt(500_000));
            }
        }

        @Override
        public Set<String> columns() {
            return with("name", "account", "contact", "amount", "probability", "weighted_amount", "close_date",
                    "product_line", "phase", "contract_signed_on", "loss_reason");
        }

        @Override
        public String value(String column) {
            String system = system(column);
            if (system != null) {
                return system;
            }
            boolean closed = phase >= 4;
            int offset = (int) (id % 120);
            return switch (column) {
                case "name" -> special >= 0 && special < TARGET_OPPORTUNITIES ? "Nordlicht Ausbau " + (special + 1)
                        : special >= 0 ? "Bergland Wartung" : "Projekt " + id;
                case "account" -> Long.toString(account);
                case "contact" -> special >= 0 && special < TARGET_OPPORTUNITIES
                        ? Long.toString(contacts.special(special % TARGET_CONTACTS)) : null;
                case "amount" -> amount.setScale(2).toPlainString();
                case "probability" -> Integer.toString(PROBABILITY[phase]);
                case "weighted_amount" -> amount.multiply(BigDecimal.valueOf(PROBABILITY[phase])).movePointLeft(2)
                        .setScale(2).toPlainString();
                case "close_date" -> (closed ? today.minusDays(30 + offset * 3L) : today.plusDays(10 + offset)).toString();
                case "product_line" -> "standard";
                case "phase" -> PHASES[phase];
                case "contract_signed_on" -> phase == 4 ? today.minusDays(30 + offset * 3L).toString() : null;
                case "loss_reason" -> phase == 5 ? "Preis zu hoch" : phase == 6 ? "Projekt gestoppt" : null;
                default -> null;
            };
        }
    }

    private final class ActivityRows extends Rows {
        private Special row;
        private String type;
        private boolean done;
        private Instant due;
        private long account;
        private long contact;
        private long regarding;

        ActivityRows() {
            super(activities, 24);
        }

        @Override
        void prepare() {
            if (special >= 0) {
                row = specialActivities[special];
                type = row.type();
                done = row.done();
                due = row.dueAt();
                account = row.target() ? targetId() : smallId();
                contact = row.contact();
                regarding = row.regarding();
                owner = row.owner();
                return;
            }
            row = null;
            int kind = random.nextInt(20);
            contact = 0;
            regarding = 0;
            if (kind < 5) { // about an opportunity of the account
                int o = random.nextInt(opportunityAccount.length);
                account = opportunityAccount[o];
                regarding = opportunities.background(o);
            } else if (kind < 16) { // with a contact of the account
                int c = random.nextInt(contactAccount.length);
                account = contactAccount[c];
                contact = contacts.background(c);
            } else {
                account = accounts.background(random.nextInt(accountsCount()));
            }
            done = random.nextInt(4) != 0;
            type = done ? DONE_TYPES[random.nextInt(DONE_TYPES.length)] : random.nextInt(5) < 3 ? "todo"
                    : random.nextBoolean() ? "call" : "meeting";
            due = done ? created.plus(random.nextInt(72), ChronoUnit.HOURS)
                    : now.plus(random.nextInt(90) - 10, ChronoUnit.DAYS).plus(random.nextInt(10), ChronoUnit.HOURS);
        }

        private int accountsCount() {
            return sizes.accounts();
        }

        @Override
        public Set<String> columns() {
            return with("subject", "type", "due_at", "ends_at", "done", "priority", "outcome", "completed_at", "account",
                    "contact", "regarding", "regarding_entity", "description");
        }

        @Override
        public String value(String column) {
            String system = system(column);
            if (system != null) {
                return system;
            }
            return switch (column) {
                case "subject" -> row != null ? row.subject() : SUBJECTS[random.nextInt(SUBJECTS.length)];
                case "type" -> type;
                case "due_at" -> date(due);
                case "ends_at" -> type.equals("meeting") ? date(due.plus(1, ChronoUnit.HOURS)) : null;
                case "done" -> Boolean.toString(done);
                case "priority" -> id % 5 == 0 ? "high" : id % 7 == 0 ? "low" : "normal";
                case "outcome" -> done ? "Besprochen, nächster Schritt vereinbart" : null;
                case "completed_at" -> done ? date(due.plus(1, ChronoUnit.HOURS)) : null;
                case "account" -> Long.toString(account);
                case "contact" -> contact == 0 ? null : Long.toString(contact);
                case "regarding" -> regarding == 0 ? null : Long.toString(regarding);
                case "regarding_entity" -> regarding == 0 ? null : "opportunity";
                case "description" -> id % 3 == 0 ? "Notizen zum Gespräch mit dem Kunden" : null;
                default -> null;
            };
        }
    }

    private final class TicketRows extends Rows {
        private long account;
        private long contact;
        private String phase;

        TicketRows() {
            super(tickets, 25);
        }

        @Override
        void prepare() {
            if (special >= 0) {
                account = targetId();
                contact = contacts.special(special * 3 % TARGET_CONTACTS);
                phase = TICKET_PHASES[special % TICKET_PHASES.length];
            } else {
                int c = random.nextInt(contactAccount.length);
                account = contactAccount[c];
                contact = contacts.background(c);
                phase = TICKET_PHASES[random.nextInt(TICKET_PHASES.length)];
            }
        }

        @Override
        public Set<String> columns() {
            return with("subject", "account", "contact", "customer_email", "description", "priority", "phase", "resolution",
                    "rejection_reason");
        }

        @Override
        public String value(String column) {
            String system = system(column);
            if (system != null) {
                return system;
            }
            return switch (column) {
                case "subject" -> special >= 0 ? "Störung Zähler " + (special + 1) : "Anfrage " + id;
                case "account" -> Long.toString(account);
                case "contact" -> Long.toString(contact);
                case "customer_email" -> "kunde" + contact + "@example.de";
                case "description" -> "Der Kunde meldet ein Problem.";
                case "priority" -> PRIORITIES[random.nextInt(PRIORITIES.length)];
                case "phase" -> phase;
                case "resolution" -> phase.equals("resolved") ? "Behoben" : null;
                case "rejection_reason" -> phase.equals("rejected") ? "duplicate" : null;
                default -> null;
            };
        }
    }

    /** One process case per opportunity (the sales process; id = the opportunity's id), in its current phase. */
    private final class CaseRows extends Rows {
        private int phase;

        CaseRows() {
            super(opportunities, 26);
        }

        @Override
        void prepare() {
            phase = special >= 0 ? specialPhase(special) : opportunityPhase[background];
        }

        @Override
        public Set<String> columns() {
            return Set.of("id", "entity", "record_id", "process", "phase", "phase_since", "started_at", "ended_at", "outcome",
                    "last_stamp_id");
        }

        @Override
        public String value(String column) {
            Instant since = stampTime(id, stampsOf(phase) - 1);
            return switch (column) {
                case "id", "record_id" -> Long.toString(id);
                case "entity" -> "opportunity";
                case "process" -> "opportunity_sales";
                case "phase" -> PHASES[phase];
                case "phase_since" -> date(since);
                case "started_at" -> date(stampTime(id, 0));
                case "ended_at" -> phase >= 4 ? date(since) : null;
                case "outcome" -> phase == 4 ? "success" : phase >= 5 ? "failure" : "open";
                case "last_stamp_id" -> null;
                default -> null;
            };
        }
    }

    /** How many phase stamps an opportunity in {@code phase} has: the start and each phase after it. */
    private static int stampsOf(int phase) {
        return phase <= 4 ? phase + 1 : 3; // lost and cancelled: qualification, needs_analysis, then the end
    }

    /** The phase of stamp {@code n} of an opportunity ending in {@code phase}. */
    private static int stampPhase(int phase, int n) {
        return phase <= 4 || n < 2 ? n : phase;
    }

    /** When stamp {@code n} of opportunity {@code id} was written: a week apart, ending some days before the load. */
    private Instant stampTime(long id, int n) {
        return now.minus(3 + id % 200, ChronoUnit.DAYS).minus(7L * (5 - n), ChronoUnit.DAYS);
    }

    private final class StampRows extends Rows {
        private final int total;
        private int opportunity = -1;
        private int stamp;
        private int stampsOfCurrent;
        private int phase;
        private Owner stampOwner;

        StampRows() {
            super(opportunities, 27);
            int count = 0;
            for (int row = 0; row < opportunities.total(); row++) {
                int s = opportunities.specialIndex(row);
                count += stampsOf(s >= 0 ? specialPhase(s) : opportunityPhase[opportunities.backgroundIndex(row)]);
            }
            total = count;
        }

        int count() {
            return total;
        }

        @Override
        public void next(int row) {
            if (opportunity < 0 || ++stamp >= stampsOfCurrent) {
                opportunity++;
                stamp = 0;
                int s = opportunities.specialIndex(opportunity);
                phase = s >= 0 ? specialPhase(s) : opportunityPhase[opportunities.backgroundIndex(opportunity)];
                stampOwner = s >= 0 ? targetOwner : reps.get(opportunityOwner[opportunities.backgroundIndex(opportunity)]);
                stampsOfCurrent = stampsOf(phase);
            }
        }

        @Override
        void prepare() {
        }

        @Override
        public Set<String> columns() {
            return Set.of("case_id", "entity", "record_id", "process", "from_phase", "to_phase", "changed_at", "user_id",
                    "username", "reason");
        }

        @Override
        public String value(String column) {
            long id = opportunity + 1L;
            return switch (column) {
                case "case_id", "record_id" -> Long.toString(id);
                case "entity" -> "opportunity";
                case "process" -> "opportunity_sales";
                case "from_phase" -> stamp == 0 ? null : PHASES[stampPhase(phase, stamp - 1)];
                case "to_phase" -> PHASES[stampPhase(phase, stamp)];
                case "changed_at" -> date(stampTime(id, stamp));
                case "user_id" -> Long.toString(stampOwner.userId());
                case "username" -> stampOwner.username();
                case "reason" -> stamp > 0 && phase >= 5 && stamp == stampsOfCurrent - 1 ? "Preis zu hoch" : null;
                default -> null;
            };
        }
    }

    /** The creation of each account in the audit trail, and four changes of the target's. */
    private final class AuditRows extends Rows {
        private static final int TARGET_CHANGES = 4;
        private long account;
        private int change;

        AuditRows() {
            super(accounts, 28);
        }

        int count() {
            return accounts.total() + TARGET_CHANGES;
        }

        @Override
        public void next(int row) {
            if (row < accounts.total()) {
                account = row + 1L;
                change = -1;
            } else {
                account = targetId();
                change = row - accounts.total();
            }
        }

        @Override
        void prepare() {
        }

        @Override
        public Set<String> columns() {
            return Set.of("at", "entity", "record_id", "action", "actor_id", "actor_name", "changes");
        }

        @Override
        public String value(String column) {
            Instant created = now.minus(3L * 365 * 24 * 3600 * (accounts.total() - account + 1) / accounts.total(), ChronoUnit.SECONDS);
            return switch (column) {
                case "at" -> date(change < 0 ? created : now.minus(40L - 9 * change, ChronoUnit.DAYS));
                case "entity" -> "account";
                case "record_id" -> Long.toString(account);
                case "action" -> change < 0 ? "CREATE" : "UPDATE";
                case "actor_id" -> Long.toString(targetOwner.userId());
                case "actor_name" -> targetOwner.username();
                case "changes" -> change < 0 ? "{\"name\":{\"old\":null,\"new\":\"Firma " + account + "\"}}"
                        : "{\"employees\":{\"old\":" + (400 + change) + ",\"new\":" + (401 + change) + "}}";
                default -> null;
            };
        }
    }

    // ----- layout -----

    /**
     * The ids of one table: {@code background} rows and {@code specials} rows spread evenly among them (row r has
     * id r + 1). Maps a row to its special or background index and back.
     */
    static final class Layout {
        private final int total;
        private final int[] specialRows;
        private final int[] backgroundRows;
        private final int[] specialIndex;
        private final int[] backgroundIndex;

        Layout(int background, int specials) {
            total = background + specials;
            specialRows = new int[specials];
            specialIndex = new int[total];
            backgroundIndex = new int[total];
            backgroundRows = new int[background];
            java.util.Arrays.fill(specialIndex, -1);
            for (int j = 0; j < specials; j++) {
                specialRows[j] = (int) ((j + 0.5) * total / specials);
                specialIndex[specialRows[j]] = j;
            }
            int b = 0;
            for (int row = 0; row < total; row++) {
                if (specialIndex[row] < 0) {
                    backgroundRows[b] = row;
                    backgroundIndex[row] = b++;
                } else {
                    backgroundIndex[row] = -1;
                }
            }
        }

        int total() {
            return total;
        }

        int specialIndex(int row) {
            return specialIndex[row];
        }

        int backgroundIndex(int row) {
            return backgroundIndex[row];
        }

        /** The id of special row {@code j}. */
        long special(int j) {
            return specialRows[j] + 1L;
        }

        /** The id of background row {@code b}. */
        int background(int b) {
            return backgroundRows[b] + 1;
        }
    }
}
