package io.relata.runtime.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.CustomerView;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ViewPanel;
import io.relata.api.record.Aggregate;
import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.security.Actor;
import io.relata.metadata.MetadataLimits;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.process.ProcessCases;
import io.relata.runtime.AuditLog;
import io.relata.runtime.Database;
import io.relata.runtime.MetadataRevision;
import io.relata.runtime.MetadataRuntime;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped customer view of an account, read by a sales rep, a service agent, a marketing user and an
 * administrator: each sees the panels of their roles, figures over what they may read only (another team's
 * opportunity is not in the pipeline), hidden fields neither shown nor measured, and a timeline of changes, phase
 * changes, mails and related records. Runs on H2 and PostgreSQL.
 */
@org.junit.jupiter.params.ParameterizedClass(name = "{0}")
@org.junit.jupiter.params.provider.ValueSource(strings = {"h2", "postgresql"})
class CustomerViewsTest {

    private static final Path METADATA = Path.of("../../metadata");
    private static final OffsetDateTime MONDAY = OffsetDateTime.of(2026, 11, 30, 9, 0, 0, 0, ZoneOffset.UTC);
    /** When the views are read: the next Monday; the fixture's records were made before (created_at: the real now). */
    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).plusDays(7)
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    private static final long TEAM_A = 1;
    private static final long TEAM_B = 2;

    private final Actor anna = Actor.user(11, "anna", Set.of("sales"), List.of(TEAM_A));
    private final Actor sven = Actor.user(12, "sven", Set.of("service"), List.of(TEAM_A));
    private final Actor mia = Actor.user(13, "mia", Set.of("marketing"), List.of(TEAM_A));
    private final Actor admin = new Actor(14, "admin", Set.of("administrator"), List.of(), false);

    private Database database;
    private RuleEngine rules;
    private MetadataRuntime metadata;
    private JdbcRecordStore system;
    private AuditLog audit;
    private ProcessCases cases;
    private Outbox outbox;
    private io.relata.runtime.files.RecordFiles files;
    private MetadataModel model;
    private final Map<String, Long> ids = new HashMap<>();

    @org.junit.jupiter.params.Parameter
    String databaseKind;

    private io.relata.runtime.TestDatabase opened;

    @BeforeEach
    void start() throws Exception {
        opened = io.relata.runtime.TestDatabase.open(databaseKind);
        database = opened.database();
        rules = new RuleEngine(RuleLimits.DEFAULT, Clock.systemUTC());
        metadata = new MetadataRuntime(database, rules, METADATA, List.of(), List::of, MetadataLimits.DEFAULT);
        metadata.load(MetadataRevision.Trigger.STARTUP);
        model = metadata.model();
        JdbcTransactions transactions = new JdbcTransactions(database.dataSource(), database.schemaGate());
        system = new JdbcRecordStore(transactions, () -> model, Clock.systemUTC(), rules);
        audit = new AuditLog(database.dataSource());
        cases = new ProcessCases(transactions, () -> model);
        outbox = new Outbox(transactions, Clock.systemUTC(), MailSettings.NONE, Map::of, Outbox.Policy.DEFAULT, "test");
        files = new io.relata.runtime.files.RecordFiles(database.dataSource(), new io.relata.runtime.files.RecordFiles.Settings(
                io.relata.runtime.files.RecordFiles.Storage.DATABASE, java.nio.file.Files.createTempDirectory("files"),
                1_000_000, Set.of("pdf", "txt")), () -> model, Clock.fixed(MONDAY.plusHours(2).toInstant(), ZoneOffset.UTC));
        customer();
    }

    @AfterEach
    void stop() throws Exception {
        rules.close();
        opened.close();
    }

    /** ACME with two contacts, three opportunities (one of team B), two tickets, a to-do and two calls. */
    private void customer() throws Exception {
        long acme = secured(anna).create("account", Map.of("name", "ACME", "industry", "insurance", "wallet_estimate",
                "10000")).id();
        ids.put("acme", acme);
        long carla = create("carla", "contact", Map.of("last_name", "Carla", "account", acme, "birthday", "1980-02-03",
                "email_bounced", true), anna);
        create("dirk", "contact", Map.of("last_name", "Dirk", "account", acme), anna);
        create("proposal", "opportunity", Map.of("name", "Fleet", "account", acme, "amount", "1000.00", "phase", "proposal"), anna);
        create("won", "opportunity", Map.of("name", "Renewal", "account", acme, "amount", "500.00", "phase", "won",
                "close_date", NOW.toLocalDate().minusDays(30).toString()), anna);
        create("old_won", "opportunity", Map.of("name", "First order", "account", acme, "amount", "2000.00", "phase", "won",
                "close_date", NOW.toLocalDate().minusDays(500).toString()), Actor.user(21, "olga", Set.of("sales"),
                List.of(TEAM_B)));
        create("other", "opportunity", Map.of("name", "Elsewhere", "account", acme, "amount", "7000.00", "phase",
                "negotiation"), Actor.user(21, "olga", Set.of("sales"), List.of(TEAM_B)));
        create("open_ticket", "ticket", Map.of("subject", "Broken", "account", acme, "phase", "open"), sven);
        create("resolved_ticket", "ticket", Map.of("subject", "Fixed", "account", acme, "phase", "resolved"), sven);
        create("todo", "activity", Map.of("subject", "Send offer", "type", "todo", "done", false, "account", acme,
                "due_at", MONDAY.plusDays(3).toString()), anna);
        create("future", "activity", Map.of("subject", "Next meeting", "type", "meeting", "done", false, "account", acme,
                "due_at", NOW.plusDays(1).toString()), anna);
        create("call", "activity", Map.of("subject", "First call", "type", "call", "done", true, "account", acme,
                "contact", carla, "due_at", MONDAY.toString()), anna);
        create("olgas_call", "activity", Map.of("subject", "Olga's call", "type", "call", "done", true, "account", acme,
                "due_at", MONDAY.plusDays(1).toString()), Actor.user(21, "olga", Set.of("sales"), List.of(TEAM_B)));
        // the proposal moved there from qualification, and a process mailed about it
        try (Connection c = database.dataSource().getConnection()) {
            long caseId;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_process_case (entity, record_id, process, "
                    + "phase, phase_since, started_at, outcome) VALUES ('opportunity', ?, 'opportunity_sales', 'proposal', ?, ?, "
                    + "'open')", new String[] {"id"})) {
                insert.setLong(1, ids.get("proposal"));
                insert.setObject(2, MONDAY.plusDays(2));
                insert.setObject(3, MONDAY);
                insert.executeUpdate();
                try (var keys = insert.getGeneratedKeys()) {
                    keys.next();
                    caseId = keys.getLong(1);
                }
            }
            try (PreparedStatement stamp = c.prepareStatement("INSERT INTO crm_phase_stamp (case_id, entity, record_id, "
                    + "process, from_phase, to_phase, changed_at, username) VALUES (?, 'opportunity', ?, 'opportunity_sales', "
                    + "'qualification', 'proposal', ?, 'anna')")) {
                stamp.setLong(1, caseId);
                stamp.setLong(2, ids.get("proposal"));
                stamp.setObject(3, MONDAY.plusDays(2));
                stamp.executeUpdate();
            }
            outbox.queue(c, Outbox.Kind.MAIL, "{\"template\": \"deal_won\", \"subject\": \"Won: Fleet\"}", "mail deal_won",
                    new io.relata.api.record.RecordLink("opportunity", ids.get("proposal")));
        }
        // anna changes the account: the change is in its audit trail
        Record account = system.get("account", acme);
        secured(anna).update("account", acme, account.version(), Map.of("city", "Berlin"));
    }

    private long create(String key, String entity, Map<String, Object> values, Actor owner) {
        long id = system.create(entity, new LinkedHashMap<>(values), owner.userId(), owner.primaryTeam()).id();
        ids.put(key, id);
        return id;
    }

    private SecuredRecordStore secured(Actor actor) {
        return new SecuredRecordStore(system, () -> model, () -> actor, audit);
    }

    private CustomerViewContent show(Actor actor) {
        return views().show(secured(actor), new AccessPolicy(model, actor), "account", ids.get("acme")).orElseThrow();
    }

    private CustomerViews views() {
        return new CustomerViews(() -> model, audit, cases, outbox, files, Clock.fixed(NOW.toInstant(), ZoneOffset.UTC));
    }

    private static <T extends CustomerViewContent.Panel> T panel(CustomerViewContent view, String name, Class<T> type) {
        return view.panels().stream().filter(p -> p.panel().name().equals(name)).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + name + " in " + view.panels()));
    }

    private static Object figure(CustomerViewContent view, String panel, String name) {
        CustomerViewContent.Figure figure = panel(view, panel, CustomerViewContent.Figures.class).figures().stream()
                .filter(f -> f.kpi().name().equals(name)).findFirst().orElseThrow();
        return figure.hidden() ? "hidden" : figure.value();
    }

    @Test
    void aSalesRepSeesTheSalesPanelsWithFiguresOverWhatTheyMayRead() {
        CustomerViewContent view = show(anna);
        assertThat(view.panels()).extracting(p -> p.panel().name()).containsExactly("facts", "sales_figures",
                "customer_value", "open_todos",
                "contacts", "opportunities", "contact_activities", "timeline", "plugins");
        assertThat((BigDecimal) figure(view, "sales_figures", "open_pipeline")).as("team B's 7000 is not anna's to see")
                .isEqualByComparingTo("1000");
        assertThat((BigDecimal) figure(view, "sales_figures", "won_revenue")).isEqualByComparingTo("500");
        assertThat(figure(view, "sales_figures", "open_opportunities")).isEqualTo(1L);
        assertThat(figure(view, "sales_figures", "last_contact")).as("olga's later call is not anna's")
                .isEqualTo(MONDAY);
        var opportunities = panel(view, "opportunities", CustomerViewContent.Related.class);
        assertThat(opportunities.rows()).extracting(r -> r.get("name")).containsExactlyInAnyOrder("Fleet", "Renewal");
        assertThat(opportunities.total()).isEqualTo(2);
        var todos = panel(view, "open_todos", CustomerViewContent.Related.class);
        assertThat(todos.rows()).extracting(r -> r.get("subject")).containsExactly("Send offer");
        assertThat(panel(view, "contacts", CustomerViewContent.Related.class).rows()).extracting(r -> r.get("last_name"))
                .as("sorted by last name").containsExactly("Carla", "Dirk");
        assertThat(panel(view, "contact_activities", CustomerViewContent.Related.class).rows())
                .as("two steps: the activities of the account's contacts").extracting(r -> r.get("subject"))
                .containsExactly("First call");
    }

    @Test
    void theTimelineHoldsChangesPhaseChangesMailsAndRelatedRecordsNewestFirst() {
        files.add(secured(anna), "account", ids.get("acme"), null, "offer.txt", new java.io.ByteArrayInputStream(new byte[] {'x'}));
        Actor olga = Actor.user(21, "olga", Set.of("sales"), List.of(TEAM_B));
        files.add(secured(olga), "opportunity", ids.get("other"), null, "secret.txt",
                new java.io.ByteArrayInputStream(new byte[] {'y'}));
        var timeline = panel(show(anna), "timeline", CustomerViewContent.Timeline.class);
        assertThat(timeline.entries()).extracting(CustomerViewsTest::describe).contains(
                "changed account by anna: city",
                "created account by anna",
                "phase opportunity qualification -> proposal by anna",
                "mail opportunity deal_won: Won: Fleet",
                "record activity First call",
                "record activity Send offer",
                "record opportunity Fleet",
                "record contact Carla",
                "file account offer.txt")
                .doesNotContain("record activity Olga's call", "record opportunity Elsewhere", "file opportunity secret.txt")
                .as("what is still to come is not history").doesNotContain("record activity Next meeting");
        List<OffsetDateTime> times = timeline.entries().stream().map(CustomerViewContent.Entry::at).toList();
        assertThat(times).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void aServiceAgentSeesServicePanelsAndNoSalesFigure() {
        CustomerViewContent view = show(sven);
        assertThat(view.panels()).extracting(p -> p.panel().name()).containsExactly("facts", "service_figures", "open_todos",
                "contacts", "tickets", "timeline", "plugins");
        assertThat(figure(view, "service_figures", "open_tickets")).isEqualTo(1L);
        assertThat(figure(view, "service_figures", "tickets_total")).isEqualTo(2L);
        var timeline = panel(view, "timeline", CustomerViewContent.Timeline.class);
        assertThat(timeline.entries()).extracting(CustomerViewsTest::describe)
                .contains("record ticket Broken", "record ticket Fixed")
                .as("service has no opportunities in its timeline's sources it may follow: its team's only")
                .doesNotContain("record opportunity Elsewhere");
    }

    @Test
    void aFigureOverAHiddenFieldIsHiddenAndAHiddenFactIsLeftOut() {
        // service may read its team's opportunities, but not their amount
        CustomerView extra = new CustomerView("account", List.of(new ViewPanel.Kpis("figures", LocalizedText.of("Zahlen",
                "Figures"), List.of(), List.of(
                new ViewPanel.Kpi("pipeline", LocalizedText.of("Pipeline", "Pipeline"), Aggregate.SUM, "opportunities",
                        "amount", Map.of()),
                new ViewPanel.Kpi("count", LocalizedText.of("Anzahl", "Count"), Aggregate.COUNT, "opportunities", null,
                        Map.of()),
                new ViewPanel.Kpi("big", LocalizedText.of("Groß", "Big"), Aggregate.COUNT, "opportunities", null,
                        Map.of("amount", List.of("7000.00"))),
                new ViewPanel.Kpi("per_deal", LocalizedText.of("Je Geschäft", "Per deal"), null, null, null, Map.of(),
                        null, new ViewPanel.Ratio("pipeline", "count"))), null),
                new ViewPanel.Facts("facts", LocalizedText.of("Eckdaten", "Facts"), List.of(), List.of("name", "city"), null)),
                null);
        Map<String, CustomerView> views = new LinkedHashMap<>(model.views());
        views.put("account", extra);
        MetadataModel shipped = model;
        model = new MetadataModel(shipped.entities(), shipped.roles(), shipped.processes(), shipped.dialogs(),
                shipped.templates(), shipped.revision(), shipped.loadedAt(), shipped.forms(), views);
        CustomerViewContent view = show(sven);
        assertThat(figure(view, "figures", "pipeline")).isEqualTo("hidden");
        assertThat(figure(view, "figures", "count")).as("his team's two").isEqualTo(2L);
        assertThat(figure(view, "figures", "big")).as("a condition on a hidden field is hidden too").isEqualTo("hidden");
        assertThat(figure(view, "figures", "per_deal")).as("a ratio of a hidden figure would give it away")
                .isEqualTo("hidden");
        assertThat(figure(show(anna), "figures", "pipeline")).isInstanceOfSatisfying(BigDecimal.class,
                sum -> assertThat(sum).isEqualByComparingTo("1500"));
        assertThat(figure(show(anna), "figures", "per_deal")).as("1,500 over anna's two deals")
                .isInstanceOfSatisfying(BigDecimal.class, share -> assertThat(share).isEqualByComparingTo("750"));
        // the contact view's facts: marketing may not see birthdays
        var facts = views().show(secured(mia), new AccessPolicy(model, mia), "contact", ids.get("carla")).orElseThrow()
                .panels().get(0);
        assertThat(((CustomerViewContent.Facts) facts).fields()).extracting(f -> f.name()).contains("email_bounced")
                .doesNotContain("birthday");
    }

    /**
     * The customer value: revenue to date (stored, counted by the platform over every won deal), the revenue of the
     * last 365 days the viewer may read, the share of the estimated annual spend, the cost to serve (150 per ticket,
     * 40 per done activity) and the contribution.
     */
    @Test
    void theCustomerValueWithItsShareOfWallet() {
        CustomerViewContent view = show(anna);
        assertThat((BigDecimal) figure(view, "customer_value", "lifetime_value")).as("500 + olga's 2,000 of long ago")
                .isEqualByComparingTo("2500");
        assertThat((BigDecimal) figure(view, "customer_value", "won_last_year")).isEqualByComparingTo("500");
        assertThat((BigDecimal) figure(view, "customer_value", "share_of_wallet")).as("500 of 10,000")
                .isEqualByComparingTo("0.05");
        assertThat((BigDecimal) figure(view, "customer_value", "cost_to_serve")).as("2 tickets, 2 done calls")
                .isEqualByComparingTo("380");
        assertThat((BigDecimal) figure(view, "customer_value", "customer_value")).isEqualByComparingTo("2120");
        assertThat(show(sven).panels()).extracting(p -> p.panel().name()).doesNotContain("customer_value");
    }

    @Test
    void marketingSeesItsFiguresAndAnAdministratorEveryPanel() {
        CustomerViewContent view = show(mia);
        assertThat(view.panels()).extracting(p -> p.panel().name()).containsExactly("facts", "marketing_figures",
                "contacts", "timeline", "plugins");
        assertThat(figure(view, "marketing_figures", "contacts")).isEqualTo(2L);
        assertThat(figure(view, "marketing_figures", "bounced")).isEqualTo(1L);
        assertThat(show(admin).panels()).hasSize(model.view("account").orElseThrow().panels().size());
        assertThat((BigDecimal) figure(show(admin), "sales_figures", "open_pipeline")).isEqualByComparingTo("8000");
    }

    @Test
    void aRecordTheViewerMayNotReadIsNotFound() {
        Actor stranger = Actor.user(30, "stranger", Set.of("read_only"), List.of(TEAM_B));
        long acme = ids.get("acme");
        assertThatThrownBy(() -> views().show(secured(stranger), new AccessPolicy(model, stranger), "account", acme + 1000))
                .isInstanceOf(RecordNotFoundException.class);
        assertThat(views().show(secured(anna), new AccessPolicy(model, anna), "opportunity", ids.get("proposal")))
                .as("opportunities have no view").isEmpty();
    }

    @Test
    void aCallIsLoggedFromAContactsPageLinkedToTheContactAndItsAccountAndJoinsTheTimeline() {
        QuickCapture capture = new QuickCapture(() -> model, Clock.fixed(NOW.minusHours(1).toInstant(), ZoneOffset.UTC));
        assertThat(capture.offers(QuickCapture.Kind.CALL)).isTrue();
        Record call = capture.log(secured(anna), QuickCapture.Kind.CALL, "Call: Carla", "Asked for a quote", null,
                new io.relata.api.record.RecordLink("contact", ids.get("carla")));
        assertThat(call.values()).containsEntry("type", "call").containsEntry("done", true)
                .containsEntry("contact", ids.get("carla")).containsEntry("account", ids.get("acme"))
                .containsEntry("description", "Asked for a quote").containsEntry("due_at", NOW.minusHours(1));
        assertThat(call.ownerUser()).isEqualTo(anna.userId());
        Record meeting = capture.log(secured(anna), QuickCapture.Kind.MEETING, "Meeting: ACME", null, null,
                new io.relata.api.record.RecordLink("account", ids.get("acme")));
        assertThat(meeting.values()).containsEntry("done", false).containsEntry("account", ids.get("acme"))
                .containsEntry("due_at", NOW).containsEntry("ends_at", NOW.plusHours(1));
        assertThat(panel(show(anna), "timeline", CustomerViewContent.Timeline.class).entries())
                .extracting(CustomerViewsTest::describe).contains("record activity Call: Carla");
        assertThat(panel(show(anna), "open_todos", CustomerViewContent.Related.class).rows())
                .as("a meeting is not a to-do of the panel's type").extracting(r -> r.get("subject")).doesNotContain("Meeting: ACME");
        // who may not create activities cannot log one
        Actor reader = Actor.user(31, "reader", Set.of("read_only"), List.of(TEAM_A));
        assertThatThrownBy(() -> capture.log(secured(reader), QuickCapture.Kind.NOTE, "Note", null, null,
                new io.relata.api.record.RecordLink("account", ids.get("acme"))))
                .isInstanceOf(io.relata.api.record.RecordException.class);
    }

    @Test
    void aContactsTimelineHoldsItsConsentsAndTheCampaignMailsSentToIt() {
        long newsletter = system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                "label_en", "Newsletter", "text_de", "Ja", "text_en", "Yes", "double_opt_in", false)).id();
        system.create("consent", Map.of("email", "carla@acme.example", "purpose", newsletter, "contact", ids.get("carla"),
                "status", "granted", "source", "web_form", "requested_at", NOW.minusDays(3), "granted_at", NOW.minusDays(3)));
        long campaign = system.create("campaign", Map.of("name", "Winter news", "channel", "letter")).id();
        system.create("campaign_member", Map.of("campaign", campaign, "contact", ids.get("carla"), "email",
                "carla@acme.example", "status", "sent", "sent_at", NOW.minusDays(1)));
        system.create("campaign_member", Map.of("campaign", campaign, "contact", ids.get("dirk"), "status", "skipped",
                "skip_reason", "no_address"));

        var timeline = views().show(secured(mia), new AccessPolicy(model, mia), "contact", ids.get("carla")).orElseThrow()
                .panels().stream().filter(p -> p.panel().name().equals("timeline"))
                .map(CustomerViewContent.Timeline.class::cast).findFirst().orElseThrow();
        assertThat(timeline.entries()).extracting(CustomerViewsTest::describe)
                .contains("record consent carla@acme.example", "record campaign_member carla@acme.example");
    }

    @Test
    void contactsAreVCardsOfWhatTheReaderMaySee() {
        ContactCards cards = new ContactCards(() -> model, () -> "https://crm.example.com");
        assertThat(cards.suits("contact")).isTrue();
        assertThat(cards.suits("opportunity")).isFalse();
        Record carla = secured(anna).get("contact", ids.get("carla"));
        String text = cards.cards(secured(anna), "contact", List.of(carla));
        List<ezvcard.VCard> parsed = ezvcard.Ezvcard.parse(text).all();
        assertThat(parsed).singleElement().satisfies(card -> {
            assertThat(card.getVersion()).isEqualTo(ezvcard.VCardVersion.V4_0);
            assertThat(card.getFormattedName().getValue()).isEqualTo("Carla");
            assertThat(card.getStructuredName().getFamily()).isEqualTo("Carla");
            assertThat(card.getOrganization().getValues()).containsExactly("ACME");
            assertThat(card.getBirthday().getDate()).isEqualTo(java.time.LocalDate.of(1980, 2, 3));
            assertThat(card.getUid().getValue()).isEqualTo("urn:relata:crm.example.com:contact:" + carla.id());
            assertThat(card.validate(ezvcard.VCardVersion.V4_0).isEmpty()).as(card.validate(ezvcard.VCardVersion.V4_0).toString())
                    .isTrue();
        });
        // marketing may not see birthdays: the card has none
        Record seenByMarketing = secured(mia).get("contact", ids.get("carla"));
        assertThat(ezvcard.Ezvcard.parse(cards.cards(secured(mia), "contact", List.of(seenByMarketing))).first().getBirthday())
                .isNull();
    }

    private static String describe(CustomerViewContent.Entry entry) {
        if (entry instanceof CustomerViewContent.Changed changed) {
            return (changed.action().equals("CREATE") ? "created " : "changed ") + changed.entity() + " by " + changed.actor()
                    + (changed.changes().isEmpty() ? "" : ": " + String.join(", ", changed.changes().stream()
                    .map(c -> c.field().name()).toList()));
        }
        if (entry instanceof CustomerViewContent.PhaseChanged phase) {
            return "phase " + phase.entity() + " " + phase.fromPhase() + " -> " + phase.toPhase() + " by " + phase.actor();
        }
        if (entry instanceof CustomerViewContent.Mail mail) {
            return "mail " + mail.entity() + " " + mail.template() + ": " + mail.subject();
        }
        if (entry instanceof CustomerViewContent.FileAdded file) {
            return "file " + file.entity() + " " + file.name();
        }
        CustomerViewContent.RelatedRecord related = (CustomerViewContent.RelatedRecord) entry;
        Object title = related.record().values().getOrDefault("subject", related.record().values().getOrDefault("name",
                related.record().values().getOrDefault("last_name", related.record().get("email"))));
        return "record " + related.entity() + " " + title;
    }
}
