package io.relata.store;

import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.DATE;
import static io.relata.api.model.FieldType.DATE_TIME;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Aggregate;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Figures grouped in the database ({@code SecuredRecordStore.groups}) on H2 and PostgreSQL: by a choice, by the owner,
 * by the day, week, month, quarter or year of a date or date-time (the period's first day as the key; a date-time's
 * day as it is in the grouping's zone), within the caller's rows; a measure or key on a field hidden from the caller
 * is refused, as is a period of a field that holds no date.
 */
class GroupingTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("deal", "name")
                    .field("name", TEXT)
                    .field("stage", CHOICE).options("open", "won")
                    .field("amount", MONEY)
                    .field("margin", MONEY)
                    .field("close_date", DATE)
                    .field("touched_at", DATE_TIME)
                    .build(),
            TestRoles.role("rep").grant("deal").create().all(OWN).field("margin", HIDDEN).build(),
            TestRoles.role("boss").grant("deal").create().all(ALL).build());

    private static final Actor REP = Actor.user(10, "rep", Set.of("rep"), List.of());
    private static final Actor BOSS = Actor.user(11, "boss", Set.of("boss"), List.of());

    private JdbcRecordStore system;

    @BeforeEach
    void seed() {
        system = migratedStore(MODEL);
        deal("a", "open", "100.00", "2026-01-15", 10L);
        deal("b", "open", "50.50", "2026-01-31", 10L);
        deal("c", "won", "200.00", "2026-02-01", 10L);
        deal("d", "open", "1000.00", "2026-04-01", 99L); // another rep's
        deal("e", "open", null, null, 10L);
    }

    private void deal(String name, String stage, String amount, String closeDate, long owner) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", name);
        values.put("stage", stage);
        values.put("amount", amount == null ? null : new BigDecimal(amount));
        values.put("margin", "5");
        values.put("close_date", closeDate);
        system.create("deal", values, owner, null);
    }

    private SecuredRecordStore as(Actor actor) {
        return new SecuredRecordStore(system, () -> MODEL, () -> actor, (connection, entry) -> { });
    }

    private static List<String> lines(List<Grouping.Group> groups) {
        return groups.stream().map(g -> g.keys() + " " + g.values()).toList();
    }

    @Test
    void groupsByAChoiceAndAMonthWithinTheCallersRows() {
        Grouping byStageAndMonth = new Grouping(List.of(Grouping.Key.of("stage"), Grouping.Key.month("close_date")),
                List.of(new Grouping.Measure(Aggregate.COUNT, null), new Grouping.Measure(Aggregate.SUM, "amount")));

        assertThat(lines(as(BOSS).groups("deal", RecordQuery.all(), byStageAndMonth))).containsExactly(
                "[open, 2026-01-01] [2, 150.50]",
                "[open, 2026-04-01] [1, 1000.00]",
                "[open, null] [1, null]",
                "[won, 2026-02-01] [1, 200.00]");
        assertThat(lines(as(REP).groups("deal", RecordQuery.all(), byStageAndMonth))).as("the rep's own deals")
                .containsExactly("[open, 2026-01-01] [2, 150.50]", "[open, null] [1, null]", "[won, 2026-02-01] [1, 200.00]");
    }

    @Test
    void groupsByOwnerQuarterAndYearWithFilters() {
        RecordQuery open = new RecordQuery(List.of(new Filter("stage", FilterOperator.EQ, "open")), List.of(), null, 1, null);
        assertThat(lines(as(BOSS).groups("deal", open, new Grouping(List.of(Grouping.Key.of("owner_user"),
                new Grouping.Key("close_date", Grouping.Period.QUARTER)), List.of(new Grouping.Measure(Aggregate.SUM, "amount"))))))
                .containsExactly("[10, 2026-01-01] [150.50]", "[10, null] [null]", "[99, 2026-04-01] [1000.00]");
        assertThat(lines(as(BOSS).groups("deal", RecordQuery.all(), new Grouping(List.of(new Grouping.Key("close_date",
                Grouping.Period.YEAR)), List.of(new Grouping.Measure(Aggregate.MAX, "amount"))))))
                .containsExactly("[2026-01-01] [1000.00]", "[null] [null]");
        assertThat(lines(as(BOSS).groups("deal", RecordQuery.all(), new Grouping(List.of(),
                List.of(new Grouping.Measure(Aggregate.COUNT, null)))))).as("no key: one group").containsExactly("[] [5]");
    }

    @Test
    void aHiddenFieldAndADateTimePeriodAreRefused() {
        assertThatThrownBy(() -> as(REP).groups("deal", RecordQuery.all(), new Grouping(List.of(),
                List.of(new Grouping.Measure(Aggregate.SUM, "margin"))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("margin");
        assertThat(lines(as(BOSS).groups("deal", RecordQuery.all(), new Grouping(List.of(),
                List.of(new Grouping.Measure(Aggregate.SUM, "margin")))))).containsExactly("[] [25.00]");
        assertThatThrownBy(() -> as(REP).groups("deal", RecordQuery.all(), new Grouping(List.of(Grouping.Key.of("margin")),
                List.of(new Grouping.Measure(Aggregate.COUNT, null))))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> as(BOSS).groups("deal", RecordQuery.all(), new Grouping(List.of(Grouping.Key.month("amount")),
                List.of(new Grouping.Measure(Aggregate.COUNT, null))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Only date and date-time fields are grouped by period");
        assertThatThrownBy(() -> as(BOSS).groups("deal", RecordQuery.all(), new Grouping(List.of(),
                List.of(new Grouping.Measure(Aggregate.SUM, "name"))))).isInstanceOf(ValidationException.class);
    }

    @Test
    void groupsByDayAndIsoWeekAndCountsDistinctValues() {
        deal("f", "won", "1.00", "2026-12-31", 10L); // ISO week 53 of 2026, which began on Monday 28 December
        deal("g", "won", "2.00", "2027-01-03", 11L); // a Sunday: still week 53 of 2026
        deal("h", "won", "4.00", "2027-01-04", 11L); // Monday: week 1 of 2027
        RecordQuery won = new RecordQuery(List.of(new Filter("stage", FilterOperator.EQ, "won")), List.of(), null, 1, null);
        List<Grouping.Measure> countAndOwners = List.of(new Grouping.Measure(Aggregate.COUNT, null),
                new Grouping.Measure(Aggregate.COUNT_DISTINCT, "owner_user"));

        assertThat(lines(as(BOSS).groups("deal", won, new Grouping(List.of(new Grouping.Key("close_date",
                Grouping.Period.WEEK)), countAndOwners)))).containsExactly(
                "[2026-01-26] [1, 1]", "[2026-12-28] [2, 2]", "[2027-01-04] [1, 1]");
        assertThat(lines(as(BOSS).groups("deal", won, new Grouping(List.of(new Grouping.Key("close_date",
                Grouping.Period.DAY)), countAndOwners)))).containsExactly(
                "[2026-02-01] [1, 1]", "[2026-12-31] [1, 1]", "[2027-01-03] [1, 1]", "[2027-01-04] [1, 1]");
        assertThat(lines(as(BOSS).groups("deal", RecordQuery.all(), new Grouping(List.of(),
                List.of(new Grouping.Measure(Aggregate.COUNT_DISTINCT, "stage")))))).containsExactly("[] [2]");
    }

    @Test
    void dateTimesFallIntoThePeriodsOfTheGroupingsZone() {
        touched("2026-01-31T23:30:00Z"); // 00:30 on 1 February in Berlin
        touched("2026-01-31T22:30:00Z"); // 23:30 on 31 January in Berlin
        touched("2026-03-31T22:30:00Z"); // 00:30 on 1 April in Berlin (summer time): the second quarter
        Grouping.Key byMonth = Grouping.Key.month("touched_at");
        List<Grouping.Measure> count = List.of(new Grouping.Measure(Aggregate.COUNT, null));
        RecordQuery touchedOnly = new RecordQuery(List.of(new Filter("touched_at", FilterOperator.IS_NOT_NULL, null)),
                List.of(), null, 1, null);

        assertThat(lines(as(BOSS).groups("deal", touchedOnly, new Grouping(List.of(byMonth), count,
                java.time.ZoneId.of("Europe/Berlin"))))).containsExactly(
                "[2026-01-01] [1]", "[2026-02-01] [1]", "[2026-04-01] [1]");
        assertThat(lines(as(BOSS).groups("deal", touchedOnly, new Grouping(List.of(byMonth), count))))
                .as("in UTC").containsExactly("[2026-01-01] [2]", "[2026-03-01] [1]");
        assertThat(lines(as(BOSS).groups("deal", touchedOnly, new Grouping(List.of(new Grouping.Key("touched_at",
                Grouping.Period.QUARTER)), count, java.time.ZoneOffset.ofHours(2))))).as("a whole-hour offset")
                .containsExactly("[2026-01-01] [2]", "[2026-04-01] [1]"); // at +02:00 the last is in April
        assertThat(lines(as(BOSS).groups("deal", touchedOnly, new Grouping(List.of(new Grouping.Key("touched_at",
                Grouping.Period.DAY)), count, java.time.ZoneId.of("America/New_York"))))).containsExactly(
                "[2026-01-31] [2]", "[2026-03-31] [1]");
    }

    private void touched(String at) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "t" + at);
        values.put("stage", "open");
        values.put("touched_at", java.time.OffsetDateTime.parse(at));
        system.create("deal", values, 10L, null);
    }
}
