package io.relata.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.Actor;
import io.relata.identity.CountingPasswordHash;
import io.relata.identity.LoginThrottle;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import io.relata.process.kpi.ProcessKpis;
import io.relata.runtime.TestPlatform;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of widget on the shipped opportunities, H2 and PostgreSQL, against figures worked out by hand. Today is
 * Tuesday 10 March 2026 in Berlin. Eight opportunities: Anna's and Mara's in team Vertrieb, Carl's in team Nord; a
 * rep reads their team's, the manager everyone's, service (Sven, Nord) its team's without amounts. Two open ones were
 * made in November and February, two around midnight: 23:30 UTC on 9 March is already 10 March in Berlin. Each count's drill-down selects exactly the
 * records it counts.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class DashboardFiguresTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String OPEN = "[qualification, needs_analysis, proposal, negotiation]";

    @Parameter
    String databaseKind;

    @TempDir
    Path site;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-10T12:00:00Z"), BERLIN);
    private TestPlatform platform;
    private UserDirectory users;
    private Dashboards dashboards;
    private Actor anna;
    private Actor mara;
    private Actor carl;
    private Actor sven;
    private final Map<String, Long> accounts = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(site.resolve("dashboards"));
        Files.writeString(site.resolve("dashboards/checks.yaml"), """
                name: checks
                label: {de: Prüfung, en: Checks}
                widgets:
                  - {name: funnel, label: {en: Funnel}, show: funnel, entity: opportunity, measure: count, by: phase,
                     where: {phase: %s}}
                  - {name: pipeline, label: {en: Pipeline}, show: kpi, entity: opportunity, measure: sum, field: amount,
                     where: {phase: %s}, period: {field: close_date, range: this_quarter}, compare: previous_period}
                  - {name: won_by_month, label: {en: Won}, show: line, entity: opportunity, measure: sum, field: amount,
                     by: {field: close_date, per: month}, where: {phase: won},
                     period: {field: close_date, range: last_12_months}}
                  - {name: owner_phase, label: {en: Owners}, show: stacked_bar, entity: opportunity, measure: count,
                     by: [owner, phase]}
                  - {name: mine, label: {en: Mine}, show: kpi, entity: opportunity, measure: count, records: mine}
                  - {name: my_teams, label: {en: My teams}, show: kpi, entity: opportunity, measure: count,
                     records: my_teams}
                  - {name: accounts, label: {en: Accounts}, show: kpi, entity: opportunity, measure: count_distinct,
                     field: account}
                  - {name: top_accounts, label: {en: Top}, show: table, entity: opportunity, measure: sum, field: amount,
                     by: account, top: 2}
                  - {name: average, label: {en: Average}, show: kpi, entity: opportunity, measure: average, field: amount}
                  - {name: created_per_day, label: {en: Per day}, show: bar, entity: opportunity, measure: count,
                     by: {field: created_at, per: day}, period: {field: created_at, range: this_week}}
                  - {name: started, label: {en: Started}, show: kpi, process: opportunity_sales, measure: cases_started,
                     period: this_month}
                """.formatted(OPEN, OPEN));
        platform = new TestPlatform(databaseKind, List.of(site), clock, p -> RecordWriteHook.NONE, clock);
        users = new UserDirectory(platform.database, new CountingPasswordHash(), Clock.systemUTC(),
                LoginThrottle.Policy.DEFAULT, PasswordPolicy.shipped());
        long vertrieb = users.createTeam("Vertrieb").getId();
        long nord = users.createTeam("Nord").getId();
        anna = user("anna", "Anna Berger", "sales", vertrieb);
        mara = user("mara", "Mara Schulz", "sales_manager", vertrieb);
        carl = user("carl", "Carl Nord", "sales", nord);
        sven = user("sven", "Sven Service", "service", nord);
        dashboards = new Dashboards(() -> platform.model, clock);

        for (String name : List.of("A", "B", "C")) {
            accounts.put(name, platform.system.create("account", Map.of("name", "Account " + name)).id());
        }
        deal("o1", anna, "qualification", "1000", "2026-03-20", "A");
        clock.set(Instant.parse("2026-02-01T10:00:00Z")); // open deals close in the future when they are made
        deal("o2", anna, "proposal", "2000", "2026-02-10", "A");
        clock.set(Instant.parse("2025-11-01T10:00:00Z"));
        deal("o4", mara, "negotiation", "4000", "2025-11-30", "B");
        clock.set(Instant.parse("2026-03-10T12:00:00Z"));
        deal("o3", anna, "won", "5000", "2026-01-15", "B");
        deal("o5", mara, "won", "3500", "2025-06-01", "C");
        deal("o6", carl, "proposal", "8000", "2026-03-31", "C");
        clock.set(Instant.parse("2026-03-09T23:30:00Z")); // 00:30 on 10 March in Berlin
        deal("o7", carl, "won", "10000", "2026-03-01", "A");
        clock.set(Instant.parse("2026-03-09T22:30:00Z")); // 23:30 on 9 March in Berlin
        deal("o8", carl, "lost", "700", "2026-02-01", "C");
        clock.set(Instant.parse("2026-03-10T12:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private Actor user(String name, String displayName, String role, long team) {
        var account = users.createUserWithoutPassword(name, displayName, name + "@relata.example", Set.of(role));
        users.update(account.getId(), displayName, name + "@relata.example", true, Set.of(role), List.of(team));
        return users.actor(name).orElseThrow();
    }

    private void deal(String name, Actor owner, String phase, String amount, String close, String account) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("name", name, "account", accounts.get(account),
                "phase", phase, "amount", new BigDecimal(amount), "probability", 50, "forecast_category", "pipeline",
                "close_date", close));
        if (phase.equals("lost")) {
            values.put("loss_reason", "Preis");
        }
        platform.system.create("opportunity", values, owner.userId(), owner.primaryTeam());
    }

    private Dashboards.Viewer viewer(Actor actor) {
        SecuredRecordStore records = platform.as(actor);
        return new Dashboards.Viewer(records, new ProcessKpis(platform.database.dataSource(), clock, records::readScope),
                new AccessPolicy(platform.model, actor), new KeyLabels("de",
                id -> users.user(id).map(io.relata.identity.UserAccount::getDisplayName).orElse(null),
                id -> users.teams().stream().filter(t -> t.getId() == id).findFirst()
                        .map(io.relata.identity.Team::getName).orElse(null)));
    }

    private Map<String, WidgetFigures> figures(Actor actor) {
        Dashboards.Viewer viewer = viewer(actor);
        DashboardDefinition checks = dashboards.find(viewer.access(), "checks").orElseThrow();
        Map<String, WidgetFigures> byName = new LinkedHashMap<>();
        for (WidgetFigures figures : dashboards.figures(viewer, checks)) {
            byName.put(figures.widget().name(), figures);
            assertDrillDownsCountWhatTheyShow(viewer.records(), figures);
        }
        return byName;
    }

    /**
     * Every figure over records equals the same measure over the records its drill-down selects, run as the list runs
     * it (a count finds as many records as the figure says, a sum adds up to it).
     */
    private static void assertDrillDownsCountWhatTheyShow(SecuredRecordStore records, WidgetFigures figures) {
        if (figures.hidden() || !(figures.widget().figure() instanceof io.relata.api.dashboard.RecordFigure figure)) {
            return;
        }
        List<WidgetFigures.Cell> cells = new ArrayList<>();
        figures.series().forEach(s -> cells.addAll(s.cells()));
        cells.add(figures.total());
        cells.add(figures.previous());
        for (WidgetFigures.Cell cell : cells) {
            if (cell == null) {
                continue;
            }
            Object behind = records.aggregate(figures.entity(), new RecordQuery(cell.drillDown(), List.of(), null, 1, null),
                    figure.measure().aggregate(), figure.measure().field()).orElse(null);
            assertThat(plain(behind)).as(figures.widget().name() + " " + cell.drillDown())
                    .isEqualTo(cell.value() == null && figure.measure().aggregate().name().startsWith("COUNT") ? "0"
                            : plain(cell.value()));
        }
    }

    /** "label=value" per category of a single-series widget. */
    private static String table(WidgetFigures figures) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < figures.categories().size(); c++) {
            Object value = figures.series().get(0).cells().get(c).value();
            cells.add(figures.categories().get(c).label() + "=" + plain(value));
        }
        return String.join(", ", cells);
    }

    private static String plain(Object value) {
        return value instanceof BigDecimal decimal ? decimal.stripTrailingZeros().toPlainString()
                : value instanceof Number number ? Long.toString(number.longValue()) : String.valueOf(value);
    }

    @Test
    void theManagerSeesEveryRecordInEveryKindOfWidget() {
        Map<String, WidgetFigures> f = figures(mara);

        assertThat(table(f.get("funnel"))).isEqualTo(
                "Qualifizierung=1, Bedarfsanalyse=null, Angebot=2, Verhandlung=1");
        assertThat(plain(f.get("funnel").total().value())).isEqualTo("4");
        assertThat(plain(f.get("pipeline").total().value())).isEqualTo("11000");
        assertThat(plain(f.get("pipeline").previous().value())).isEqualTo("4000");
        assertThat(table(f.get("won_by_month"))).isEqualTo("Apr 2025=null, Mai 2025=null, Jun 2025=3500, "
                + "Jul 2025=null, Aug 2025=null, Sep 2025=null, Okt 2025=null, Nov 2025=null, Dez 2025=null, "
                + "Jan 2026=5000, Feb 2026=null, Mär 2026=10000");
        WidgetFigures ownerPhase = f.get("owner_phase");
        assertThat(ownerPhase.categories()).extracting(WidgetFigures.Category::label)
                .containsExactlyInAnyOrder("Anna Berger", "Mara Schulz", "Carl Nord");
        assertThat(ownerPhase.series()).extracting(WidgetFigures.Series::label)
                .containsExactly("Qualifizierung", "Angebot", "Verhandlung", "Gewonnen", "Verloren");
        assertThat(cell(ownerPhase, "Carl Nord", "Verloren")).isEqualTo("1");
        assertThat(cell(ownerPhase, "Anna Berger", "Gewonnen")).isEqualTo("1");
        assertThat(cell(ownerPhase, "Mara Schulz", "Angebot")).isEqualTo("null");
        assertThat(plain(f.get("mine").total().value())).isEqualTo("2");
        assertThat(plain(f.get("my_teams").total().value())).as("a manager's team figure: Vertrieb only").isEqualTo("5");
        assertThat(plain(f.get("accounts").total().value())).isEqualTo("3");
        assertThat(table(f.get("top_accounts"))).isEqualTo("Account A=13000, Account C=12200");
        assertThat(plain(f.get("average").total().value())).isEqualTo("4275");
        assertThat(table(f.get("created_per_day"))).as("days begin at midnight in Berlin").isEqualTo(
                "09.03.2026=1, 10.03.2026=5, 11.03.2026=null, 12.03.2026=null, 13.03.2026=null, 14.03.2026=null, "
                        + "15.03.2026=null");
        assertThat(plain(f.get("started").total().value())).as("made in March").isEqualTo("6");
    }

    @Test
    void aRepCountsTheirTeamsRecordsOnly() {
        Map<String, WidgetFigures> anna = figures(this.anna);
        assertThat(table(anna.get("funnel"))).isEqualTo("Qualifizierung=1, Bedarfsanalyse=null, Angebot=1, Verhandlung=1");
        assertThat(plain(anna.get("pipeline").total().value())).isEqualTo("3000");
        assertThat(plain(anna.get("pipeline").previous().value())).isEqualTo("4000");
        assertThat(plain(anna.get("mine").total().value())).isEqualTo("3");
        assertThat(plain(anna.get("accounts").total().value())).isEqualTo("3");
        assertThat(table(anna.get("top_accounts"))).isEqualTo("Account B=9000, Account C=3500");
        assertThat(plain(anna.get("average").total().value())).isEqualTo("3100");
        assertThat(plain(anna.get("started").total().value())).isEqualTo("3");

        Map<String, WidgetFigures> carl = figures(this.carl);
        assertThat(table(carl.get("funnel"))).isEqualTo("Qualifizierung=null, Bedarfsanalyse=null, Angebot=1, Verhandlung=null");
        assertThat(carl.get("pipeline").total().value()).isEqualTo(new BigDecimal("8000.00"));
        assertThat(carl.get("pipeline").previous().value()).as("no record in the last quarter").isNull();
        assertThat(plain(carl.get("my_teams").total().value())).isEqualTo("3");
        assertThat(table(carl.get("created_per_day"))).startsWith("09.03.2026=1, 10.03.2026=2,");
    }

    @Test
    void aFigureOverAFieldHiddenFromTheViewerIsHidden() {
        Map<String, WidgetFigures> sven = figures(this.sven);
        assertThat(sven.entrySet().stream().filter(e -> e.getValue().hidden()).map(Map.Entry::getKey)
                .collect(Collectors.toList())).as("every figure of amounts")
                .containsExactly("pipeline", "won_by_month", "top_accounts", "average");
        assertThat(sven.get("pipeline").total()).isNull();
        assertThat(table(sven.get("funnel"))).as("counts of the team's records")
                .isEqualTo("Qualifizierung=null, Bedarfsanalyse=null, Angebot=1, Verhandlung=null");
        assertThat(plain(sven.get("mine").total().value())).isEqualTo("0");
    }

    /**
     * The shipped dashboards for a user of every shipped role (whether or not the role is meant to see them): every
     * widget computes; it is hidden exactly when the role may not read its entity or may not see a field it measures,
     * groups or filters by (a process figure: the phase field); every figure equals the measure over its drill-down.
     */
    @Test
    void theShippedDashboardsForEveryRoleHideWhatTheRoleMayNotSee() {
        long team = users.teams().get(0).getId();
        int widgets = 0;
        for (String role : platform.model.roles().keySet()) {
            Actor actor = user("as_" + role, "As " + role, role, team);
            Dashboards.Viewer viewer = viewer(actor);
            for (DashboardDefinition dashboard : platform.model.dashboards().values()) {
                for (io.relata.api.dashboard.Widget widget : dashboard.widgets()) {
                    WidgetFigures figures = dashboards.figures(viewer, widget);
                    assertThat(figures.hidden()).as(role + " " + dashboard.name() + "/" + widget.name())
                            .isEqualTo(!mayRead(viewer.access(), widget.figure()));
                    assertDrillDownsCountWhatTheyShow(viewer.records(), figures);
                    widgets++;
                }
            }
        }
        assertThat(widgets).isGreaterThan(100);
    }

    /** Whether the role may read the figure's entity and see every field it names (a process's: its phase field). */
    private boolean mayRead(AccessPolicy access, io.relata.api.dashboard.Figure figure) {
        if (figure instanceof io.relata.api.dashboard.ProcessFigure process) {
            var definition = platform.model.process(process.process()).orElseThrow();
            return access.canRead(definition.entity()) && access.fieldAccess(definition.entity(),
                    definition.phaseField()) != io.relata.api.security.FieldAccess.HIDDEN;
        }
        var records = (io.relata.api.dashboard.RecordFigure) figure;
        if (!access.canRead(records.entity())) {
            return false;
        }
        List<String> fields = new ArrayList<>();
        if (records.measure().field() != null) {
            fields.add(records.measure().field());
        }
        records.by().forEach(key -> fields.add(key.field()));
        records.where().forEach(condition -> fields.add(condition.field()));
        if (records.window() != null) {
            fields.add(records.window().field());
        }
        return fields.stream().filter(f -> platform.model.entity(records.entity()).orElseThrow().field(f).isPresent())
                .allMatch(f -> access.fieldAccess(records.entity(), f) != io.relata.api.security.FieldAccess.HIDDEN);
    }

    private static String cell(WidgetFigures figures, String category, String series) {
        int c = figures.categories().stream().map(WidgetFigures.Category::label).toList().indexOf(category);
        return figures.series().stream().filter(s -> s.label().equals(series)).findFirst()
                .map(s -> plain(s.cells().get(c).value())).orElseThrow();
    }

    /** A clock the test sets, so that records are created at the instants it chooses. */
    static final class MovableClock extends Clock {
        private volatile Instant now;
        private final ZoneId zone;

        MovableClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new MovableClock(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
