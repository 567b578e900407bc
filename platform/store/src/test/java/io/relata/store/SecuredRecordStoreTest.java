package io.relata.store;

import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.AccessScope.TEAM;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.security.Actor;
import io.relata.store.access.AccessExplanation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour of the secured store beyond the matrix: explanations, titles, messages. */
class SecuredRecordStoreTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("deal", "code").field("code", TEXT).field("amount", INTEGER)
                    .entity("person", "last_name").title("{first_name} {last_name}")
                    .field("first_name", TEXT).field("last_name", TEXT).build(),
            TestRoles.role("rep").grant("deal").create().read(TEAM).update(OWN).build(),
            TestRoles.role("auditor").grant("deal").read(ALL).field("code", HIDDEN).build(),
            TestRoles.role("clerk").grant("deal").create().all(ALL).field("code", HIDDEN).build(),
            TestRoles.role("reader").grant("person").read(ALL).build(),
            TestRoles.role("formal").grant("person").read(ALL).field("first_name", HIDDEN).build());

    private static final Actor ADA = Actor.user(10, "ada", Set.of("rep"), List.of(7L));
    private static final Actor OTTO = Actor.user(11, "otto", Set.of("auditor"), List.of());
    private static final Actor CLARA = Actor.user(13, "clara", Set.of("clerk"), List.of());

    private JdbcRecordStore system;
    private Actor current;
    private SecuredRecordStore store;

    @BeforeEach
    void migrate() {
        system = migratedStore(MODEL);
        store = new SecuredRecordStore(system, () -> MODEL, () -> current, AuditSink.NONE);
    }

    @Test
    void explainTellsWhyAReadableRecordIsVisibleAndHidesTheRest() {
        long teamDeal = system.create("deal", Map.of("code", "D-1"), 99L, 7L).id();
        long otherDeal = system.create("deal", Map.of("code", "D-2"), 99L, 8L).id();
        current = ADA;

        AccessExplanation explanation = store.explain("deal", teamDeal);

        assertThat(explanation.text()).startsWith("ada can see deal " + teamDeal + " because:\n"
                + "- Role 'rep' may see team records: it belongs to your team 7\n"
                + "- No role lets them change it.");
        assertThatThrownBy(() -> store.explain("deal", otherDeal)).isInstanceOf(RecordNotFoundException.class)
                .hasMessage("No deal with id " + otherDeal);
        current = Actor.user(12, "eve", Set.of(), List.of());
        assertThatThrownBy(() -> store.explain("deal", teamDeal)).isInstanceOf(UnknownEntityException.class)
                .hasMessage("No entity named 'deal' in the current metadata");
    }

    @Test
    void aHiddenTitleFieldGivesNumberedTitles() {
        long id = system.create("deal", Map.of("code", "SECRET-CODE")).id();
        current = OTTO;

        assertThat(store.titles("deal", List.of(id))).containsExactly(Map.entry(id, "#" + id));
        assertThat(store.get("deal", id).values()).containsOnlyKeys("amount");
    }

    @Test
    void aTitleTemplateNamesRecordsAndLeavesOutWhatTheViewerMayNotSee() {
        long anna = system.create("person", Map.of("first_name", "Anna", "last_name", "Schmidt")).id();
        long nameless = system.create("person", Map.of("last_name", "Berg")).id();
        long empty = system.create("person", Map.of()).id();

        current = Actor.user(14, "rita", Set.of("reader"), List.of());
        assertThat(store.titles("person", List.of(anna, nameless, empty))).containsExactly(
                Map.entry(anna, "Anna Schmidt"), Map.entry(nameless, "Berg"), Map.entry(empty, "#" + empty));

        current = Actor.user(15, "fritz", Set.of("formal"), List.of());
        assertThat(store.titles("person", List.of(anna))).as("the hidden first name does not leak through the title")
                .containsExactly(Map.entry(anna, "Schmidt"));
    }

    @Test
    void aHiddenFieldIsRefusedBeforeItsValueIsLookedAt() {
        long id = system.create("deal", Map.of("code", "X")).id();
        current = CLARA;

        assertThat(ValidationTestSupport.codes(() -> store.create("deal", Map.of("code", List.of(1, 2)))))
                .containsExactly("code:read_only_field");
        assertThat(ValidationTestSupport.codes(() -> store.update("deal", id, 1, Map.of("code", List.of(1, 2),
                "amount", "many")))).containsExactlyInAnyOrder("code:read_only_field", "amount:not_a_number");
        assertThat(system.get("deal", id).get("code")).isEqualTo("X");
    }

    @Test
    void refusalsNameTheEntityAndTheOperation() {
        long id = system.create("deal", Map.of("code", "D-1"), 99L, 7L).id();
        current = OTTO;
        assertThatThrownBy(() -> store.create("deal", Map.of())).isInstanceOf(AccessDeniedException.class)
                .hasMessage("You may not create deal records");
        current = ADA;
        assertThatThrownBy(() -> store.delete("deal", id, null)).isInstanceOf(AccessDeniedException.class)
                .hasMessage("You may not delete deal " + id + "; your roles only let you see it")
                .satisfies(e -> assertThat(((AccessDeniedException) e).operation()).isEqualTo("delete"));
    }
}
