package io.relata.store;

import io.relata.api.record.ErrorCodes;
import static io.relata.api.model.FieldType.RECORD_LINK;
import static io.relata.api.model.FieldType.REFERENCE;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.AccessScope.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordInUseException;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Record-links (a link to a record of any entity, stored as entity and id) and read access through them
 * ({@code readAccessFrom}): an activity is readable by whoever may read the record it is about, and by its owner;
 * an activity about nothing follows the roles' scopes. In SQL, so lists, counts, finds and titles agree.
 */
class LinkedRecordsTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("lead", "name").field("name", TEXT)
                    .entity("ticket", "subject").field("subject", TEXT)
                    .entity("activity", "subject").field("subject", TEXT).field("regarding", RECORD_LINK)
                    .readAccessFrom("regarding")
                    .entity("note", "text").field("text", TEXT).field("lead", REFERENCE).references("lead")
                    .readAccessFrom("lead")
                    .build(),
            TestRoles.role("marketing").grant("lead").create().read(ALL).update(ALL)
                    .grant("activity").create().all(OWN).grant("note").read(OWN).build(),
            TestRoles.role("service").grant("ticket").create().read(ALL).update(TEAM)
                    .grant("activity").create().read(TEAM).update(TEAM).grant("note").read(TEAM).build(),
            TestRoles.role("sales").grant("lead").read(TEAM).grant("activity").read(OWN).build());

    /** Marketing and service share team 1: a team scope must not lead service to marketing's lead to-dos. */
    private static final Actor MIA = Actor.user(1, "mia", Set.of("marketing"), List.of(1L));
    private static final Actor SAM = Actor.user(2, "sam", Set.of("service"), List.of(1L));
    private static final Actor SALLY = Actor.user(3, "sally", Set.of("sales"), List.of(2L));

    private JdbcRecordStore system;
    private Actor current;
    private SecuredRecordStore store;

    @BeforeEach
    void migrate() {
        system = migratedStore(MODEL);
        store = new SecuredRecordStore(system, () -> MODEL, () -> current, AuditSink.NONE);
    }

    private static RecordLink link(String entity, long id) {
        return new RecordLink(entity, id);
    }

    @Test
    void aRecordLinkIsStoredAsEntityAndIdFilteredAsAPairAndNeverSorted() {
        long lead = system.create("lead", Map.of("name", "Brandt")).id();
        long ticket = system.create("ticket", Map.of("subject", "Portal")).id();
        Record call = system.create("activity", Map.of("subject", "Call", "regarding", "lead:" + lead));
        Record mail = system.create("activity", Map.of("subject", "Mail", "regarding",
                Map.of("entity", "ticket", "id", ticket)));
        Record memo = system.create("activity", Map.of("subject", "Memo"));

        assertThat(system.get("activity", call.id()).get("regarding")).isEqualTo(link("lead", lead));
        assertThat(mail.get("regarding")).isEqualTo(link("ticket", ticket));
        assertThat(memo.get("regarding")).isNull();
        assertThat(subjects(system, filter("regarding", FilterOperator.EQ, "lead:" + lead))).containsExactly("Call");
        // the first lead and the first ticket have the same id: only the pair tells the links apart
        assertThat(lead).isEqualTo(ticket);
        assertThat(subjects(system, filter("regarding", FilterOperator.EQ, "ticket:" + ticket))).containsExactly("Mail");
        assertThat(subjects(system, filter("regarding", FilterOperator.IN, List.of("lead:" + lead, "ticket:" + ticket))))
                .containsExactlyInAnyOrder("Call", "Mail");
        assertThat(subjects(system, filter("regarding", FilterOperator.NE, "lead:" + lead)))
                .containsExactlyInAnyOrder("Mail", "Memo");
        assertThat(subjects(system, filter("regarding", FilterOperator.IS_NULL, null))).containsExactly("Memo");

        Record moved = system.update("activity", call.id(), call.version(), Map.of("regarding", "ticket:" + ticket));
        assertThat(moved.get("regarding")).isEqualTo(link("ticket", ticket));
        assertThat(system.update("activity", moved.id(), moved.version(), java.util.Collections.singletonMap(
                "regarding", null)).get("regarding")).isNull();

        assertThatThrownBy(() -> system.query("activity", new RecordQuery(List.of(), List.of(Sort.asc("regarding")),
                null, 10, null))).isInstanceOf(ValidationException.class).hasMessageContaining("has no order");
        assertThatThrownBy(() -> system.count("activity", filter("regarding", FilterOperator.GT, "lead:1")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("eq, ne, in or null");
    }

    @Test
    void aLinkMustNameAnExistingRecordAsEntityColonId() {
        long lead = system.create("lead", Map.of("name", "Brandt")).id();
        assertThat(errors(() -> system.create("activity", Map.of("subject", "x", "regarding", "lead"))))
                .extracting(FieldError::code).containsExactly(ErrorCodes.NOT_A_RECORD_LINK);
        assertThat(errors(() -> system.create("activity", Map.of("subject", "x", "regarding", "lead:" + (lead + 99)))))
                .extracting(FieldError::code).containsExactly(ErrorCodes.REFERENCE_NOT_FOUND);
        assertThat(errors(() -> system.create("activity", Map.of("subject", "x", "regarding", "leed:" + lead))))
                .singleElement().satisfies(e -> assertThat(e.message()).contains("There is no leed with id " + lead));
    }

    @Test
    void aRecordSomethingLinksToCannotBeDeleted() {
        long lead = system.create("lead", Map.of("name", "Brandt")).id();
        system.create("activity", Map.of("subject", "Call", "regarding", "lead:" + lead));

        assertThatThrownBy(() -> system.delete("lead", lead, null)).isInstanceOfSatisfying(RecordInUseException.class,
                e -> assertThat(e.usages()).containsExactly(new RecordInUseException.Usage("activity", "regarding", 1)));
    }

    @Test
    void whoeverMayReadTheRecordAnActivityIsAboutMayReadItAndSoMayItsOwner() {
        long lead = system.create("lead", Map.of("name", "Brandt"), 1L, 1L).id();
        long ticket = system.create("ticket", Map.of("subject", "Portal"), 2L, 1L).id();
        long leadTodo = system.create("activity", Map.of("subject", "Lead to-do", "regarding", "lead:" + lead), 1L, 1L).id();
        long othersLeadTodo = system.create("activity", Map.of("subject", "Lead call", "regarding", "lead:" + lead), 9L, 1L).id();
        long ticketTodo = system.create("activity", Map.of("subject", "Ticket to-do", "regarding", "ticket:" + ticket),
                2L, 1L).id();
        long memo = system.create("activity", Map.of("subject", "Memo"), 1L, 1L).id();
        long miasTicketNote = system.create("activity", Map.of("subject", "Mia on the ticket", "regarding",
                "ticket:" + ticket), 1L, 1L).id();

        current = MIA; // reads every lead, its own activities
        assertThat(subjects(store, RecordQuery.all()))
                .containsExactlyInAnyOrder("Lead to-do", "Lead call", "Memo", "Mia on the ticket");
        assertThat(store.count("activity", RecordQuery.all())).isEqualTo(4);
        assertThat(store.find("activity", ticketTodo)).isEmpty();
        assertThat(store.titles("activity", List.of(leadTodo, ticketTodo, othersLeadTodo)))
                .containsOnlyKeys(leadTodo, othersLeadTodo);

        current = SAM; // reads every ticket, no lead; team 1 like mia
        assertThat(subjects(store, RecordQuery.all()))
                .as("the team scope reaches unlinked activities only: not the to-dos of leads service cannot read")
                .containsExactlyInAnyOrder("Ticket to-do", "Memo", "Mia on the ticket");
        assertThat(store.find("activity", leadTodo)).isEmpty();
        assertThat(store.count("activity", filter("regarding", FilterOperator.EQ, "lead:" + lead))).isZero();

        current = SALLY; // reads team 2's leads: not this one
        assertThat(subjects(store, RecordQuery.all())).isEmpty();
        assertThat(store.find("activity", memo)).isEmpty();
    }

    @Test
    void changingAndDeletingStillFollowTheRolesScopes() {
        long lead = system.create("lead", Map.of("name", "Brandt"), 1L, 1L).id();
        Record mine = system.create("activity", Map.of("subject", "Mine", "regarding", "lead:" + lead), 1L, 1L);
        Record others = system.create("activity", Map.of("subject", "Others", "regarding", "lead:" + lead), 9L, 1L);
        current = MIA;

        assertThat(store.update("activity", mine.id(), mine.version(), Map.of("subject", "Done")).get("subject"))
                .isEqualTo("Done");
        assertThatThrownBy(() -> store.update("activity", others.id(), others.version(), Map.of("subject", "x")))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> store.delete("activity", others.id(), null)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aUserMayLinkOnlyToRecordsTheyMaySee() {
        long lead = system.create("lead", Map.of("name", "Brandt"), 1L, 1L).id();
        long ticket = system.create("ticket", Map.of("subject", "Portal"), 2L, 1L).id();
        current = SAM;

        assertThat(errors(() -> store.create("activity", Map.of("subject", "x", "regarding", "lead:" + lead))))
                .singleElement().satisfies(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.REFERENCE_NOT_FOUND);
                    assertThat(e.message()).isEqualTo("There is no lead with id " + lead + "; pick an existing record");
                });
        Record created = store.create("activity", Map.of("subject", "Call back", "regarding", "ticket:" + ticket));
        assertThat(created.ownerUser()).isEqualTo(2L);
        assertThat(store.get("activity", created.id()).get("regarding")).isEqualTo(link("ticket", ticket));
    }

    @Test
    void readAccessCanComeThroughAPlainReferenceToo() {
        long lead = system.create("lead", Map.of("name", "Brandt"), 5L, 3L).id();
        system.create("note", Map.of("text", "About Brandt", "lead", lead), 7L, 1L);
        system.create("note", Map.of("text", "Loose"), 7L, 1L);

        current = MIA; // reads every lead, own notes
        assertThat(store.query("note", RecordQuery.all()).records()).extracting(r -> r.get("text"))
                .containsExactly("About Brandt");
        current = SAM; // no leads; team 1's notes
        assertThat(store.query("note", RecordQuery.all()).records()).extracting(r -> r.get("text"))
                .containsExactly("Loose");
    }

    @Test
    void whyCanISeeThisNamesTheRecordTheActivityIsAbout() {
        long lead = system.create("lead", Map.of("name", "Brandt"), 1L, 1L).id();
        long call = system.create("activity", Map.of("subject", "Call", "regarding", "lead:" + lead), 9L, 1L).id();
        current = MIA;

        var explanation = store.explain("activity", call);
        assertThat(explanation.visible()).isTrue();
        assertThat(explanation.text()).contains("Role 'marketing' may see what is about records you may see: "
                + "it is about lead " + lead + ", which you may see");
        assertThat(store.explainFor(SAM, "activity", call).visible()).isFalse();
    }

    @Test
    void theSchemaHasTheEntityAndTheIdOfALinkAndAnIndexOverBoth() throws SQLException {
        try (Connection c = db.connection()) {
            var columns = new java.util.ArrayList<String>();
            try (var rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), "rec_activity", null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(columns).contains("regarding", "regarding_entity");
            var indexColumns = new java.util.ArrayList<String>();
            try (var rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), "rec_activity", false, false)) {
                while (rs.next()) {
                    if ("ix_rec_activity_regarding".equals(rs.getString("INDEX_NAME"))) {
                        indexColumns.add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
            assertThat(indexColumns).containsExactly("regarding_entity", "regarding");
        }
        assertThat(plan(MODEL).isEmpty()).as("nothing left to do once migrated").isTrue();
    }

    // ---- helpers ----

    private static RecordQuery filter(String field, FilterOperator operator, Object value) {
        return new RecordQuery(List.of(new Filter(field, operator, value)), List.of(), null, 100, null);
    }

    private static List<Object> subjects(io.relata.api.record.RecordStore records, RecordQuery query) {
        return records.query("activity", query).records().stream().map(r -> r.get("subject")).toList();
    }

    private static List<FieldError> errors(Runnable write) {
        try {
            write.run();
        } catch (ValidationException e) {
            return e.errors();
        }
        throw new AssertionError("the write was not refused");
    }
}
