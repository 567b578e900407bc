package io.relata.store;

import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.DATE;
import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.REFERENCE;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.rules.RuleKind.COMPUTED;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.security.Actor;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store answers to a rule's {@code related.*} ({@link RuleLookup}): in SQL, within the saving user's
 * read scope, refusing hidden fields. The rule of {@code account.summary} stands in for a script and asks
 * whatever {@link #question} says.
 */
class RelatedRecordsTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("account", "name")
                    .field("name", TEXT)
                    .field("summary", TEXT)
                    .rule("summary", COMPUTED, "summary")
                    .entity("ticket", "subject")
                    .field("subject", TEXT)
                    .field("account", REFERENCE).references("account")
                    .field("status", CHOICE).options("open", "closed")
                    .field("hours", MONEY)
                    .field("priority", INTEGER)
                    .field("opened_on", DATE)
                    .field("cost", MONEY)
                    .build(),
            TestRoles.role("agent").grant("account").create().all(ALL)
                    .grant("ticket").create().all(OWN).field("cost", HIDDEN).build(),
            TestRoles.role("seller").grant("account").create().all(ALL).build(),
            TestRoles.administrator("admin"));

    private static final Actor AGENT = Actor.user(10, "agent", Set.of("agent"), List.of());

    private Function<RuleInput.RecordLookup, Object> question = lookup -> null;
    private JdbcRecordStore system;
    private SecuredRecordStore secured;
    private long acme;

    @BeforeEach
    void migrate() {
        FakeRules rules = new FakeRules().script("summary", in -> String.valueOf(question.apply(in.lookup())));
        system = migratedStore(MODEL).withRules(rules);
        secured = new SecuredRecordStore(system, () -> MODEL, () -> AGENT, (connection, entry) -> { });
        acme = system.create("account", values("name", "ACME")).id();
        long other = system.create("account", values("name", "Other")).id();
        ticket(acme, "open", "1.50", 3, "2025-02-01", 10L);
        ticket(acme, "open", "2.00", 5, "2025-01-15", 10L);
        ticket(acme, "closed", "4.00", 9, "2025-01-01", 10L);
        ticket(acme, "open", "100.00", 1, "2024-12-24", 99L); // someone else's: the agent reads only their own
        ticket(other, "open", "7.00", 2, "2025-03-01", 10L);
    }

    private void ticket(long account, String status, String hours, int priority, String opened, long owner) {
        system.create("ticket", values("subject", "T", "account", account, "status", status, "hours", hours,
                "priority", priority, "opened_on", opened, "cost", "50"), owner, null);
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private static Map<String, Object> filter(Object... pairs) {
        Map<String, Object> filter = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            filter.put((String) pairs[i], pairs[i + 1]);
        }
        return filter;
    }

    private Object askAsAgent(Function<RuleInput.RecordLookup, Object> ask) {
        question = ask;
        return secured.update("account", acme, secured.find("account", acme).orElseThrow().version(),
                values("name", "ACME " + System.nanoTime())).get("summary");
    }

    private Object askAs(Actor actor, Function<RuleInput.RecordLookup, Object> ask) {
        question = ask;
        SecuredRecordStore store = new SecuredRecordStore(system, () -> MODEL, () -> actor, (connection, entry) -> { });
        return store.update("account", acme, store.find("account", acme).orElseThrow().version(),
                values("name", "ACME " + System.nanoTime())).get("summary");
    }

    private Object askAsSystem(Function<RuleInput.RecordLookup, Object> ask) {
        question = ask;
        return system.update("account", acme, system.find("account", acme).orElseThrow().version(),
                values("name", "ACME " + System.nanoTime())).get("summary");
    }

    @Test
    void countsOnlyTheRecordsTheSavingUserMayRead() {
        Function<RuleInput.RecordLookup, Object> openTickets = lookup -> lookup.aggregate("ticket",
                RuleInput.Aggregate.COUNT, null, filter("account", acme, "status", "open"));

        assertThat(askAsAgent(openTickets)).as("the other owner's open ticket is out of scope").isEqualTo("2");
        assertThat(askAsSystem(openTickets)).isEqualTo("3");
    }

    @Test
    void sumsMinimaAndMaximaFollowTheFilterAndTheScope() {
        assertThat(askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "hours", filter("account", acme))))
                .isEqualTo("7.50");
        assertThat(askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.MAX, "priority", filter("account", acme))))
                .isEqualTo("9");
        assertThat(askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.MIN, "opened_on",
                filter("status", "open")))).isEqualTo(LocalDate.parse("2025-01-15").toString());
        assertThat(askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "hours",
                filter("account", acme, "status", null)))).as("nothing matches: a sum of zero").isEqualTo("0");
        assertThat(askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.MAX, "priority",
                filter("subject", "none")))).as("nothing matches: no largest value").isEqualTo("null");
    }

    @Test
    void aHiddenFieldCannotBeSummedNorFilteredOn() {
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "cost", filter())))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("the field 'cost' of ticket is hidden from the user the rule runs for");
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("cost", "50")))).isInstanceOf(RuleFailedException.class).hasMessageContaining("'cost'");
        assertThat(askAsSystem(l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "cost", filter())))
                .as("the system sees every field").isEqualTo(new BigDecimal("250.00").toString());
    }

    @Test
    void aUserWhoReadsNoRecordOfTheEntityFindsNothingToCount() {
        Actor seller = Actor.user(11, "seller", Set.of("seller"), List.of());

        assertThat(askAs(seller, l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null, filter("account", acme))))
                .isEqualTo("0");
        assertThat(askAs(seller, l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "cost", filter())))
                .as("no record, so no hidden value to give away").isEqualTo("0");
        assertThat(askAs(seller, l -> l.aggregate("ticket", RuleInput.Aggregate.MAX, "priority", filter())))
                .isEqualTo("null");
        assertThatThrownBy(() -> askAs(seller, l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("state", "open")))).hasMessageContaining("ticket has no field 'state'");
    }

    @Test
    void thePlatformLookupOfAUsersWriteReadsEveryRecordAndField() {
        assertThat(askAsAgent(l -> l.asPlatform().aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("account", acme, "status", "open")))).as("the other owner's ticket too").isEqualTo("3");
        assertThat(askAsAgent(l -> l.asPlatform().aggregate("ticket", RuleInput.Aggregate.SUM, "cost", filter())))
                .isEqualTo("250.00");
    }

    @Test
    void unknownNamesAndUnfittingValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("tickets", RuleInput.Aggregate.COUNT, null, filter())))
                .hasMessageContaining("there is no entity 'tickets'");
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("state", "open")))).hasMessageContaining("ticket has no field 'state'");
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "subject", filter())))
                .hasMessageContaining("only integer, decimal and money fields can be summed");
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("priority", "high")))).hasMessageContaining("does not fit the field 'priority'");
    }

    private static RuleInput.Condition condition(boolean orEmpty, Object... bounds) {
        Map<RuleInput.Comparison, Object> map = new java.util.EnumMap<>(RuleInput.Comparison.class);
        for (int i = 0; i < bounds.length; i += 2) {
            map.put((RuleInput.Comparison) bounds[i], bounds[i + 1]);
        }
        return new RuleInput.Condition(map, orEmpty);
    }

    @Test
    void comparisonsFilterByRangesNotAndEmptyValues() {
        Function<RuleInput.RecordLookup, Object> since = l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("opened_on", condition(false, RuleInput.Comparison.GTE, "2025-01-15")));
        assertThat(askAsSystem(since)).as("2025-01-15, 2025-02-01 and 2025-03-01").isEqualTo("3");
        assertThat(askAsAgent(since)).as("within the agent's scope").isEqualTo("3");
        assertThat(askAsSystem(l -> l.aggregate("ticket", RuleInput.Aggregate.SUM, "hours", filter("priority",
                condition(false, RuleInput.Comparison.GT, 1, RuleInput.Comparison.LTE, 5))))).as("3, 5 and 2")
                .isEqualTo("10.50");
        assertThat(askAsSystem(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null, filter("status",
                condition(false, RuleInput.Comparison.NOT, "open"))))).isEqualTo("1");
        system.create("ticket", values("subject", "no date", "account", acme, "status", "open", "priority", 4));
        assertThat(askAsSystem(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null, filter("opened_on",
                condition(true, RuleInput.Comparison.GTE, "2025-02-01"))))).as("two on or after, one empty").isEqualTo("3");
        assertThat(askAsSystem(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null, filter("opened_on",
                condition(false, RuleInput.Comparison.NOT, null))))).as("not empty").isEqualTo("5");
        assertThatThrownBy(() -> askAsSystem(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("priority", condition(false, RuleInput.Comparison.LT, null)))))
                .hasMessageContaining("cannot be compared with null");
        assertThatThrownBy(() -> askAsAgent(l -> l.aggregate("ticket", RuleInput.Aggregate.COUNT, null,
                filter("cost", condition(false, RuleInput.Comparison.GT, 10))))).hasMessageContaining("'cost'");
    }

    @Test
    void firstGivesTheFirstReadableRecordInTheOrderWithItsId() {
        Function<RuleInput.RecordLookup, Object> latestOpen = l -> l.first("ticket", filter("account", acme,
                "status", "open"), List.of("-opened_on")).map(r -> r.get("id") + " " + r.get("hours") + " "
                + r.containsKey("cost")).orElse("none");
        Object agent = askAsAgent(latestOpen);
        Object platform = askAsSystem(latestOpen);
        assertThat(agent).as("the agent's latest: 1.50 of 2025-02-01, without the hidden cost").asString()
                .endsWith(" 1.50 false");
        assertThat(platform).asString().endsWith(" 1.50 true");

        assertThat(askAsSystem(l -> l.first("ticket", filter("priority", condition(false, RuleInput.Comparison.LTE, 5)),
                List.of("-priority")).map(r -> r.get("priority")).orElse(null))).as("the highest tier up to 5")
                .isEqualTo("5");
        assertThat(askAsSystem(l -> l.first("ticket", filter("status", "open"), List.of("opened_on", "-priority"))
                .map(r -> r.get("opened_on")).orElse(null))).as("ascending").isEqualTo("2024-12-24");
        assertThat(askAsAgent(l -> l.first("ticket", filter("status", "open"), List.of("opened_on"))
                .map(r -> r.get("opened_on")).orElse(null))).as("2024-12-24 is another owner's").isEqualTo("2025-01-15");
        assertThat(askAsSystem(l -> l.first("ticket", filter("subject", "nothing"), List.of()).orElse(null)))
                .isEqualTo("null");
        assertThatThrownBy(() -> askAsAgent(l -> l.first("ticket", filter(), List.of("-cost"))))
                .as("ordering by a hidden field tells its values").hasMessageContaining("'cost'");
        Actor seller = Actor.user(11, "seller", Set.of("seller"), List.of());
        assertThat(askAs(seller, l -> l.first("ticket", filter(), List.of()).orElse(null))).isEqualTo("null");
    }
}
