package io.relata.store;

import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.RECORD_LINK;
import static io.relata.api.model.FieldType.REFERENCE;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Aggregate;
import io.relata.api.record.FieldError;
import io.relata.api.record.FilterParameters;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filters on related records ({@code tickets.status:eq:open}, {@code account.name:eq:ACME}, {@code tickets:null}):
 * what a target group's "has an open opportunity" is written with. Counted in SQL as {@code EXISTS}, over the related
 * records the caller may read and the fields they may see.
 */
class RelatedFiltersTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("account", "name")
                    .field("name", TEXT)
                    .field("parent", REFERENCE).references("account")
                    .entity("ticket", "subject")
                    .field("subject", TEXT)
                    .field("account", REFERENCE).references("account")
                    .field("status", CHOICE).options("open", "closed")
                    .field("cost", MONEY)
                    .entity("note", "subject")
                    .field("subject", TEXT)
                    .field("about", RECORD_LINK)
                    .build(),
            TestRoles.role("agent").grant("account").create().all(ALL)
                    .grant("ticket").create().all(OWN).field("cost", HIDDEN).build(),
            TestRoles.administrator("admin"));

    private static final Actor AGENT = Actor.user(10, "agent", Set.of("agent"), List.of());

    private JdbcRecordStore system;
    private SecuredRecordStore agent;
    private long acme;
    private long beta;
    private long quiet;

    @BeforeEach
    void records() {
        system = migratedStore(MODEL);
        agent = new SecuredRecordStore(system, () -> MODEL, () -> AGENT, (connection, entry) -> { });
        acme = system.create("account", Map.of("name", "ACME")).id();
        beta = system.create("account", Map.of("name", "Beta", "parent", acme)).id();
        quiet = system.create("account", Map.of("name", "Quiet")).id();
        ticket(acme, "open", "10", 10L);
        ticket(acme, "closed", "20", 10L);
        ticket(beta, "closed", "500", 10L);
        ticket(beta, "open", "30", 99L); // someone else's: out of the agent's scope
        system.create("note", Map.of("subject", "Called", "about", "account:" + quiet));
    }

    private void ticket(long account, String status, String cost, long owner) {
        system.create("ticket", Map.of("subject", "T", "account", account, "status", status, "cost", cost), owner, null);
    }

    private static RecordQuery where(String... filters) {
        return new RecordQuery(FilterParameters.parse(List.of(filters)), List.of(Sort.asc("name")), null, 50, null);
    }

    private static List<Object> names(List<Record> records) {
        return records.stream().map(r -> r.get("name")).toList();
    }

    @Test
    void aRelatedListMatchesWhenAnyOfItsRecordsMeetsTheCondition() {
        assertThat(names(system.query("account", where("tickets.status:eq:open")).records())).containsExactly("ACME", "Beta");
        assertThat(names(system.query("account", where("tickets.status:eq:closed", "tickets.cost:ge:100")).records()))
                .as("a closed ticket of 100 or more").containsExactly("Beta");
        assertThat(system.query("account", where("tickets.status:eq:open", "tickets.cost:ge:100")).records())
                .as("the conditions through one list hold for the same ticket: Beta's open one costs 30").isEmpty();
        assertThat(names(system.query("account", where("tickets.status:in:open|closed", "name:ne:Beta")).records()))
                .containsExactly("ACME");
        assertThat(names(system.query("account", where("tickets:notnull")).records())).containsExactly("ACME", "Beta");
        assertThat(names(system.query("account", where("tickets:null")).records())).as("has none").containsExactly("Quiet");
        assertThat(names(system.query("account", where("notes:notnull")).records()))
                .as("through a record link: the notes about the account").containsExactly("Quiet");
    }

    @Test
    void aReferenceMatchesOnTheReferencedRecordsFields() {
        assertThat(names(system.query("account", where("parent.name:eq:ACME")).records())).containsExactly("Beta");
        assertThat(system.count("ticket", where("account.name:startswith:be"))).isEqualTo(2);
        assertThat(names(system.query("account", where("accounts.tickets.status:eq:closed")).records()))
                .as("two steps: an account whose child accounts have a closed ticket").containsExactly("ACME");
    }

    @Test
    void countsAndFiguresTakeTheSameConditions() {
        assertThat(system.count("account", where("tickets.status:eq:open"))).isEqualTo(2);
        assertThat(system.countUpTo("account", where("tickets:null"), 10).count()).isEqualTo(1);
        assertThat(system.aggregate("ticket", where("account.parent.name:eq:ACME"), Aggregate.COUNT, null))
                .isEqualTo(Optional.of(2L));
    }

    @Test
    void theCallerReachesOnlyTheRelatedRecordsTheyMayReadByTheFieldsTheySee() {
        assertThat(names(agent.query("account", where("tickets.status:eq:open")).records()))
                .as("Beta's open ticket is someone else's").containsExactly("ACME");
        assertThat(agent.count("account", where("tickets:null")))
                .as("Quiet, and Beta is not: the agent reads Beta's closed ticket").isEqualTo(1);

        assertThatThrownBy(() -> agent.query("account", where("tickets.cost:ge:100")))
                .as("a hidden field of the related records is unknown, as on the caller's own list")
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("tickets.cost");
                    assertThat(error.code()).isEqualTo("unknown_field");
                    assertThat(error.message()).isEqualTo("Filter: ticket has no field 'cost'");
                }));
        assertThatThrownBy(() -> agent.query("account", where("notes:notnull")))
                .as("an entity the caller may not read is no related list of theirs")
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field,
                        FieldError::code).containsExactly(org.assertj.core.groups.Tuple.tuple("notes", "unknown_field")));
    }

    @Test
    void anUnknownPathOrAMissingConditionIsRefusedNamingThePath() {
        assertThatThrownBy(() -> system.query("account", where("deals.amount:gt:5")))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("deals.amount");
                    assertThat(error.message()).isEqualTo("Filter: account has no field or related list 'deals.amount'");
                }));
        assertThatThrownBy(() -> system.query("account", where("name.length:gt:5")))
                .as("a text field leads nowhere").isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> system.query("account", where("tickets:eq:open")))
                .as("a related list alone takes null or notnull").isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement()
                        .satisfies(error -> assertThat(error.code()).isEqualTo("invalid_operator")));
        assertThatThrownBy(() -> system.query("account", where("accounts.accounts.accounts.accounts.name:eq:x")))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement().satisfies(error ->
                        assertThat(error.message()).isEqualTo("Filter: 'accounts.accounts.accounts.accounts.name' goes through more than 3"
                                + " references or related lists")));
    }
}
