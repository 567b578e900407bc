package io.relata.runtime.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.security.Actor;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.TestPlatform;
import io.relata.store.RecordWriteHook;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forecast on the shipped metadata, H2 and PostgreSQL, against figures worked out by hand: per salesperson and
 * month, won (success phases), commit and best case (the owner's own category), pipeline (open, not omitted, not lost)
 * and weighted (amount × probability), versus quota; a rep sees their team's rows and their own quota, the manager
 * everyone's, a role that may not see amounts gets none; the weekly snapshot shows what changed since. The months
 * are next month and the one after (close dates of open deals must lie ahead).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class ForecastTest {

    @Parameter
    String databaseKind;

    private PlatformClock clock;
    private TestPlatform platform;
    private SalesTeam team;
    private Forecast forecast;
    private Actor carl;
    private LocalDate next;
    private final Map<String, Long> ids = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        clock = new PlatformClock(Clock.systemUTC(), true);
        platform = new TestPlatform(databaseKind, List.of(), clock, p -> RecordWriteHook.NONE);
        team = new SalesTeam(platform.database);
        long north = team.users.createTeam("Nord").getId();
        var account = team.users.createUserWithoutPassword("carl", "Carl Nord", "carl@relata.example", Set.of("sales"));
        team.users.update(account.getId(), "Carl Nord", "carl@relata.example", true, Set.of("sales"), List.of(north));
        carl = team.users.actor("carl").orElseThrow();
        forecast = new Forecast(() -> platform.model, platform.database.dataSource(), clock.withZone(ZoneId.systemDefault()));
        next = LocalDate.now(ZoneId.systemDefault()).withDayOfMonth(1).plusMonths(1);

        ids.put("acme", platform.system.create("account", Map.of("name", "ACME")).id());
        deal("a1", team.anna, "proposal", "10000", 50, "commit", next);
        deal("a2", team.anna, "negotiation", "20000", 75, "best_case", next.plusDays(9));
        deal("a3", team.anna, "qualification", "5000", 10, "pipeline", next.plusMonths(1));
        deal("a4", team.anna, "won", "30000", 100, "pipeline", next.plusDays(3));
        deal("a5", team.anna, "lost", "7000", 0, "commit", next);
        deal("a6", team.anna, "proposal", "9000", 50, "omitted", next);
        deal("c1", carl, "proposal", "50000", 50, "commit", next.plusDays(20));
        quota(team.anna, next, "40000");
        quota(carl, next, "60000");
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private void deal(String key, Actor owner, String phase, String amount, int probability, String category,
                      LocalDate close) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("name", key, "account", ids.get("acme"), "phase", phase, "amount",
                new BigDecimal(amount), "probability", probability, "forecast_category", category, "close_date", close));
        if (phase.equals("lost")) {
            values.put("loss_reason", "Preis");
        }
        ids.put(key, platform.system.create("opportunity", values, owner.userId(), owner.primaryTeam()).id());
    }

    private void quota(Actor owner, LocalDate month, String amount) {
        forecast.setQuota(platform.as(team.mara), owner.userId(), owner.primaryTeam(), month, new BigDecimal(amount));
    }

    private static String line(Forecast.Figures f) {
        return "quota " + f.quota().stripTrailingZeros().toPlainString() + ", won " + f.won().stripTrailingZeros().toPlainString()
                + ", commit " + f.commit().stripTrailingZeros().toPlainString() + ", best " + f.bestCase().stripTrailingZeros()
                .toPlainString() + ", pipeline " + f.pipeline().stripTrailingZeros().toPlainString() + ", weighted "
                + f.weighted().stripTrailingZeros().toPlainString();
    }

    private Forecast.Row row(Forecast.Table table, Actor owner) {
        return table.rows().stream().filter(r -> r.ownerUser() == owner.userId()).findFirst().orElseThrow();
    }

    @Test
    void theManagerSeesEveryRowWithFiguresWorkedOutByHand() {
        Forecast.Table table = forecast.table(platform.as(team.mara), next, 2);

        assertThat(table.months()).containsExactly(next, next.plusMonths(1));
        assertThat(table.rows()).extracting(Forecast.Row::ownerUser).containsExactlyInAnyOrder(team.anna.userId(), carl.userId());
        Forecast.Row anna = row(table, team.anna);
        assertThat(line(anna.months().get(next))).isEqualTo(
                "quota 40000, won 30000, commit 10000, best 30000, pipeline 30000, weighted 20000");
        assertThat(line(anna.months().get(next.plusMonths(1)))).isEqualTo(
                "quota 0, won 0, commit 0, best 0, pipeline 5000, weighted 500");
        assertThat(line(anna.total())).isEqualTo("quota 40000, won 30000, commit 10000, best 30000, pipeline 35000, weighted 20500");
        assertThat(anna.total().attainment()).isEqualByComparingTo("75");
        assertThat(line(row(table, carl).total())).isEqualTo(
                "quota 60000, won 0, commit 50000, best 50000, pipeline 50000, weighted 25000");
        assertThat(line(table.total())).isEqualTo(
                "quota 100000, won 30000, commit 60000, best 80000, pipeline 85000, weighted 45500");
        assertThat(line(table.monthTotals().get(next))).isEqualTo(
                "quota 100000, won 30000, commit 60000, best 80000, pipeline 80000, weighted 45000");
    }

    @Test
    void rowsPerTeamSumTheirSalespeopleAndDrillDownByTeam() {
        Forecast.Table table = forecast.table(platform.as(team.mara), next, 2, Forecast.By.TEAM);
        assertThat(table.rows()).extracting(Forecast.Row::ownerUser)
                .containsExactlyInAnyOrder(team.anna.primaryTeam(), carl.primaryTeam());
        assertThat(line(table.rows().stream().filter(r -> r.ownerUser() == team.anna.primaryTeam()).findFirst()
                .orElseThrow().total())).isEqualTo("quota 40000, won 30000, commit 10000, best 30000, pipeline 35000, weighted 20500");
        assertThat(line(table.total())).isEqualTo(
                "quota 100000, won 30000, commit 60000, best 80000, pipeline 85000, weighted 45500");
        assertThat(forecast.drillDown(Forecast.Measure.COMMIT, Forecast.By.TEAM, carl.primaryTeam(), next, 1))
                .extracting(f -> f.field() + " " + f.operator() + " " + f.value())
                .contains("owner_team EQ " + carl.primaryTeam(), "forecast_category EQ commit");
    }

    @Test
    void aRepSeesTheTeamsRowsAndTheirOwnQuotaAndServiceNoForecast() {
        Forecast.Table table = forecast.table(platform.as(team.anna), next, 2);
        assertThat(table.rows()).extracting(Forecast.Row::ownerUser).containsExactly(team.anna.userId());
        assertThat(line(table.total())).isEqualTo("quota 40000, won 30000, commit 10000, best 30000, pipeline 35000, weighted 20500");

        Forecast.Table carls = forecast.table(platform.as(carl), next, 2);
        assertThat(carls.rows()).extracting(Forecast.Row::ownerUser).containsExactly(carl.userId());
        assertThat(line(carls.total())).startsWith("quota 60000, won 0, commit 50000");

        Actor service = Actor.user(77, "sven", Set.of("service"), List.of(team.team));
        assertThatThrownBy(() -> forecast.table(platform.as(service), next, 2)).as("amounts are hidden from service")
                .isInstanceOf(RecordException.class);
    }

    @Test
    void quotasAreSetChangedAndRemovedPerSalespersonAndMonth() {
        quota(team.anna, next.plusDays(12), "45000");
        assertThat(line(row(forecast.table(platform.as(team.mara), next, 1), team.anna).total())).startsWith("quota 45000,");
        List<Record> annas = platform.as(team.anna).query("quota", io.relata.api.record.RecordQuery.all()).records();
        assertThat(annas).singleElement().satisfies(q -> assertThat(q.ownerUser()).isEqualTo(team.anna.userId()));
        forecast.setQuota(platform.as(team.mara), team.anna.userId(), team.anna.primaryTeam(), next, null);
        assertThat(line(row(forecast.table(platform.as(team.mara), next, 1), team.anna).total())).startsWith("quota 0,");
        assertThatThrownBy(() -> forecast.setQuota(platform.as(team.anna), team.anna.userId(), team.anna.primaryTeam(),
                next, BigDecimal.ONE)).as("a rep does not set quotas").isInstanceOf(RecordException.class);
    }

    @Test
    void theWeeklySnapshotShowsWhatChangedSince() {
        assertThat(forecast.snapshotIfDue(platform.as(Actor.SYSTEM))).as("this month and the next five, per salesperson")
                .isEqualTo(2 * Forecast.SNAPSHOT_MONTHS);
        assertThat(forecast.snapshotIfDue(platform.as(Actor.SYSTEM))).as("once a week").isZero();
        assertThat(row(forecast.table(platform.as(team.mara), next, 2), team.anna).lastWeek()).as("no earlier week yet")
                .isNull();

        clock.advance(Duration.ofDays(7));
        Record a1 = platform.system.get("opportunity", ids.get("a1"));
        platform.system.update("opportunity", a1.id(), a1.version(), Map.of("amount", new BigDecimal("12000")));
        Forecast.Table table = forecast.table(platform.as(team.mara), next, 2);
        Forecast.Row anna = row(table, team.anna);
        assertThat(table.snapshotWeek()).isNotNull();
        assertThat(anna.lastWeek().commit()).isEqualByComparingTo("10000");
        assertThat(anna.total().commit()).isEqualByComparingTo("12000");
    }

    @Test
    void aRowSeenInPartShowsNoChangeSinceLastWeek() {
        // One of Carl's deals is booked on Anna's team: she reads it, but not his others (team Nord).
        ids.put("c-shared", platform.system.create("opportunity", Map.of("name", "c-shared", "account", ids.get("acme"),
                "phase", "proposal", "amount", new BigDecimal("4000"), "probability", 50, "forecast_category", "commit",
                "close_date", next), carl.userId(), team.team).id());
        forecast.snapshotIfDue(platform.as(Actor.SYSTEM));
        clock.advance(Duration.ofDays(7));

        Forecast.Table annas = forecast.table(platform.as(team.anna), next, 2);
        assertThat(row(annas, carl).total().commit()).as("only the deal on her team").isEqualByComparingTo("4000");
        assertThat(row(annas, carl).lastWeek()).as("the snapshot summed deals she may not read").isNull();
        assertThat(row(annas, team.anna).lastWeek()).as("her own row she reads in full").isNotNull();
        assertThat(row(forecast.table(platform.as(team.mara), next, 2), carl).lastWeek().commit())
                .as("the manager reads every deal").isEqualByComparingTo("54000");
    }
}
